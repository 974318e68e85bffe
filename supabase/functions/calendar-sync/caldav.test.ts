// CalDAV read and write-back against a real Radicale server started by the test stack.
import assert from "node:assert/strict";
import { eventually, requireEnv, testDb } from "../../../local/tests/helpers.ts";
import { runSync } from "./sync.ts";
import { runWriteBack } from "./write_back.ts";

const auth = { Authorization: `Basic ${btoa("test:test-password")}` };
// A fixed clock: the sync window (yesterday to the horizon) and the bookings are computed from it,
// so the events below stay inside the window whatever today's date is.
const now = new Date("2026-12-01T11:00:00Z");
const options = {
  timeoutMs: 5000,
  maxBytes: 1_000_000,
  now,
  allowPrivateHosts: [new URL(requireEnv("CALDAV_URL")).host],
};
const event = (uid: string, start: string, end: string) =>
  `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:test\r\nBEGIN:VEVENT\r\nUID:${uid}\r\nDTSTAMP:20261101T000000Z\r\n` +
  `DTSTART:${start}\r\nDTEND:${end}\r\nSUMMARY:Private appointment\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;

async function dav(method: string, url: string, body?: string): Promise<Response> {
  const res = await fetch(url, {
    method,
    headers: { ...auth, "content-type": "text/calendar" },
    body,
  });
  await res.body?.cancel();
  return res;
}

Deno.test("CalDAV: busy times are read with a time range, bookings are written, moved and deleted", async () => {
  const sql = testDb();
  const collection = `${requireEnv("CALDAV_URL")}/test/cal-${crypto.randomUUID().slice(0, 8)}/`;
  assert.equal((await dav("MKCALENDAR", collection)).status, 201);
  await dav(
    "PUT",
    `${collection}dentist-course.ics`,
    event("course-1", "20261208T090000Z", "20261208T100000Z"),
  );
  await dav(
    "PUT",
    `${collection}old-booking.ics`,
    event("booking-x@staff-aware-booking", "20261209T090000Z", "20261209T100000Z"),
  );
  const [member] = await sql`insert into team_members (name, calendar_provider, calendar_source_url)
    values (${
    "CalDAV test " + crypto.randomUUID().slice(0, 8)
  }, 'caldav', ${collection}) returning id`;
  await sql`insert into team_member_services (team_member_id, service_id)
    select ${member.id}::uuid, id from services where name = 'Dental Cleaning'`;
  await sql`select admin_set_calendar_secret(${member.id}::uuid, '{"username": "test", "password": "test-password"}')`;
  try {
    const synced = await runSync(sql, { teamMemberId: member.id }, options);
    assert.equal(synced.teamMembers[0].result, "synced");
    const busy =
      await sql`select source_uid from calendar_busy_times where team_member_id = ${member.id}`;
    assert.deepEqual(
      busy.map((b) => b.source_uid),
      ["course-1"],
      "our own booking events are not read back as busy",
    );

    // A confirmed booking becomes an event in the calendar. The booking also wakes calendar-sync
    // through pg_net, so the local net worker may claim the write before runWriteBack below does
    // (claims skip locked rows): either way exactly one of them writes it, and the test waits for
    // that end state, not for a particular process or a time.
    const [{ id: bookingId }] = await sql`
      select book_appointment(c.id, s.id, ${member.id}::uuid, '2026-12-08 14:00+01', 'auto', p_now => ${now}) as id
      from contacts c, services s where c.whatsapp_id = '+41791110004' and s.name = 'Dental Cleaning'`;
    await runWriteBack(sql, options);
    const href = await eventually(async () => {
      const [row] = await sql`select external_event_id from bookings where id = ${bookingId}`;
      return row.external_event_id ?? undefined;
    });
    const written = await fetch(href, { headers: auth });
    const ics = await written.text();
    assert.equal(written.status, 200);
    assert.match(ics, /SUMMARY:Dental Cleaning – Lisa Hoffmann/);
    assert.match(ics, /DTSTART:20261208T130000Z/);

    // A reschedule moves it: a new event for the new booking, the old one deleted.
    const [{ id: movedId }] =
      await sql`select reschedule_booking(${bookingId}::uuid, '2026-12-09 15:00+01', null, ${now}) as id`;
    await runWriteBack(sql, options);
    const movedHref = await eventually(async () => {
      const [row] = await sql`select external_event_id from bookings where id = ${movedId}`;
      const [queue] =
        await sql`select count(*)::int as n from calendar_writeback_queue q join bookings b on b.id = q.booking_id
                                 where b.team_member_id = ${member.id}`;
      return row.external_event_id && queue.n === 0 ? row.external_event_id : undefined;
    });
    assert.equal((await dav("GET", href)).status, 404, "the old event is gone");
    assert.equal((await dav("GET", movedHref)).status, 200, "the new event is there");

    // A cancellation deletes it.
    await sql`select cancel_booking(${movedId}::uuid, ${now})`;
    await runWriteBack(sql, options);
    await eventually(async () => (await dav("GET", movedHref)).status === 404 ? true : undefined);

    // Wrong credentials are reported as such, without the password.
    await sql`select admin_set_calendar_secret(${member.id}::uuid, '{"username": "test", "password": "wrong-horse-battery"}')`;
    const refused = await runSync(sql, { teamMemberId: member.id }, options);
    assert.equal(refused.teamMembers[0].result, "failed");
    assert.match(refused.teamMembers[0].error ?? "", /refused the credentials \(HTTP 401\)/);
    assert.ok(!JSON.stringify(refused).includes("wrong-horse-battery"));
    assert.equal(
      (await sql`select source_uid from calendar_busy_times where team_member_id = ${member.id}`)
        .length,
      1,
      "a failed CalDAV sync keeps the known busy times",
    );
  } finally {
    await sql`delete from calendar_writeback_queue where booking_id in (select id from bookings where team_member_id = ${member.id})`;
    await sql`delete from bookings where team_member_id = ${member.id}`;
    await sql`delete from team_members where id = ${member.id}`;
    await sql.end();
  }
});
