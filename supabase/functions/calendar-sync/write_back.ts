// Writes queued bookings to team members' read-write calendars (CalDAV): confirmed ones become
// events, cancelled ones are deleted. SQL decides what is queued, in which order, and when to
// give up and alert (fail_calendar_writeback); this only talks to the server.
import type postgres from "postgres";
import type { FunctionRow, PgDate, PgInt8, PgRow } from "../_shared/database.ts";
import { caldavAccess } from "../_shared/calendar/caldav.ts";
import { deleteBookingEvent, writeBookingEvent } from "../_shared/calendar/caldav_events.ts";
import { FeedError } from "../_shared/calendar/feed_error.ts";
import { describeError } from "../_shared/calendar/log_error.ts";
import type { OutboundPolicy } from "../_shared/calendar/outbound.ts";
import { resolveCalendarSecret } from "../_shared/calendar/secret.ts";

type Claimed = FunctionRow<"claim_calendar_writebacks">;
type QueuedWrite = PgRow<Claimed, {
  queue_id: PgInt8<Claimed["queue_id"]>;
  action: "upsert" | "delete"; // the queue's check constraint
  event_href: string | null;
  calendar_source_url: string | null;
  calendar_secret_ref: string | null;
  starts_at: PgDate<Claimed["starts_at"]>;
  ends_at: PgDate<Claimed["ends_at"]>;
}>;

export type WriteBackOutcome = {
  bookingId: string;
  action: string;
  result: "written" | "deleted" | "failed";
  error?: string;
};

async function writeOne(sql: postgres.Sql, item: QueuedWrite, policy: OutboundPolicy) {
  const secret = await resolveCalendarSecret(sql, item.team_member_id, item.calendar_secret_ref);
  const access = caldavAccess(secret, item.calendar_source_url);
  if (item.action === "delete") {
    await deleteBookingEvent(access, item.booking_id, item.event_href, policy);
    return null;
  }
  // A booking cancelled before its event was written needs no event.
  if (item.booking_status !== "confirmed") return null;
  return await writeBookingEvent(access, {
    id: item.booking_id,
    startsAt: item.starts_at,
    endsAt: item.ends_at,
    summary: `${item.service_name} – ${item.customer_name}`,
    description: `Booked over WhatsApp (booking ${item.booking_id}).`,
  }, policy);
}

export async function runWriteBack(sql: postgres.Sql, policy: OutboundPolicy) {
  const queued = await sql<QueuedWrite[]>`select * from public.claim_calendar_writebacks()`;
  const outcomes: WriteBackOutcome[] = [];
  for (const item of queued) {
    const who = `${item.team_member_name} (${item.team_member_id})`;
    try {
      const href = await writeOne(sql, item, policy);
      await sql`select public.complete_calendar_writeback(${item.queue_id}::bigint, ${href})`;
      const result = item.action === "delete" ? "deleted" : "written";
      outcomes.push({ bookingId: item.booking_id, action: item.action, result });
      console.log(`[calendar-sync] ${who}: booking ${item.booking_id} ${result}`);
    } catch (error) {
      const message = error instanceof FeedError
        ? error.message
        : "calendar write failed unexpectedly";
      // Unexpected errors are logged by kind and SQLSTATE (never their raw text).
      console.error(
        `[calendar-sync] ${who}: writing booking ${item.booking_id} failed: ${
          describeError(error)
        }`,
      );
      try {
        await sql`select public.fail_calendar_writeback(${item.queue_id}::bigint, ${message})`;
      } catch (recordError) {
        console.error(
          `[calendar-sync] ${who}: could not record the failure of booking ${item.booking_id}: ${
            describeError(recordError)
          }`,
        );
      }
      outcomes.push({
        bookingId: item.booking_id,
        action: item.action,
        result: "failed",
        error: message,
      });
    }
  }
  return { writeBacks: outcomes };
}
