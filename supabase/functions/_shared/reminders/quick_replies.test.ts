import assert from "node:assert/strict";
import { testDb } from "../../../../local/tests/helpers.ts";
import { handleBookingQuickReply, quickReplyKind } from "./quick_replies.ts";

const weber = "70000000-0000-4000-8000-000000000001";
const cleaning = "50000000-0000-4000-8000-000000000001";
const marie = "c0000000-0000-4000-8000-000000000001";
const booking = "b8600000-0000-4000-8000-000000000001";

Deno.test("only this feature's payloads are taken", () => {
  assert.equal(quickReplyKind("reminder:confirm:x"), "reminder");
  assert.equal(quickReplyKind("waitlist:accept:x"), "waitlist");
  assert.equal(quickReplyKind("slot:3"), null);
  assert.equal(quickReplyKind(null), null);
});

Deno.test("a tapped reminder Cancel cancels the booking in the responder's transaction", async () => {
  const sql = testDb();
  try {
    // Rolled back at the end: the test leaves nothing behind.
    await sql.begin(async (tx) => {
      await tx`insert into bookings (id, contact_id, service_id, team_member_id, starts_at, ends_at, created_at)
        values (${booking}, ${marie}, ${cleaning}, ${weber}, '2026-12-03 10:00+01', '2026-12-03 11:00+01', '2026-11-20 09:00+01')`;
      await tx`select private.send_due_reminders('2026-12-02 10:00+01')`;
      const now = new Date("2026-12-02T09:30:00Z");
      assert.equal(await handleBookingQuickReply(tx, marie, "hello", now), null);
      const outcome = await handleBookingQuickReply(tx, marie, `reminder:cancel:${booking}`, now);
      assert.equal(outcome?.action, "cancelled");
      const [{ status }] = await tx`select status from bookings where id = ${booking}`;
      assert.equal(status, "cancelled");
      await assert.rejects(
        () => handleBookingQuickReply(tx, marie, "reminder:cancel:not-a-uuid", now),
        /not a reminder reply/,
      );
      throw new Rollback();
    }).catch((e) => {
      if (!(e instanceof Rollback)) throw e;
    });
  } finally {
    await sql.end();
  }
});

class Rollback extends Error {}
