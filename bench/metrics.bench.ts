// Metrics views on a generated year (supabase/tests/fixtures/metrics_year.sql: 8 members,
// ~12,000 bookings, 280,000 sync attempts), read as Studio reads them; and the alert mail
// round trip through the local SMTP server. Prints each figure beside the floor it is compared
// with (the 200 ms per view); asserts nothing.
import postgres from "postgres";
import { measure, percentile, report } from "./lib.ts";

const FLOOR_MS = 200;
const sql = postgres(Deno.env.get("SUPABASE_DB_URL")!, { max: 1, onnotice: () => {} });
const world = await Deno.readTextFile(
  new URL("../supabase/tests/fixtures/metrics_year.sql", import.meta.url),
);
const started = performance.now();
await sql.unsafe(world);
console.log(
  `metrics: a generated year loaded in ${
    Math.round(performance.now() - started)
  } ms; load average ${
    Deno.loadavg().map((n) => n.toFixed(1)).join(" ")
  } on ${navigator.hardwareConcurrency} cores (figures scale with it)`,
);

const views = [
  "metrics_preference_satisfaction",
  "metrics_utilisation",
  "metrics_calendar_sync",
  "metrics_booking_time",
  "metrics_customer_satisfaction",
  "metrics_repeat_bookings",
  "metrics_no_shows",
  "business_kpis",
];
for (const view of views) {
  const times = await measure(() => sql.unsafe(`select * from public.${view}`), 15, 2);
  report(`${view} (all rows)`, times);
  const p95 = percentile(times, 95);
  console.log(
    `${"".padEnd(58)} floor ${FLOOR_MS} ms: ${p95 <= FLOOR_MS ? "within" : "ABOVE"} (p95)`,
  );
}
await sql.end();
