// What an attacker or a careless admin tried against calendar sync and write-back (issue #14,
// items 6, 7, 9, 12, 13, 14), against local servers that answer as a calendar server, an
// attacker's server and a slow or flooding server would.
import assert from "node:assert/strict";
import { eventually, testDb } from "../../../local/tests/helpers.ts";
import { REFUSED_ADDRESS } from "../_shared/calendar/outbound.ts";
import { mapBounded, runSync, type SyncOptions } from "./sync.ts";
import { runWriteBack } from "./write_back.ts";

const FEED =
  `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:standup\r\nDTSTART:20260105T083000Z\r\n` +
  `DTEND:20260105T090000Z\r\nRRULE:FREQ=DAILY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;
const MULTISTATUS = (data: string) =>
  `<?xml version="1.0" encoding="utf-8"?><d:multistatus xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">` +
  `<d:response><d:href>/cal/standup.ics</d:href><d:propstat><d:prop><d:getetag>"1"</d:getetag>` +
  `<c:calendar-data>${data}</c:calendar-data></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>` +
  `</d:multistatus>`;

type Seen = { method: string; path: string; authorization: string | null };
const attackerSeen: Seen[] = [];
const attacker = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => {
  attackerSeen.push({
    method: req.method,
    path: new URL(req.url).pathname,
    authorization: req.headers.get("authorization"),
  });
  return new Response("", { status: 200 });
});
const attackerUrl = (path: string) => `http://127.0.0.1:${attacker.addr.port}${path}`;

const calendarSeen: Seen[] = [];
const calendar = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
  const path = new URL(req.url).pathname;
  calendarSeen.push({ method: req.method, path, authorization: req.headers.get("authorization") });
  await req.body?.cancel();
  if (path.startsWith("/to-attacker")) {
    return new Response(null, { status: 307, headers: { location: attackerUrl(path) } });
  }
  if (path.startsWith("/to-metadata")) {
    return new Response(null, {
      status: 302,
      headers: { location: "http://169.254.169.254/latest/meta-data/" },
    });
  }
  if (path === "/always-304.ics") return new Response(null, { status: 304 });
  if (path === "/feed.ics") return new Response(FEED);
  if (path.startsWith("/huge/")) {
    return new Response(MULTISTATUS("BEGIN:VCALENDAR\r\n" + "X".repeat(300_000)), { status: 207 });
  }
  if (path.startsWith("/slow/")) {
    await new Promise((r) => setTimeout(r, 1500));
    return new Response(MULTISTATUS(FEED), { status: 207 });
  }
  if (req.method === "REPORT") return new Response(MULTISTATUS(FEED), { status: 207 });
  return new Response(null, { status: req.method === "PUT" ? 201 : 204 });
});
const calendarUrl = (path: string) => `http://127.0.0.1:${calendar.addr.port}${path}`;

const options: SyncOptions = {
  timeoutMs: 500,
  maxBytes: 100_000,
  allowPrivateHosts: [`127.0.0.1:${calendar.addr.port}`],
};

async function withMember(
  provider: "ical" | "caldav",
  sourceUrl: string,
  fn: (sql: ReturnType<typeof testDb>, id: string) => Promise<void>,
) {
  const sql = testDb();
  const [member] = await sql`insert into team_members (name, calendar_provider, calendar_source_url)
    values (${
    "Security test " + crypto.randomUUID().slice(0, 8)
  }, ${provider}, ${sourceUrl}) returning id`;
  await sql`insert into team_member_services (team_member_id, service_id)
    select ${member.id}::uuid, id from services where name = 'Dental Cleaning'`;
  attackerSeen.length = 0;
  calendarSeen.length = 0;
  try {
    await fn(sql, member.id);
  } finally {
    await sql`delete from bookings where team_member_id = ${member.id}`;
    await sql`delete from team_members where id = ${member.id}`;
    await sql`delete from vault.secrets where name like ${
      "team_member_" + member.id.replaceAll("-", "_") + "%"
    }`;
    await sql.end();
  }
}

const CREDENTIALS = '{"username": "dentist", "password": "Pa55-w0rd-never-elsewhere"}';

