// One calendar sync measured in its own process, so its peak memory (VmHWM) is its own:
// parse a feed with the real parser and store the busy times with the real SQL function.
import postgres from "postgres";
import { busyIntervals } from "../supabase/functions/_shared/calendar/ics.ts";

const [source, memberId] = Deno.args;
const text = source === "generated" ? generatedFeed(10_000, 500) : await Deno.readTextFile(source);
const sql = postgres(Deno.env.get("SUPABASE_DB_URL")!, { max: 1, onnotice: () => {} });
const from = new Date(Date.UTC(2026, 10, 24));
const to = new Date(from.getTime() + 31 * 86_400_000);

// CPU time too: the machine is shared, and hosted functions are limited by CPU time.
const cpuMs = () => {
  const fields = Deno.readTextFileSync("/proc/self/stat").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
};
const started = performance.now();
const cpuStarted = cpuMs();
const parsed = busyIntervals(text, { from, to, businessZone: "Europe/Zurich" });
const parsedAt = performance.now();
const parseCpuMs = cpuMs() - cpuStarted;
const rows = parsed.intervals.map((i) => ({
  starts_at: i.startsAt.toISOString(),
  ends_at: i.endsAt.toISOString(),
  uid: i.uid,
}));
const [{ stored }] =
  await sql`select public.replace_busy_times(${memberId}::uuid, ${from.toISOString()}::timestamptz,
  ${to.toISOString()}::timestamptz, ${sql.json(rows)}::jsonb) as stored`;
const done = performance.now();
await sql.end();
const peakKb = Number(
  /VmHWM:\s+(\d+)/.exec(await Deno.readTextFile("/proc/self/status"))?.[1] ?? 0,
);
console.log(JSON.stringify({
  bytes: text.length,
  parseMs: Math.round(parsedAt - started),
  parseCpuMs,
  storeMs: Math.round(done - parsedAt),
  stored,
  skipped: parsed.skippedCount,
  peakMb: Math.round(peakKb / 1024),
}));

/** A feed of `events` VEVENTs, `series` of them recurring (daily, weekly, monthly with exceptions). */
function generatedFeed(events: number, series: number): string {
  const lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//bench//generated//EN"];
  const pad = (n: number) => String(n).padStart(2, "0");
  const stamp = (d: Date) =>
    `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${
      pad(d.getUTCHours())
    }${pad(d.getUTCMinutes())}00`;
  for (let i = 0; i < events; i++) {
    const start = new Date(
      Date.UTC(2025, 10, 1) + (i % 730) * 86_400_000 + (7 + (i % 10)) * 3_600_000,
    );
    const end = new Date(start.getTime() + (30 + (i % 4) * 15) * 60_000);
    lines.push("BEGIN:VEVENT", `UID:event-${i}@bench`, `SUMMARY:Event ${i}`);
    lines.push(
      `DTSTART;TZID=Europe/Zurich:${stamp(start)}`,
      `DTEND;TZID=Europe/Zurich:${stamp(end)}`,
    );
    if (i < series) {
      const rule =
        ["FREQ=DAILY;COUNT=400", "FREQ=WEEKLY;BYDAY=MO,WE,FR", "FREQ=MONTHLY;BYDAY=2TU"][i % 3];
      lines.push(
        `RRULE:${rule}`,
        `EXDATE;TZID=Europe/Zurich:${stamp(new Date(start.getTime() + 7 * 86_400_000))}`,
      );
    }
    lines.push("END:VEVENT");
  }
  lines.push("END:VCALENDAR");
  return lines.join("\r\n");
}
