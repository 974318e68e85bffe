// Fail closed, end to end (issue #13, item 3): a feed that can be read only in part never
// deletes the busy time of what could not be read; the calendar says 'partial'; a complete read
// afterwards replaces everything again. Real sync code, real test database, a local feed server.
import assert from "node:assert/strict";
import { testDb } from "../../../local/tests/helpers.ts";
import { runSync, type SyncOptions } from "./sync.ts";

// Weekly series from a fixed past date, so every sync window (whenever the test runs) holds
// several instances of each.
const weekly = (uid: string, day: string, rule = `FREQ=WEEKLY;BYDAY=${day}`) =>
  `BEGIN:VEVENT\r\nUID:${uid}\r\nDTSTART:20260105T080000Z\r\nDTEND:20260105T090000Z\r\n` +
  `RRULE:${rule}\r\nEND:VEVENT`;
const calendar = (...events: string[]) =>
  `BEGIN:VCALENDAR\r\nVERSION:2.0\r\n${events.join("\r\n")}\r\nEND:VCALENDAR\r\n`;
const feeds: Record<string, string> = {
  full: calendar(weekly("mondays", "MO"), weekly("tuesdays", "TU"), weekly("wednesdays", "WE")),
  // Tuesdays' rule became unreadable, Wednesdays were deleted from the calendar.
  "one-unreadable": calendar(
    weekly("mondays", "MO"),
    weekly("tuesdays", "TU", "FREQ=WEEKLY;COUNT=-1"),
  ),
  // A broken component without a UID: it may be any event, so nothing not read again goes.
  "anonymous-broken": calendar(
    weekly("tuesdays", "TU"),
    "BEGIN:VEVENT\r\nDTSTART:garbage\r\nEND:VEVENT",
  ),
  clean: calendar(weekly("tuesdays", "TU")),
};
let current = "full";
const server = Deno.serve(
  { hostname: "127.0.0.1", port: 0, onListen: () => {} },
  () => new Response(feeds[current], { headers: { "content-type": "text/calendar" } }),
);
// The feed server is on loopback, which calendar fetches refuse unless allowed.
const options: SyncOptions = {
  timeoutMs: 5_000,
  maxBytes: 1_000_000,
  allowPrivateHosts: [`127.0.0.1:${server.addr.port}`],
};

Deno.test("a partly read feed keeps the busy times it could not read, and says so", async () => {
  const sql = testDb();
  const [member] = await sql`insert into team_members (name, calendar_provider, calendar_source_url)
    values (${"Partial read " + crypto.randomUUID().slice(0, 8)}, 'ical',
            ${`http://127.0.0.1:${server.addr.port}/feed.ics`}) returning id`;
  const busyByUid = async () => {
    const rows = await sql<{ uid: string; n: number }[]>`
      select source_uid as uid, count(*)::int as n from calendar_busy_times
      where team_member_id = ${member.id} group by source_uid`;
    return Object.fromEntries(rows.map((r) => [r.uid, r.n]));
  };
  const status = async () =>
    (await sql`select calendar_sync_status as s, calendar_sync_error as e from team_members
               where id = ${member.id}`)[0];
  try {
    current = "full";
    assert.equal(
      (await runSync(sql, { teamMemberId: member.id }, options)).teamMembers[0].result,
      "synced",
    );
    const before = await busyByUid();
    assert.ok(before.mondays > 0 && before.tuesdays > 0 && before.wednesdays > 0);

    current = "one-unreadable";
    const partial = await runSync(sql, { teamMemberId: member.id }, options);
    assert.equal(partial.teamMembers[0].result, "partial");
    assert.deepEqual(await busyByUid(), { mondays: before.mondays, tuesdays: before.tuesdays });
    assert.deepEqual(await status(), {
      s: "partial",
      e: "1 calendar entries could not be read completely; their earlier busy times were kept",
    });

    current = "anonymous-broken";
    assert.equal(
      (await runSync(sql, { teamMemberId: member.id }, options)).teamMembers[0].result,
      "partial",
    );
    assert.deepEqual(await busyByUid(), { mondays: before.mondays, tuesdays: before.tuesdays });

    current = "clean";
    assert.equal(
      (await runSync(sql, { teamMemberId: member.id }, options)).teamMembers[0].result,
      "synced",
    );
    assert.deepEqual(await busyByUid(), { tuesdays: before.tuesdays });
    assert.deepEqual(await status(), { s: "active", e: null });
  } finally {
    await sql`delete from team_members where id = ${member.id}`;
    await sql.end();
  }
});

Deno.test("stop the partial-read feed server", async () => {
  await server.shutdown();
});