Deno.test("CalDAV credentials go only to the address stored with them, whatever calendar_source_url says", async () => {
  await withMember("caldav", calendarUrl("/cal/"), async (sql, id) => {
    await sql`select admin_set_calendar_secret(${id}::uuid, ${CREDENTIALS})`;
    const [stored] = await sql`select private.calendar_secret(${id}::uuid)::jsonb ->> 'url' as url`;
    assert.equal(
      stored.url,
      calendarUrl("/cal/"),
      "the address is fixed when the secret is stored",
    );

    await sql`update team_members set calendar_source_url = ${
      attackerUrl("/steal/")
    } where id = ${id}`;
    const result = await runSync(sql, { teamMemberId: id }, {
      ...options,
      allowPrivateHosts: [...options.allowPrivateHosts!, `127.0.0.1:${attacker.addr.port}`],
    });
    assert.equal(result.teamMembers[0].result, "synced");
    assert.equal(attackerSeen.length, 0, "nothing was sent to the new calendar_source_url");
    assert.ok(
      calendarSeen.some((r) => r.method === "REPORT" && r.authorization?.startsWith("Basic ")),
    );
  });
});

Deno.test("an event address outside the member's calendar is refused, and a cancellation still deletes the event", async () => {
  await withMember("caldav", calendarUrl("/cal/"), async (sql, id) => {
    await sql`select admin_set_calendar_secret(${id}::uuid, ${CREDENTIALS})`;
    await sql`select replace_busy_times(${id}::uuid, now() - interval '1 day', now() + interval '30 days', '[]')`;
    const [{ booking }] = await sql`
      select book_appointment(c.id, s.id, ${id}::uuid, '2026-12-08 14:00+01', 'auto', p_now => '2026-12-01 12:00+01') as booking
      from contacts c, services s where c.whatsapp_id = '+41791110004' and s.name = 'Dental Cleaning'`;
    await sql`delete from calendar_writeback_queue where booking_id = ${booking}`; // the "lost answer"
    await sql`update bookings set external_event_id = ${
      attackerUrl("/steal/event.ics")
    } where id = ${booking}`;
    await sql`select cancel_booking(${booking}::uuid, '2026-12-01 12:05+01')`;
    const allowAttacker = {
      ...options,
      allowPrivateHosts: [...options.allowPrivateHosts!, `127.0.0.1:${attacker.addr.port}`],
    };
    // The stack's pg_net worker may run the write-back too; drive it until the outcome shows.
    const drive = (check: () => Promise<boolean>) =>
      eventually(async () => {
        await sql`update calendar_writeback_queue set next_attempt_at = now() where booking_id = ${booking}`;
        await runWriteBack(sql, allowAttacker);
        return (await check()) ? true : undefined;
      });
    await drive(async () => {
      const [q] =
        await sql`select last_error from calendar_writeback_queue where booking_id = ${booking}`;
      return /not in the team member's calendar/.test(q?.last_error ?? "");
    });
    assert.equal(attackerSeen.length, 0, "the credentials were not sent to the forged address");

    await sql`update bookings set external_event_id = null where id = ${booking}`;
    await sql`update calendar_writeback_queue set event_href = null where booking_id = ${booking}`;
    await drive(async () =>
      (await sql`select 1 from calendar_writeback_queue where booking_id = ${booking}`).length === 0
    );
    assert.ok(
      calendarSeen.some((r) => r.method === "DELETE" && r.path === `/cal/booking-${booking}.ics`),
      "the event is deleted at the booking's own address, although external_event_id was never set",
    );
  });
});

Deno.test("redirects to private addresses are refused on every hop, with one message, for iCal and CalDAV", async () => {
  const cases: ["ical" | "caldav", string][] = [
    ["ical", "/to-attacker/feed.ics"],
    ["ical", "/to-metadata/feed.ics"],
    ["ical", "http://10.20.30.40/feed.ics"],
    ["ical", "http://[::1]:9/feed.ics"],
    ["caldav", "/to-attacker/cal/"],
    ["caldav", "/to-metadata/cal/"],
  ];
  for (const [provider, path] of cases) {
    await withMember(provider, path.startsWith("/") ? calendarUrl(path) : path, async (sql, id) => {
      const result = await runSync(sql, { teamMemberId: id }, options);
      assert.equal(result.teamMembers[0].error, REFUSED_ADDRESS, `${provider} ${path}`);
      assert.equal(attackerSeen.length, 0, `${provider} ${path}: the private address got nothing`);
    });
  }
});

