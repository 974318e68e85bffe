// Renders a team member's bookings as an iCalendar feed (RFC 5545) that Google Calendar, Apple
// Calendar and Outlook subscribe to. ical.js writes the text (escaping, UTF-8-aware folding); the
// VTIMEZONE comes from @touch4it/ical-timezones, so times read as the member's local wall clock.
import ICAL from "ical.js";
import { vtimezoneFor } from "../_shared/calendar/timezones.ts";

export interface FeedEvent {
  /** The booking's calendar identity (stable across reschedules). */
  uid: string;
  sequence: number;
  /** Business-local wall-clock start and end, "YYYY-MM-DDTHH:MM:SS". */
  startsLocal: string;
  endsLocal: string;
  serviceName: string;
  customerFirstName: string | null;
  createdAt: Date;
  lastModified: Date;
}

export interface Feed {
  teamMemberName: string;
  timeZone: string;
  events: FeedEvent[];
}

const UID_DOMAIN = "bookings.staff-aware-booking";

/**
 * Text as a calendar can show it: line breaks become one "\n" (ical.js escapes it; a bare CR
 * would otherwise end up raw inside the line), other control characters are dropped, and a
 * value is cut to a sane length so one odd name cannot bloat every refresh.
 */
export function calendarText(value: string, maxLength = 200): string {
  // Only the start can be shown: cut long input before working on it.
  const cleaned = value.slice(0, maxLength * 4)
    .replace(/\r\n?/g, "\n")
    // deno-lint-ignore no-control-regex
    .replace(/[\u0000-\u0009\u000B-\u001F\u007F]/g, "")
    .trim();
  const chars = Array.from(cleaned);
  return chars.length > maxLength ? chars.slice(0, maxLength - 1).join("") + "…" : cleaned;
}

function utc(date: Date): ICAL.Time {
  return ICAL.Time.fromJSDate(date, true);
}

function local(wallClock: string, timeZone: string, name: string): ICAL.Property {
  const property = new ICAL.Property(name);
  property.setParameter("tzid", timeZone);
  property.setValue(ICAL.Time.fromDateTimeString(wallClock));
  return property;
}

export function renderFeed(feed: Feed, now: Date): string {
  const calendar = new ICAL.Component("vcalendar");
  calendar.addPropertyWithValue("version", "2.0");
  calendar.addPropertyWithValue("prodid", "-//staff-aware-booking//bookings feed//EN");
  calendar.addPropertyWithValue("calscale", "GREGORIAN");
  calendar.addPropertyWithValue("method", "PUBLISH");
  // An X- property has no known value type in ical.js, so it would not be escaped: declare it TEXT.
  const name = new ICAL.Property("x-wr-calname");
  name.resetType("text");
  name.setValue(calendarText(`Bookings: ${feed.teamMemberName}`).replace(/\n/g, " "));
  calendar.addProperty(name);
  calendar.addPropertyWithValue("x-wr-timezone", feed.timeZone);
  // How often subscribers should look again (Apple and Outlook read these; Google has its own pace).
  calendar.addPropertyWithValue("refresh-interval", ICAL.Duration.fromString("PT15M"))
    .setParameter("value", "DURATION");
  calendar.addPropertyWithValue("x-published-ttl", "PT15M");

  const vtimezone = vtimezoneFor(feed.timeZone);
  if (!vtimezone) throw new Error(`no VTIMEZONE data for ${feed.timeZone}`);
  calendar.addSubcomponent(new ICAL.Component(ICAL.parse(vtimezone)));

  for (const event of feed.events) {
    const vevent = new ICAL.Component("vevent");
    vevent.addPropertyWithValue("uid", `${event.uid}@${UID_DOMAIN}`);
    vevent.addPropertyWithValue("sequence", event.sequence);
    vevent.addPropertyWithValue("dtstamp", utc(now));
    vevent.addPropertyWithValue("created", utc(event.createdAt));
    vevent.addPropertyWithValue("last-modified", utc(event.lastModified));
    vevent.addProperty(local(event.startsLocal, feed.timeZone, "dtstart"));
    vevent.addProperty(local(event.endsLocal, feed.timeZone, "dtend"));
    const who = event.customerFirstName ? calendarText(event.customerFirstName, 60) : "Customer";
    vevent.addPropertyWithValue("summary", `${calendarText(event.serviceName, 120)}: ${who}`);
    vevent.addPropertyWithValue("status", "CONFIRMED");
    vevent.addPropertyWithValue("transp", "OPAQUE");
    vevent.addPropertyWithValue("class", "PRIVATE");
    calendar.addSubcomponent(vevent);
  }
  return stringify(calendar);
}

// ical.js folds after 75 octets and then prefixes the continuation with a space, which makes
// continuation lines 76 octets; RFC 5545 asks for at most 75. Folding one octet earlier keeps
// every line within the limit. (The setting is module-wide, so it is restored at once.)
function stringify(calendar: ICAL.Component): string {
  const previous = ICAL.foldLength;
  ICAL.foldLength = 74;
  try {
    return calendar.toString() + "\r\n";
  } finally {
    ICAL.foldLength = previous;
  }
}
