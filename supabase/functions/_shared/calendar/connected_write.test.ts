// Bookings written to Google Calendar and Outlook through the write-back queue, against the local
// fakes: a lost answer and the retry make one event, the event says service and first name only,
// it is not read back as busy time, and a cancellation deletes it.
import assert from "node:assert/strict";
import { eventually } from "../../../../local/tests/helpers.ts";
import { runSync } from "../../calendar-sync/sync.ts";
import { runWriteBack } from "../../calendar-sync/write_back.ts";
import {
  busyTimes,
  connect,
  fake,
  type FakeProvider,
  withMember,
} from "../../calendar-oauth-callback/test_helpers.ts";
import { closeDb } from "../db.ts";

const cases: { provider: "google" | "outlook"; fakeName: FakeProvider }[] = [
  { provider: "google", fakeName: "google" },
  { provider: "outlook", fakeName: "microsoft" },
];

for (const { provider, fakeName } of cases) {
  Deno.test(`${provider}: a booking becomes one event even when the answer is lost; cancelling deletes it`, async () => {
    await withMember(async (sql, id) => {
      const account = `write-${crypto.randomUUID().slice(0, 8)}`;
      assert.equal((await connect(sql, id, provider, account)).status, "active");
      await fake(fakeName, account, "lose-answers", { body: { count: 1 } });
      try {
        const [{ id: bookingId }] = await sql`
          select book_appointment(c.id, s.id, ${id}::uuid, '2026-12-08 14:00+01', 'auto', p_now => '2026-12-01 12:00+01') as id
          from contacts c, services s where c.whatsapp_id = '+41791110004' and s.name = 'Dental Cleaning'`;
        // The trigger's immediate attempt (through pg_net) writes the event but loses the answer.
        await eventually(async () => {
          const [q] =
            await sql`select last_error from calendar_writeback_queue where booking_id = ${bookingId}`;
          return q?.last_error ? q.last_error : undefined;
        }, 20_000);
        await sql`update calendar_writeback_queue set next_attempt_at = now() where booking_id = ${bookingId}`;
        const retried = await runWriteBack(sql, { timeoutMs: 5000, maxBytes: 1_000_000 });
        assert.deepEqual(retried.writeBacks.map((w) => w.result), ["written"]);

        const { events } = await fake(fakeName, account, "events", { method: "GET" });
        assert.equal(events.length, 1, "exactly one event after the retry");
        const [event] = events;
        const [booking] = await sql`select external_event_id from bookings where id = ${bookingId}`;
        assert.equal(
          booking.external_event_id,
          event.id,
          "the event is remembered with the booking",
        );
        assert.equal(
          event.summary ?? event.subject,
          "Dental Cleaning – Lisa",
          "service and first name only",
        );
        assert.ok(!JSON.stringify(event).includes("41791110004"), "no phone number");
        const start = event.start.dateTime as string;
        assert.equal(
          new Date(start.endsWith("Z") ? start : `${start}Z`).toISOString(),
          "2026-12-08T13:00:00.000Z",
        );

        assert.equal(
          (await runSync(sql, { teamMemberId: id }, { timeoutMs: 5000, maxBytes: 1e6 }))
            .teamMembers[0].result,
          "synced",
        );
        assert.equal(
          (await busyTimes(sql, id)).length,
          0,
          "our own event is not read back as busy time",
        );

        await sql`select cancel_booking(${bookingId}::uuid, '2026-12-01 12:00+01')`;
        await eventually(async () => {
          const [q] =
            await sql`select count(*)::int as n from calendar_writeback_queue where booking_id = ${bookingId}`;
          if (q.n > 0) await runWriteBack(sql, { timeoutMs: 5000, maxBytes: 1_000_000 });
          const left = (await fake(fakeName, account, "events", { method: "GET" })).events;
          return left.length === 0 ? true : undefined;
        }, 20_000);
      } finally {
        await sql`delete from calendar_writeback_queue where booking_id in (select id from bookings where team_member_id = ${id})`;
        await sql`delete from bookings where team_member_id = ${id}`;
      }
    });
  });
}

Deno.test({
  name: "close the shared pool (write-back)",
  fn: closeDb,
  sanitizeOps: false,
  sanitizeResources: false,
});
