// Writes queued bookings to team members' read-write calendars (CalDAV): confirmed ones become
// events, cancelled ones are deleted. SQL decides what is queued; this only talks to the server.
import type postgres from "postgres";
import type { FunctionRow, PgDate, PgInt8, PgRow } from "../_shared/database.ts";
import { caldavAccess, deleteBookingEvent, writeBookingEvent } from "../_shared/calendar/caldav.ts";
import { FeedError } from "../_shared/calendar/fetch_feed.ts";
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

export async function runWriteBack(sql: postgres.Sql, options: { timeoutMs: number }) {
  const queued = await sql<QueuedWrite[]>`select * from public.claim_calendar_writebacks()`;
  const outcomes: WriteBackOutcome[] = [];
  for (const item of queued) {
    const who = `${item.team_member_name} (${item.team_member_id})`;
    try {
      const secret = await resolveCalendarSecret(
        sql,
        item.team_member_id,
        item.calendar_secret_ref,
      );
      const access = caldavAccess(secret, item.calendar_source_url);
      if (item.action === "upsert") {
        // A booking cancelled before its event was written needs no event.
        const href = item.booking_status === "confirmed"
          ? await writeBookingEvent(access, {
            id: item.booking_id,
            startsAt: item.starts_at,
            endsAt: item.ends_at,
            summary: `${item.service_name} – ${item.customer_name}`,
            description: `Booked over WhatsApp (booking ${item.booking_id}).`,
          }, options.timeoutMs)
          : null;
        await sql`select public.complete_calendar_writeback(${item.queue_id}::bigint, ${href})`;
        outcomes.push({ bookingId: item.booking_id, action: item.action, result: "written" });
        console.log(`[calendar-sync] ${who}: booking ${item.booking_id} written to the calendar`);
      } else {
        if (item.event_href) await deleteBookingEvent(access, item.event_href, options.timeoutMs);
        await sql`select public.complete_calendar_writeback(${item.queue_id}::bigint, null)`;
        outcomes.push({ bookingId: item.booking_id, action: item.action, result: "deleted" });
        console.log(`[calendar-sync] ${who}: booking ${item.booking_id} removed from the calendar`);
      }
    } catch (error) {
      const message = error instanceof FeedError
        ? error.message
        : "calendar write failed unexpectedly";
      await sql`select public.fail_calendar_writeback(${item.queue_id}::bigint, ${message})`;
      outcomes.push({
        bookingId: item.booking_id,
        action: item.action,
        result: "failed",
        error: message,
      });
      console.error(
        `[calendar-sync] ${who}: writing booking ${item.booking_id} failed: ${message}`,
      );
    }
  }
  return { writeBacks: outcomes };
}
