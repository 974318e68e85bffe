// Calendar sync cost: the real 4,778-event Google export and a generated feed of 10,000 events
// with 500 recurring series, each parsed and stored in its own process. Prints time and peak
// memory; asserts nothing.
import postgres from "postgres";

const sql = postgres(Deno.env.get("SUPABASE_DB_URL")!, { max: 1, onnotice: () => {} });
const [member] = await sql`insert into team_members (name, calendar_provider, calendar_source_url)
  values ('Calendar bench member', 'ical', 'https://feeds.example/bench.ics') returning id`;
await sql.end();

const googleExport = new URL("./fixtures/google-export-4778-events.ics", import.meta.url).pathname;
console.log(
  "calendar sync: parse (ical.js) and store (replace_busy_times), one 31-day window, own process each",
);
for (
  const [label, source] of [["Google export, 4,778 events", googleExport], [
    "generated, 10,000 events / 500 series",
    "generated",
  ]]
) {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--config",
      new URL("../deno.json", import.meta.url).pathname,
      new URL("./calendar_child.ts", import.meta.url).pathname,
      source,
      member.id,
    ],
    stdout: "piped",
    stderr: "inherit",
  });
  const started = performance.now();
  const output = await child.output();
  const wall = Math.round(performance.now() - started);
  const result = JSON.parse(new TextDecoder().decode(output.stdout));
  console.log(
    `${label.padEnd(40)} parse ${String(result.parseMs).padStart(5)} ms  store ${
      String(result.storeMs).padStart(4)
    } ms  ` +
      `peak ${result.peakMb} MB  (${result.stored} busy times, ${result.skipped} skipped, ${
        (result.bytes / 1e6).toFixed(2)
      } MB, process ${wall} ms)`,
  );
}
