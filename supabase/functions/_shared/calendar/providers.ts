// One module per calendar provider behind one shape: given a team member's calendar settings
// and secret, return their busy intervals in a window (or "unchanged"). iCal here, CalDAV in
// caldav.ts; Google and Outlook are the next providers to add.
import type { FunctionRow, PgRow } from "../database.ts";
import { caldavProvider } from "./caldav.ts";
import { type BusyInterval, busyIntervals } from "./ics.ts";
import { FeedError, fetchFeed } from "./fetch_feed.ts";
import type { OutboundPolicy } from "./outbound.ts";

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
    etag: string | null;
    lastModified: string | null;
  };

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
    parsed = busyIntervals(feed.text, {
      from: options.windowStart,
      to: options.windowEnd,
      businessZone: options.businessZone,
    });
  } catch (error) {
    throw new FeedError(
      error instanceof RangeError
        ? "calendar feed has too many events in the sync window"
        : "calendar feed could not be read",
    );
  }
  return {
    kind: "busy",
    intervals: parsed.intervals,
    skipped: parsed.skipped.length,
    etag: feed.etag,
    lastModified: feed.lastModified,
  };
};

const notYet = (name: string): Provider => () => {
  throw new FeedError(
    `calendar provider ${name} is not supported yet; use an iCal address for now`,
  );
};

export const providers: Record<string, Provider> = {
  ical: icalProvider,
  caldav: caldavProvider,
  google: notYet("google"),
  outlook: notYet("outlook"),
};
