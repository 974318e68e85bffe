// Microsoft Graph: calendarView/delta over the sync window (full read: every occurrence of
// recurring series expanded), then the stored deltaLink (incremental). 410 or syncStateNotFound
// starts over with a full read. Every @odata.nextLink page is read before anything is handed on,
// and page links are only followed on Graph's own origin (they get the access token).
// What blocks time: showAs tentative, busy, oof and unknown (fail closed); free and
// workingElsewhere are free; cancelled or @removed events are removed; declined: free; our own
// booking events (transactionId) are not read back as foreign busy time.
// All-day events are business-local days.
import { z } from "zod";
import { findIana } from "windows-iana";
import { FeedError } from "./fetch_feed.ts";
import { type ApiContext, apiRequest, sameOrigin } from "./provider_api.ts";
import {
  type CalendarRead,
  type EventChange,
  MAX_PAGES,
  OWN_TRANSACTION_PREFIX,
  type ReadWindow,
} from "./provider_read.ts";

const graphTime = z.object({ dateTime: z.string(), timeZone: z.string().optional() });
const graphEvent = z.object({
  id: z.string().min(1).max(1024),
  "@removed": z.unknown().optional(),
  isCancelled: z.boolean().optional(),
  isAllDay: z.boolean().optional(),
  showAs: z.string().optional(),
  start: graphTime.optional(),
  end: graphTime.optional(),
  responseStatus: z.object({ response: z.string().optional() }).nullish(),
  transactionId: z.string().nullish(),
});
const deltaPage = z.object({
  value: z.array(z.unknown()).default([]),
  "@odata.nextLink": z.string().optional(),
  "@odata.deltaLink": z.string().optional(),
});

const FREE = new Set(["free", "workingElsewhere"]);

/** An IANA zone for Graph's timeZone (IANA or Windows name), or null when unknown. */
export function ianaZone(name: string): string | null {
  const candidates = [name, findIana(name)?.[0]];
  for (const zone of candidates) {
    if (!zone) continue;
    try {
      new Intl.DateTimeFormat("en", { timeZone: zone });
      return zone;
    } catch {
      // not a zone this runtime knows
    }
  }
  return null;
}

export type GraphItem = { removed: string } | { change: EventChange } | null;

export function graphItem(raw: unknown): GraphItem {
  const parsed = graphEvent.safeParse(raw);
  if (!parsed.success) return null;
  const e = parsed.data;
  if (e["@removed"] !== undefined || e.isCancelled) return { removed: e.id };
  const ours = e.transactionId?.startsWith(OWN_TRANSACTION_PREFIX) ?? false;
  if (FREE.has(e.showAs ?? "busy") || e.responseStatus?.response === "declined" || ours) {
    return { change: { id: e.id, busy: false } };
  }
  if (!e.start || !e.end) return null;
  const localPattern = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(\.\d+)?$/;
  const s = localPattern.exec(e.start.dateTime);
  const t = localPattern.exec(e.end.dateTime);
  if (!s || !t) return null;
  if (e.isAllDay) {
    if (t[1] <= s[1]) return null;
    return { change: { id: e.id, busy: true, start_date: s[1], end_date: t[1] } };
  }
  const zone = (e.start.timeZone ?? "UTC").toUpperCase() === "UTC"
    ? "UTC"
    : ianaZone(e.start.timeZone!);
  if (!zone) return null;
  if (zone === "UTC") {
    const startsAt = new Date(`${s[1]}T${s[2]}Z`);
    const endsAt = new Date(`${t[1]}T${t[2]}Z`);
    if (Number.isNaN(startsAt.getTime()) || !(endsAt > startsAt)) return null;
    return {
      change: {
        id: e.id,
        busy: true,
        starts_at: startsAt.toISOString(),
        ends_at: endsAt.toISOString(),
      },
    };
  }
  return {
    change: {
      id: e.id,
      busy: true,
      start_local: `${s[1]}T${s[2]}`,
      end_local: `${t[1]}T${t[2]}`,
      zone,
    },
  };
}

export async function readMicrosoftCalendar(
  ctx: ApiContext,
  graphUrl: string,
  calendarId: string | null,
  position: { syncToken: string | null },
  window: ReadWindow,
): Promise<CalendarRead> {
  const calendar = calendarId ? `/me/calendars/${encodeURIComponent(calendarId)}` : "/me";
  let deltaLink = position.syncToken;
  for (;;) {
    const full = deltaLink === null;
    const read: CalendarRead = { full, changes: [], removed: [], syncToken: null, skipped: 0 };
    let next: string;
    if (full) {
      const url = new URL(`${graphUrl}${calendar}/calendarView/delta`);
      url.searchParams.set("startDateTime", window.start.toISOString());
      url.searchParams.set("endDateTime", window.end.toISOString());
      next = url.toString();
    } else {
      next = sameOrigin(deltaLink!, graphUrl, ctx.label);
    }
    let gone = false;
    for (let page = 0;; page++) {
      if (page >= MAX_PAGES) throw new FeedError(`${ctx.label} has too many events to read`);
      const res = await apiRequest(ctx, next, {
        headers: { prefer: 'outlook.timezone="UTC", odata.maxpagesize=200' },
      }, [400, 404, 410]);
      if (!full && (res.status === 410 || await syncStateLost(res))) {
        await res.body?.cancel();
        gone = true;
        break;
      }
      if (!res.ok) {
        await res.body?.cancel();
        throw new FeedError(
          res.status === 404
            ? `${ctx.label}: the calendar was not found (HTTP 404)`
            : `${ctx.label} refused the request (HTTP ${res.status})`,
          res.status,
        );
      }
      const body = deltaPage.safeParse(await res.json().catch(() => null));
      if (!body.success) throw new FeedError(`${ctx.label} answered unreadably`);
      for (const raw of body.data.value) {
        const item = graphItem(raw);
        if (item === null) read.skipped++;
        else if ("removed" in item) read.removed.push(item.removed);
        else read.changes.push(item.change);
      }
      const nextLink = body.data["@odata.nextLink"];
      if (nextLink) {
        next = sameOrigin(nextLink, graphUrl, ctx.label);
        continue;
      }
      const link = body.data["@odata.deltaLink"];
      read.syncToken = link ? sameOrigin(link, graphUrl, ctx.label) : null;
      return read;
    }
    if (gone) deltaLink = null;
  }
}

/** Graph's "start over" answer for an expired delta token (syncStateNotFound), on any status. */
async function syncStateLost(res: Response): Promise<boolean> {
  if (res.ok) return false;
  const text = await res.clone().text().catch(() => "");
  return /syncStateNotFound|resyncRequired/i.test(text);
}
