// CalDAV (read-write, guide provider 3) through tsdav: busy times from a calendar-query REPORT
// with a time range. Every request goes through the guarded outbound fetch (public addresses
// only, timeout, size limit), and the credentials only ever go to the origin of the collection
// address stored with them. Writing bookings back is in caldav_events.ts.
import { fetchCalendarObjects, getBasicAuthHeaders } from "tsdav";
import { z } from "zod";
import { FeedError } from "./feed_error.ts";
import { busyIntervals } from "./ics.ts";
import { guardedFetch, type OutboundPolicy, requestError } from "./outbound.ts";
import type { Provider } from "./providers.ts";

/** UID suffix of the events we write, so they are not read back as someone else's busy time. */
export const OWN_EVENT_DOMAIN = "@staff-aware-booking";

export type CaldavAccess = {
  /** The collection, always the one stored with the credentials when there are any. */
  collectionUrl: string;
  headers: Record<string, string>;
};

const secretJson = z.object({
  url: z.string().optional(),
  username: z.string().min(1),
  password: z.string().min(1),
}).strict();

/**
 * The collection and credentials from the secret: JSON {"url", "username", "password"}, or a URL
 * with user:password in it. Credentials are bound to the address stored with them: a secret
 * with credentials but no address is refused (admin_set_calendar_secret adds the address when it
 * stores one), and calendar_source_url is used only for a calendar without credentials, so that
 * changing it cannot send a password elsewhere.
 */
export function caldavAccess(secret: string | null, sourceUrl: string | null): CaldavAccess {
  let url: string | undefined;
  let username: string | undefined;
  let password: string | undefined;
  if (secret?.trim().startsWith("{")) {
    let parsed;
    try {
      parsed = secretJson.parse(JSON.parse(secret));
    } catch {
      throw new FeedError(
        'CalDAV secret must be {"url", "username", "password"} or a URL with credentials',
      );
    }
    if (!parsed.url) {
      throw new FeedError(
        "CalDAV secret names no calendar address; store it again with admin_set_calendar_secret",
      );
    }
    url = parsed.url;
    username = parsed.username;
    password = parsed.password;
  } else {
    url = secret ?? sourceUrl ?? undefined;
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

/** The fetch tsdav uses for this calendar: guarded, and credentials only for its origin. */
export function caldavFetch(access: CaldavAccess, policy: OutboundPolicy): typeof fetch {
  return guardedFetch(policy, new URL(access.collectionUrl).origin);
}

/** Failures of CalDAV requests as messages people read; HTTP statuses tsdav reports in text. */
export function caldavError(error: unknown, timeoutMs: number): FeedError {
  const mapped = requestError(error, timeoutMs);
  if (mapped.message !== "calendar server could not be reached") return mapped;
  const status = /\b(401|403|404|410|5\d\d)\b/.exec(error instanceof Error ? error.message : "")
    ?.[1];
  if (status === "401" || status === "403") {
    return new FeedError(`CalDAV server refused the credentials (HTTP ${status})`);
  }
  if (status === "404" || status === "410") {
    return new FeedError(`calendar address no longer valid (HTTP ${status})`);
  }
  if (status) return new FeedError(`CalDAV server error (HTTP ${status})`);
  return mapped;
}

export const caldavProvider: Provider = async (target, secret, options) => {
  const access = caldavAccess(secret, target.calendar_source_url);
  let objects;
  try {
    objects = await fetchCalendarObjects({
      calendar: { url: access.collectionUrl },
      headers: access.headers,
      timeRange: { start: options.windowStart.toISOString(), end: options.windowEnd.toISOString() },
      fetch: caldavFetch(access, options),
    });
  } catch (error) {
    throw caldavError(error, options.timeoutMs);
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
    skipped: parsed.skipped.length,
    etag: null,
    lastModified: null,
  };
};
