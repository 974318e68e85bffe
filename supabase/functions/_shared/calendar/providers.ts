// One module per calendar provider behind one shape: given a team member's calendar settings
// and secret, return their busy intervals in a window (or "unchanged"). iCal here, CalDAV in
// caldav.ts; Google and Outlook (OAuth-connected) in connected.ts.
import type { FunctionRow, PgRow } from "../database.ts";
import { caldavProvider } from "./caldav.ts";
import { connectedProvider } from "./connected.ts";
import { type BusyInterval, keepOf } from "./ics.ts";
import { FeedError, fetchFeed } from "./fetch_feed.ts";
import type { OutboundPolicy } from "./outbound.ts";
import { readFeedBounded, ReadTimeoutError } from "./parse_bounded.ts";

/** A row of calendar_sync_targets(); the columns SQL may leave null restated as such. */
export type SyncTarget = PgRow<FunctionRow<"calendar_sync_targets">, {
  calendar_source_url: string | null;
  calendar_secret_ref: string | null;
  etag: string | null;
  last_modified: string | null;
}>;

export type ProviderOptions = OutboundPolicy & {
  windowStart: Date;
  windowEnd: Date;
  businessZone: string;
};

export type ProviderResult =
  | { kind: "unchanged" }
  | {
    kind: "busy";
    intervals: BusyInterval[];
    skipped: number;
    /** UIDs read only in part: keep their stored busy times (fail closed). */
    keepUids?: string[];
    /** Some unreadable part had no UID: keep every stored busy time not read again. */
    keepUnlisted?: boolean;
    etag: string | null;
    lastModified: string | null;
  };

/** Hard limit on reading one feed; the parser's own deadline (10 s) comes first. */
const READ_LIMIT_MS = 20_000;

export type Provider = (
  target: SyncTarget,
  secret: string | null,
  options: ProviderOptions,
) => Promise<ProviderResult>;

/** Read-only iCal feed: the secret (a private iCal URL) or else the public source URL. */
export const icalProvider: Provider = async (target, secret, options) => {
  const address = secret ?? target.calendar_source_url;
  if (!address) throw new FeedError("no calendar address configured");
  const feed = await fetchFeed(address, {
    etag: target.etag,
    lastModified: target.last_modified,
    timeoutMs: options.timeoutMs,
    maxBytes: options.maxBytes,
    allowPrivateHosts: options.allowPrivateHosts,
  });
  if (feed.kind === "unchanged") return feed;
  if (!/BEGIN:VCALENDAR/i.test(feed.text)) {
    throw new FeedError("calendar feed is not an iCalendar file");
  }
  let parsed;
  try {
    parsed = await readFeedBounded(feed.text, {
      from: options.windowStart,
      to: options.windowEnd,
      businessZone: options.businessZone,
    }, READ_LIMIT_MS);
  } catch (error) {
    throw new FeedError(
      error instanceof ReadTimeoutError
        ? `${error.message}; busy times kept from the last sync`
        : "calendar feed could not be read; busy times kept from the last sync",
    );
  }
  return {
    kind: "busy",
    intervals: parsed.intervals,
    skipped: parsed.skippedCount,
    ...keepOf(parsed),
    etag: feed.etag,
    lastModified: feed.lastModified,
  };
};

export const providers: Record<string, Provider> = {
  ical: icalProvider,
  caldav: caldavProvider,
  google: connectedProvider("google"),
  outlook: connectedProvider("outlook"),
};
