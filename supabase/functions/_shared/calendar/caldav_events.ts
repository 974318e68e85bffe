// Bookings written to a team member's CalDAV calendar. Each booking has one deterministic
// address (booking-<id>.ics in the collection) and UID, and the PUT has no If-None-Match: a
// retry after a lost answer replaces the same event instead of failing with 412 forever, and a
// cancellation can always find the event. Every text value is escaped per RFC 5545 and lines are
// folded, after line breaks of every kind are normalised: a bare CR in a customer's
// name must not start a property of its own.
import ICAL from "ical.js";
import { createCalendarObject, deleteCalendarObject } from "tsdav";
import { type CaldavAccess, caldavError, caldavFetch, OWN_EVENT_DOMAIN } from "./caldav.ts";
import { FeedError } from "./feed_error.ts";
import type { OutboundPolicy } from "./outbound.ts";

export type BookingEvent = {
  id: string;
  startsAt: Date;
  endsAt: Date;
  summary: string;
  description: string;
};

/** The event's address: the same for every attempt, inside the member's collection. */
export function bookingEventUrl(access: CaldavAccess, bookingId: string): string {
  return new URL(`booking-${encodeURIComponent(bookingId)}.ics`, access.collectionUrl).toString();
}

/** Text as one logical line: CR, LF and CRLF become a newline (escaped as \n by ical.js), other
 * control characters go, and the length is bounded. */
export function plainText(value: string, maxLength = 500): string {
  return value
    .replace(/\r\n|\r|\n|\u2028|\u2029|\u0085/g, "\n")
    // deno-lint-ignore no-control-regex
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "")
    .slice(0, maxLength);
}

/** The booking as an iCalendar document (RFC 5545: escaped text, folded lines, CRLF). */
export function bookingIcs(booking: BookingEvent, stamp: Date): string {
  const calendar = new ICAL.Component(["vcalendar", [], []]);
  calendar.updatePropertyWithValue("version", "2.0");
  calendar.updatePropertyWithValue("prodid", "-//staff-aware-booking//calendar write-back//EN");
  const event = new ICAL.Component("vevent");
  event.updatePropertyWithValue("uid", `booking-${booking.id}${OWN_EVENT_DOMAIN}`);
  event.updatePropertyWithValue("dtstamp", ICAL.Time.fromJSDate(stamp, true));
  event.updatePropertyWithValue("dtstart", ICAL.Time.fromJSDate(booking.startsAt, true));
  event.updatePropertyWithValue("dtend", ICAL.Time.fromJSDate(booking.endsAt, true));
  event.updatePropertyWithValue("summary", plainText(booking.summary));
  event.updatePropertyWithValue("description", plainText(booking.description, 2000));
  calendar.addSubcomponent(event);
  return unfoldedLines(calendar).map(fold).join("\r\n") + "\r\n";
}

/** Content lines of a component, escaped by ical.js but not folded. */
function unfoldedLines(component: ICAL.Component): string[] {
  const name = component.name.toUpperCase();
  return [
    `BEGIN:${name}`,
    ...component.getAllProperties().map((p) =>
      ICAL.stringify.property(p.toJSON(), ICAL.design.icalendar, true)
    ),
    ...component.getAllSubcomponents().flatMap(unfoldedLines),
    `END:${name}`,
  ];
}

/** RFC 5545 folding: at most 75 octets per line including a continuation's leading space, never
 * inside a UTF-8 sequence. (ical.js folds at 75 plus the space.) */
export function fold(line: string): string {
  const encoder = new TextEncoder();
  const parts: string[] = [];
  let current = "";
  let octets = 0;
  for (const char of line) {
    const size = encoder.encode(char).length;
    const room = parts.length === 0 ? 75 : 74;
    if (octets + size > room) {
      parts.push(current);
      current = "";
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join("\r\n ");
}

async function ensureOk(response: Response, what: "write" | "delete"): Promise<void> {
  if (response.ok || (response.status === 404 && what === "delete")) {
    await response.body?.cancel();
    return;
  }
  await response.body?.cancel();
  throw new FeedError(
    response.status === 401 || response.status === 403
      ? `CalDAV server refused the credentials (HTTP ${response.status})`
      : `CalDAV server could not ${what} the event (HTTP ${response.status})`,
  );
}

/** Creates or replaces a booking's event; returns its address in the collection. */
export async function writeBookingEvent(
  access: CaldavAccess,
  booking: BookingEvent,
  policy: OutboundPolicy,
  now = new Date(),
): Promise<string> {
  try {
    await ensureOk(
      await createCalendarObject({
        calendar: { url: access.collectionUrl },
        filename: `booking-${encodeURIComponent(booking.id)}.ics`,
        iCalString: bookingIcs(booking, now),
        headers: access.headers,
        headersToExclude: ["If-None-Match"],
        fetch: caldavFetch(access, policy),
      }),
      "write",
    );
  } catch (error) {
    throw caldavError(error, policy.timeoutMs);
  }
  return bookingEventUrl(access, booking.id);
}

/**
 * Deletes a booking's event at its deterministic address. A stored address elsewhere (someone
 * edited external_event_id) is refused: the credentials are never sent there.
 */
export async function deleteBookingEvent(
  access: CaldavAccess,
  bookingId: string,
  storedHref: string | null,
  policy: OutboundPolicy,
): Promise<void> {
  const href = bookingEventUrl(access, bookingId);
  if (storedHref && storedHref !== href) {
    throw new FeedError("the booking's stored event address is not in the team member's calendar");
  }
  try {
    await ensureOk(
      await deleteCalendarObject({
        calendarObject: { url: href },
        headers: access.headers,
        fetch: caldavFetch(access, policy),
      }),
      "delete",
    );
  } catch (error) {
    throw caldavError(error, policy.timeoutMs);
  }
}