Deno.test("a redirect to another (allowed) server does not carry the credentials along", async () => {
  await withMember("caldav", calendarUrl("/to-attacker/cal/"), async (sql, id) => {
    await sql`select admin_set_calendar_secret(${id}::uuid, ${CREDENTIALS})`;
    await runSync(sql, { teamMemberId: id }, {
      ...options,
      allowPrivateHosts: [...options.allowPrivateHosts!, `127.0.0.1:${attacker.addr.port}`],
    });
    assert.ok(attackerSeen.length > 0, "the redirect was followed");
    assert.ok(attackerSeen.every((r) => r.authorization === null), "without Authorization");
  });
});

Deno.test("CalDAV answers have the feed's size limit and timeout", async () => {
  for (
    const [path, expected] of [["/huge/", /larger than 98 KB/], ["/slow/", /did not answer within/]]
  ) {
    await withMember("caldav", calendarUrl(path as string), async (sql, id) => {
      const result = await runSync(sql, { teamMemberId: id }, options);
      assert.match(result.teamMembers[0].error ?? "", expected as RegExp, path as string);
    });
  }
});

Deno.test("a 304 to a first request (no validators sent) is not a successful sync", async () => {
  await withMember("ical", calendarUrl("/always-304.ics"), async (sql, id) => {
    const result = await runSync(sql, { teamMemberId: id }, options);
    assert.equal(result.teamMembers[0].result, "failed");
    const [m] =
      await sql`select calendar_sync_status, calendar_last_synced from team_members where id = ${id}`;
    assert.equal(m.calendar_sync_status, "error");
    assert.equal(m.calendar_last_synced, null);
  });
});

Deno.test("a new calendar address is read in full: the old ETag is not sent to the new server", async () => {
  await withMember("ical", calendarUrl("/feed.ics"), async (sql, id) => {
    await sql`insert into calendar_sync_state (team_member_id, etag, last_modified)
      values (${id}, '"old"', 'Mon, 01 Jan 2024 00:00:00 GMT')`;
    await sql`update team_members set calendar_source_url = ${
      calendarUrl("/always-304.ics")
    } where id = ${id}`;
    const result = await runSync(sql, { teamMemberId: id }, options);
    assert.equal(result.teamMembers[0].result, "failed", "no 304 shortcut into 'unchanged'");
  });
});

Deno.test("a calendar another run has claimed is not synced twice", async () => {
  await withMember("ical", calendarUrl("/feed.ics"), async (sql, id) => {
    const [first] =
      await sql`select count(*)::int as n from claim_calendar_syncs(${id}::uuid, false)`;
    assert.equal(first.n, 1);
    const second = await runSync(sql, { teamMemberId: id }, options);
    assert.equal(second.teamMembers.length, 0, "the second run leaves it to the first");
    assert.equal(calendarSeen.length, 0);
  });
});

Deno.test("calendars are read with bounded concurrency", async () => {
  let running = 0;
  let peak = 0;
  const done = await mapBounded(Array.from({ length: 12 }, (_, i) => i), 3, async (i) => {
    running++;
    peak = Math.max(peak, running);
    await Promise.resolve();
    await new Promise((r) => queueMicrotask(() => r(null)));
    running--;
    return i * 2;
  });
  assert.deepEqual(done, Array.from({ length: 12 }, (_, i) => i * 2), "results in order");
  assert.equal(peak, 3, "never more than three at once");
});

Deno.test("an unexpected error is logged with its kind and SQLSTATE, never its text", async () => {
  await withMember("ical", calendarUrl("/feed.ics"), async (sql, id) => {
    const logged: string[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => logged.push(args.map(String).join(" "));
    try {
      const result = await runSync(sql, { teamMemberId: id }, {
        ...options,
        providers: {
          ical: async () => {
            await sql`select 1/0 as "https://user:hunter2@secret.example/"`;
            throw new Error("unreachable");
          },
        },
      });
      assert.equal(result.teamMembers[0].error, "calendar sync failed unexpectedly");
    } finally {
      console.error = original;
    }
    const line = logged.find((l) => l.includes("unexpected error")) ?? "";
    assert.match(line, new RegExp(`${id}.*SQLSTATE 22012`));
    assert.ok(!logged.join("\n").includes("hunter2"), "the error's text is not logged");
    const [m] = await sql`select calendar_sync_status from team_members where id = ${id}`;
    assert.equal(m.calendar_sync_status, "error", "the member's status says so");
  });
});

Deno.test("stop the test servers", async () => {
  await attacker.shutdown();
  await calendar.shutdown();
});
