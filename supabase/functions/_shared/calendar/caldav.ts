// CalDAV (read-write, guide provider 3) through tsdav: busy times from a calendar-query REPORT
// with a time range, and bookings written back as VEVENTs in the team member's calendar.
import {
  createCalendarObject,
  deleteCalendarObject,
  fetchCalendarObjects,
  getBasicAuthHeaders,
} from "tsdav";
import { z } from "zod";
import { FeedError } from "./fetch_feed.ts";
import { busyIntervals, keepOf } from "./ics.ts";
import type { Provider } from "./providers.ts";

/** UID suffix of the events we write, so they are not read back as someone else's busy time. */
export const OWN_EVENT_DOMAIN = "@staff-aware-booking";

export type CaldavAccess = { collectionUrl: string; headers: Record<string, string> };

const secretJson = z.object({
  url: z.string().optional(),
  username: z.string().min(1),
  password: z.string().min(1),
}).strict();

/**
 * The collection and credentials from the secret: JSON {"url"?, "username", "password"}, or a URL
 * with user:password in it; the collection URL may instead be the non-secret source URL.
 */
export function caldavAccess(secret: string | null, sourceUrl: string | null): CaldavAccess {
  let url = sourceUrl ?? undefined;
  let username: string | undefined;
  let password: string | undefined;
  if (secret?.trim().startsWith("{")) {
    let parsed;
    try {
      parsed = secretJson.parse(JSON.parse(secret));
    } catch {
      throw new FeedError(
        'CalDAV secret must be {"url"?, "username", "password"} or a URL with credentials',
      );
    }
    url = parsed.url ?? url;
    username = parsed.username;
    password = parsed.password;
  } else if (secret) {
    url = secret;
  }
  if (!url) throw new FeedError("no CalDAV collection address configured");
  let collection: URL;
  try {
    collection = new URL(url);
  } catch {
    throw new FeedError("CalDAV collection address is not a valid URL");
  }
  if (collection.protocol !== "https:" && collection.protocol !== "http:") {
    throw new FeedError("CalDAV collection address must be http(s)");
  }
  if (collection.username) {
    username = decodeURIComponent(collection.username);
    password = decodeURIComponent(collection.password);
    collection.username = "";
    collection.password = "";
  }
  if (!collection.pathname.endsWith("/")) collection.pathname += "/";
  const headers: Record<string, string> = username && password
    ? getBasicAuthHeaders({ username, password })
    : {};
  return { collectionUrl: collection.toString(), headers };
}

function davError(error: unknown, timeoutMs: number): FeedError {
  if (error instanceof FeedError) return error;
  if (
    error instanceof DOMException && (error.name === "TimeoutError" || error.name === "AbortError")
  ) {
    return new FeedError(`CalDAV server did not answer within ${Math.round(timeoutMs / 1000)} s`);
  }
  const status = /\b(401|403|404|410|5\d\d)\b/.exec(error instanceof Error ? error.message : "")
    ?.[1];
  if (status === "401" || status === "403") {
    return new FeedError(`CalDAV server refused the credentials (HTTP ${status})`);
  }
  if (status === "404" || status === "410") {
    return new FeedError(`calendar address no longer valid (HTTP ${status})`);
  }
  if (status) return new FeedError(`CalDAV server error (HTTP ${status})`);
  return new FeedError("CalDAV server could not be reached");
}

/** Fails on an HTTP error answer, which tsdav passes through as a response. */
async function ensureOk(response: Response, what: string): Promise<Response> {
  if (response.ok || response.status === 404 && what === "delete") return response;
  await response.body?.cancel();
  throw new FeedError(
    response.status === 401 || response.status === 403
      ? `CalDAV server refused the credentials (HTTP ${response.status})`
      : `CalDAV server could not ${what} the event (HTTP ${response.status})`,
  );
}

export const caldavProvider: Provider = async (target, secret, options) => {
  const access = caldavAccess(secret, target.calendar_source_url);
  let objects;
  try {
    objects = await fetchCalendarObjects({
      calendar: { url: access.collectionUrl },
      headers: access.headers,
      timeRange: { start: options.windowStart.toISOString(), end: options.windowEnd.toISOString() },
      fetchOptions: { signal: AbortSignal.timeout(options.timeoutMs) },
    });
  } catch (error) {
    throw davError(error, options.timeoutMs);
  }
  const text = objects.map((o) => String(o.data ?? "")).filter((d) => /BEGIN:VCALENDAR/i.test(d))
    .join("\r\n");
  const parsed = busyIntervals(text, {
    from: options.windowStart,
    to: options.windowEnd,
    businessZone: options.businessZone,
  });
  return {
    kind: "busy",
    intervals: parsed.intervals.filter((i) => !i.uid?.endsWith(OWN_EVENT_DOMAIN)),
    skipped: parsed.skippedCount,
    ...keepOf(parsed),
    etag: null,
    lastModified: null,
  };
};

export type BookingEvent = {
  id: string;
  startsAt: Date;
  endsAt: Date;
  summary: string;
  description: string;
};

function icsStamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

function icsText(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(
    /\r?\n/g,
    "\\n",
  );
}

/** Writes (creates or replaces) a booking's event; returns its address in the collection. */
export async function writeBookingEvent(
  access: CaldavAccess,
  booking: BookingEvent,
  timeoutMs: number,
): Promise<string> {
  const filename = `booking-${booking.id}.ics`;
  const ics = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//staff-aware-booking//calendar write-back//EN",
    "BEGIN:VEVENT",
    `UID:booking-${booking.id}${OWN_EVENT_DOMAIN}`,
    `DTSTAMP:${icsStamp(new Date())}`,
    `DTSTART:${icsStamp(booking.startsAt)}`,
    `DTEND:${icsStamp(booking.endsAt)}`,
    `SUMMARY:${icsText(booking.summary)}`,
    `DESCRIPTION:${icsText(booking.description)}`,
    "END:VEVENT",
    "END:VCALENDAR",
    "",
  ].join("\r\n");
  try {
    await ensureOk(
      await createCalendarObject({
        calendar: { url: access.collectionUrl },
        filename,
        iCalString: ics,
        headers: access.headers,
        fetchOptions: { signal: AbortSignal.timeout(timeoutMs) },
      }),
      "write",
    );
  } catch (error) {
    throw davError(error, timeoutMs);
  }
  return new URL(filename, access.collectionUrl).toString();
}

export async function deleteBookingEvent(
  access: CaldavAccess,
  href: string,
  timeoutMs: number,
): Promise<void> {
  try {
    await ensureOk(
      await deleteCalendarObject({
        calendarObject: { url: href },
        headers: access.headers,
        fetchOptions: { signal: AbortSignal.timeout(timeoutMs) },
      }),
      "delete",
    );
  } catch (error) {
    throw davError(error, timeoutMs);
  }
}
