// Writes a booking to a connected Google or Outlook calendar (read-write, guide step [7]):
// customer first name and service only, never a phone number. Idempotent on retry, so a lost
// answer never makes two events: Google gets an event id derived from the booking (a repeat
// insert answers 409 and the event is updated instead); Microsoft gets the booking as
// transactionId (Graph answers a repeated create with the same event).
import type postgres from "postgres";
import { type ConnectedDeps, freshAccessToken } from "./connected.ts";
import { FeedError } from "./fetch_feed.ts";
import { type OAuthProvider, providerLabel } from "./oauth.ts";
import { type ApiContext, apiRequest } from "./provider_api.ts";
import { BOOKING_MARKER, OWN_TRANSACTION_PREFIX } from "./provider_read.ts";

export type BookingEvent = {
  bookingId: string;
  teamMemberId: string;
  teamMemberName: string;
  calendarId: string | null;
  startsAt: Date;
  endsAt: Date;
  serviceName: string;
  customerName: string;
};

/** Google event ids are base32hex (a-v, 0-9), 5-1024 long: "bk" + the booking's hex digits. */
export const googleEventId = (bookingId: string) =>
  `bk${bookingId.replaceAll("-", "").toLowerCase()}`;
/** Graph transactionId of a booking's event: what makes a retried create return the same event. */
export const graphTransactionId = (bookingId: string) => `${OWN_TRANSACTION_PREFIX}${bookingId}`;

const firstName = (name: string) => name.trim().split(/\s+/)[0] || "WhatsApp customer";

function summary(event: BookingEvent) {
  return `${event.serviceName} – ${firstName(event.customerName)}`;
}

/** A fresh access token for the member's calendar, wrapped for the API calls. */
async function apiContext(
  sql: postgres.Sql,
  kind: OAuthProvider,
  secret: string | null,
  event: Pick<BookingEvent, "teamMemberId" | "teamMemberName">,
  timeoutMs: number,
  deps: ConnectedDeps,
) {
  const { accessToken, config } = await freshAccessToken(
    sql,
    kind,
    { teamMemberId: event.teamMemberId, name: event.teamMemberName },
    secret,
    timeoutMs,
    deps,
  );
  const ctx: ApiContext = { accessToken, label: providerLabel[kind], timeoutMs, sleep: deps.sleep };
  return { ctx, config };
}

/** Writes or moves the event; returns its id (kept in bookings.external_event_id). */
export async function writeConnectedEvent(
  sql: postgres.Sql,
  kind: OAuthProvider,
  secret: string | null,
  event: BookingEvent,
  timeoutMs: number,
  deps: ConnectedDeps = {},
): Promise<string> {
  const { ctx, config } = await apiContext(sql, kind, secret, event, timeoutMs, deps);
  const description = `Booked over WhatsApp (booking ${event.bookingId}).`;
  if (kind === "google") {
    const base = `${config.googleApiUrl}/calendars/${
      encodeURIComponent(event.calendarId ?? "primary")
    }/events`;
    const id = googleEventId(event.bookingId);
    const body = {
      summary: summary(event),
      description,
      start: { dateTime: event.startsAt.toISOString() },
      end: { dateTime: event.endsAt.toISOString() },
      extendedProperties: { private: { [BOOKING_MARKER]: event.bookingId } },
    };
    const created = await apiRequest(ctx, `${base}?sendUpdates=none`, {
      method: "POST",
      body: { id, ...body },
    }, [409]);
    await created.body?.cancel();
    if (created.status === 409) {
      // Already there (a lost answer, or a move): bring it to the booking's times.
      const patched = await apiRequest(ctx, `${base}/${id}?sendUpdates=none`, {
        method: "PATCH",
        body,
      });
      await patched.body?.cancel();
    }
    return id;
  }
  const base = `${config.graphApiUrl}${
    event.calendarId ? `/me/calendars/${encodeURIComponent(event.calendarId)}` : "/me"
  }/events`;
  const utc = (d: Date) => ({ dateTime: d.toISOString().slice(0, 19), timeZone: "UTC" });
  const res = await apiRequest(ctx, base, {
    method: "POST",
    body: {
      subject: summary(event),
      body: { contentType: "Text", content: description },
      start: utc(event.startsAt),
      end: utc(event.endsAt),
      showAs: "busy",
      transactionId: graphTransactionId(event.bookingId),
    },
  });
  const created = await res.json().catch(() => null) as { id?: unknown } | null;
  if (typeof created?.id !== "string") throw new FeedError(`${ctx.label} answered unreadably`);
  return created.id;
}

/** Deletes the event; one that is already gone counts as deleted. */
export async function deleteConnectedEvent(
  sql: postgres.Sql,
  kind: OAuthProvider,
  secret: string | null,
  event: Pick<BookingEvent, "teamMemberId" | "teamMemberName" | "calendarId">,
  eventId: string,
  timeoutMs: number,
  deps: ConnectedDeps = {},
): Promise<void> {
  const { ctx, config } = await apiContext(sql, kind, secret, event, timeoutMs, deps);
  const url = kind === "google"
    ? `${config.googleApiUrl}/calendars/${
      encodeURIComponent(event.calendarId ?? "primary")
    }/events/${encodeURIComponent(eventId)}?sendUpdates=none`
    : `${config.graphApiUrl}/me/events/${encodeURIComponent(eventId)}`;
  const res = await apiRequest(ctx, url, { method: "DELETE" }, [404, 410]);
  await res.body?.cancel();
}

/** What the write-back queue hands over (a row of claim_calendar_writebacks). */
export type QueuedBookingWrite = {
  action: "upsert" | "delete";
  event_href: string | null;
  booking_id: string;
  booking_status: string;
  team_member_id: string;
  team_member_name: string;
  calendar_source_url: string | null;
  starts_at: Date;
  ends_at: Date;
  service_name: string;
  customer_name: string;
};

/**
 * The write-back of a Google or Outlook member's booking; `handled: false` for other providers.
 * Returns the event id to keep in bookings.external_event_id (null after a delete, or for a
 * booking cancelled before its event was written).
 */
export async function connectedWriteBack(
  sql: postgres.Sql,
  item: QueuedBookingWrite,
  secret: string | null,
  timeoutMs: number,
  deps: ConnectedDeps = {},
): Promise<{ handled: false } | { handled: true; eventId: string | null }> {
  const [member] = await sql<{ calendar_provider: string | null }[]>`
    select calendar_provider from public.team_members where id = ${item.team_member_id}::uuid`;
  const kind = member?.calendar_provider;
  if (kind !== "google" && kind !== "outlook") return { handled: false };
  const who = {
    teamMemberId: item.team_member_id,
    teamMemberName: item.team_member_name,
    calendarId: item.calendar_source_url,
  };
  if (item.action === "delete") {
    if (item.event_href) {
      await deleteConnectedEvent(sql, kind, secret, who, item.event_href, timeoutMs, deps);
    }
    return { handled: true, eventId: null };
  }
  if (item.booking_status !== "confirmed") return { handled: true, eventId: null };
  const eventId = await writeConnectedEvent(
    sql,
    kind,
    secret,
    {
      ...who,
      bookingId: item.booking_id,
      startsAt: item.starts_at,
      endsAt: item.ends_at,
      serviceName: item.service_name,
      customerName: item.customer_name,
    },
    timeoutMs,
    deps,
  );
  return { handled: true, eventId };
}
