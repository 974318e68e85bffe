// Write-back against the real CalDAV server of the test stack (Radicale): a hostile customer
// name stays text (issue #14, item 8) and a retry after a lost answer, or a cancellation of an
// event whose address was never recorded, still ends with exactly the right events (item 10).
import assert from "node:assert/strict";
import ICAL from "ical.js";
import { eventually, requireEnv, testDb } from "../../../local/tests/helpers.ts";
import { runWriteBack } from "./write_back.ts";

const auth = { Authorization: `Basic ${btoa("test:test-password")}` };
const options = {
  timeoutMs: 5000,
  maxBytes: 1_000_000,
  allowPrivateHosts: [new URL(requireEnv("CALDAV_URL")).host],
};

async function dav(method: string, url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method, headers: { ...auth, ...headers } });
  return { status: res.status, text: await res.text() };
}

/** Runs the write-back (the stack's pg_net worker may also run it: either is fine) until this
 * member's queue is empty; a write that keeps failing leaves its item and fails here. */
async function settle(sql: ReturnType<typeof testDb>, memberId: string) {
  await eventually(async () => {
    await runWriteBack(sql, options);
    const [q] = await sql`select count(*)::int as n from calendar_writeback_queue q
      join bookings b on b.id = q.booking_id where b.team_member_id = ${memberId}`;
    return q.n === 0 ? true : undefined;
  });
}

Deno.test("write-back: hostile names stay text; retries and cancellations are idempotent", async () => {
  const sql = testDb();
  const collection = `${requireEnv("CALDAV_URL")}/test/wb-${crypto.randomUUID().slice(0, 8)}/`;
  assert.equal((await dav("MKCALENDAR", collection)).status, 201);
  const [member] = await sql`insert into team_members (name, calendar_provider, calendar_source_url)
    values (${
    "Write-back test " + crypto.randomUUID().slice(0, 8)
  }, 'caldav', ${collection}) returning id`;
  await sql`insert into team_member_services (team_member_id, service_id)
    select ${member.id}::uuid, id from services where name = 'Dental Cleaning'`;
  await sql`select admin_set_calendar_secret(${member.id}::uuid, '{"username": "test", "password": "test-password"}')`;
  await sql`select replace_busy_times(${member.id}::uuid, now() - interval '1 day', now() + interval '30 days', '[]')`;
  const phone = `+4179${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`;
  const [contact] = await sql`insert into contacts (whatsapp_id, name)
    values (${phone}, ${"Eve\rRRULE:FREQ=DAILY\rEND:VEVENT\r\nBEGIN:VEVENT"}) returning id`;
  try {
    const [{ booking }] = await sql`
      select book_appointment(${contact.id}::uuid, s.id, ${member.id}::uuid, '2026-12-08 14:00+01', 'auto',
        p_now => '2026-12-01 12:00+01') as booking
      from services s where s.name = 'Dental Cleaning'`;
    await settle(sql, member.id);
    const href = `${collection}booking-${booking}.ics`;
    const event = await dav("GET", href);
    assert.equal(event.status, 200);
    const events = new ICAL.Component(ICAL.parse(event.text)).getAllSubcomponents("vevent");
    assert.equal(events.length, 1, "one event, not two");
    assert.equal(events[0].getFirstProperty("rrule"), null, "no recurrence was injected");
    assert.match(String(events[0].getFirstPropertyValue("summary")), /Eve\nRRULE:FREQ=DAILY/);

    // The answer to the PUT was lost: no external_event_id, the write is queued again.
    await sql`update bookings set external_event_id = null where id = ${booking}`;
    await sql`insert into calendar_writeback_queue (booking_id, action) values (${booking}, 'upsert')`;
    await settle(sql, member.id); // a 412 would leave the item queued with its error
    const listing = await dav("PROPFIND", collection, { Depth: "1" });
    assert.equal(listing.text.match(/booking-[^<]*\.ics/g)?.length, 1, "still exactly one event");

    // Cancelled while external_event_id is empty: the event is still found and deleted.
    await sql`update bookings set external_event_id = null where id = ${booking}`;
    await sql`select cancel_booking(${booking}::uuid, '2026-12-01 12:10+01')`;
    await settle(sql, member.id);
    assert.equal((await dav("GET", href)).status, 404, "no orphaned event");
  } finally {
    await sql`delete from bookings where team_member_id = ${member.id}`;
    await sql`delete from contacts where id = ${contact.id}`;
    await sql`delete from team_members where id = ${member.id}`;
    await sql`delete from vault.secrets where name like ${
      "team_member_" + member.id.replaceAll("-", "_") + "%"
    }`;
    await sql.end();
  }
});
