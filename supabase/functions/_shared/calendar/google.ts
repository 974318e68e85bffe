// Google Calendar v3: events.list with singleEvents over the sync window (full read), then with
// the stored syncToken (incremental). 410 fullSyncRequired starts over with a full read. Every
// page is read before anything is handed on. What blocks time:
// - cancelled: removed; transparent ("show as available"): free;
// - declined by the member (attendee with self: true): free;
// - outOfOffice and focusTime: busy (the member chose to block that time);
// - workingLocation: free (it says where, not whether) and not even requested;
// - our own booking events (private extended property): not read back as foreign busy time.
import { z } from "zod";
import { FeedError } from "./fetch_feed.ts";
import { type ApiContext, apiRequest } from "./provider_api.ts";
import {
  BOOKING_MARKER,
  type CalendarRead,
  type EventChange,
  MAX_PAGES,
  type ReadWindow,
} from "./provider_read.ts";

const eventTime = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  dateTime: z.string().optional(),
  timeZone: z.string().optional(),
});
const googleEvent = z.object({
  id: z.string().min(1).max(1024),
  status: z.string().optional(),
  transparency: z.string().optional(),
  eventType: z.string().optional(),
  start: eventTime.optional(),
  end: eventTime.optional(),
  attendees: z.array(
    z.object({ self: z.boolean().optional(), responseStatus: z.string().optional() }),
  )
    .optional(),
  extendedProperties: z.object({ private: z.record(z.string(), z.string()).optional() }).optional(),
});
const eventsPage = z.object({
  items: z.array(z.unknown()).default([]),
  nextPageToken: z.string().optional(),
  nextSyncToken: z.string().optional(),
});

export type GoogleItem = { removed: string } | { change: EventChange } | null;

/** One events.list item as a change or removal; null when unreadable (counted as skipped). */
export function googleItem(raw: unknown): GoogleItem {
  const parsed = googleEvent.safeParse(raw);
  if (!parsed.success) return null;
  const e = parsed.data;
  if (e.status === "cancelled") return { removed: e.id };
  const free = e.transparency === "transparent" || e.eventType === "workingLocation" ||
    (e.attendees ?? []).some((a) => a.self && a.responseStatus === "declined") ||
    e.extendedProperties?.private?.[BOOKING_MARKER] !== undefined;
  if (free) return { change: { id: e.id, busy: false } };
  const { start, end } = e;
  if (start?.date && end?.date) {
    return { change: { id: e.id, busy: true, start_date: start.date, end_date: end.date } };
  }
  const s = start?.dateTime ? Date.parse(start.dateTime) : NaN;
  const t = end?.dateTime ? Date.parse(end.dateTime) : NaN;
  // RFC3339 with an offset is required (Google always sends one); anything else is unreadable.
  const withOffset = /(Z|[+-]\d{2}:\d{2})$/i;
  if (
    Number.isNaN(s) || Number.isNaN(t) || t <= s || !withOffset.test(start!.dateTime!) ||
    !withOffset.test(end!.dateTime!)
  ) return null;
  return {
    change: {
      id: e.id,
      busy: true,
      starts_at: new Date(s).toISOString(),
      ends_at: new Date(t).toISOString(),
    },
  };
}

export async function readGoogleCalendar(
  ctx: ApiContext,
  apiUrl: string,
  calendarId: string,
  position: { syncToken: string | null },
  window: ReadWindow,
): Promise<CalendarRead> {
  const base = `${apiUrl}/calendars/${encodeURIComponent(calendarId)}/events`;
  let syncToken = position.syncToken;
  for (;;) {
    const full = syncToken === null;
    const read: CalendarRead = { full, changes: [], removed: [], syncToken: null, skipped: 0 };
    let pageToken: string | undefined;
    let gone = false;
    for (let page = 0;; page++) {
      if (page >= MAX_PAGES) throw new FeedError(`${ctx.label} has too many events to read`);
      const url = new URL(base);
      url.searchParams.set("singleEvents", "true");
      url.searchParams.set("maxResults", "2500");
      if (full) {
        url.searchParams.set("timeMin", window.start.toISOString());
        url.searchParams.set("timeMax", window.end.toISOString());
      } else {
        url.searchParams.set("syncToken", syncToken!);
      }
      if (pageToken) url.searchParams.set("pageToken", pageToken);
      const res = await apiRequest(ctx, url.toString(), {}, [404, 410]);
      if (res.status === 410 && !full) {
        await res.body?.cancel();
        gone = true; // fullSyncRequired: the sync token expired
        break;
      }
      if (res.status === 404 || res.status === 410) {
        await res.body?.cancel();
        throw new FeedError(`${ctx.label}: the calendar was not found (HTTP ${res.status})`);
      }
      const body = eventsPage.safeParse(await res.json().catch(() => null));
      if (!body.success) throw new FeedError(`${ctx.label} answered unreadably`);
      for (const raw of body.data.items) {
        const item = googleItem(raw);
        if (item === null) read.skipped++;
        else if ("removed" in item) read.removed.push(item.removed);
        else read.changes.push(item.change);
      }
      if (body.data.nextPageToken) {
        pageToken = body.data.nextPageToken;
        continue;
      }
      read.syncToken = body.data.nextSyncToken ?? null;
      return read;
    }
    if (gone) syncToken = null;
  }
}
