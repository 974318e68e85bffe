// iCalendar text -> busy intervals inside a window. ical.js parses components and iterates single
// recurrence rules; this module (with ics_text, timezones, recurrence_guard, series) adds:
// - isolation: every VEVENT/VTIMEZONE/VFREEBUSY is parsed on its own, so a broken component is
//   skipped and reported instead of failing the whole feed;
// - bounds that hold whatever the feed says: line and nesting caps, a step budget inside
//   ical.js's iterator, instance caps, a deadline (see recurrence_guard.ts);
// - fail-closed reporting: every UID that could not be read completely is listed in
//   `incompleteUids`, and skipped components without a UID are counted in `unattributedSkips`,
//   so the caller keeps earlier busy times for them instead of deleting them;
// - privacy: only times and UIDs come out, never titles, descriptions or attendees.
import ICAL from "ical.js";
import { type Block, normaliseLines, splitBlocks } from "./ics_text.ts";
import { ZoneBook } from "./timezones.ts";
import { budgetExhausted, withStepBudget } from "./recurrence_guard.ts";
import { expandSeries } from "./series.ts";

export { normaliseLines } from "./ics_text.ts";

export type BusyInterval = {
  startsAt: Date;
  endsAt: Date;
  uid: string | null;
  recurrenceId: string | null;
};

export type Note = { uid: string | null; reason: string };

export type ParseResult = {
  intervals: BusyInterval[];
  /** Components (or parts) that could not be read, with why; at most 200 listed. */
  skipped: Note[];
  /** How many were skipped in all. */
  skippedCount: number;
  /** UIDs read only in part: their earlier busy times must be kept. */
  incompleteUids: string[];
  /** Skipped components whose UID is unknown: nothing stored may be assumed gone. */
  unattributedSkips: number;
  /** Components used after a repair (missing END, swapped ends, unknown zone name). */
  repaired: Note[];
};

export type ParseOptions = {
  from: Date;
  to: Date;
  /** IANA zone for floating times, all-day events and zones that cannot be resolved. */
  businessZone: string;
  /** Instances one recurrence rule may put in the window. */
  maxInstancesPerRule?: number;
  /** Busy intervals in all; beyond it the rest is skipped (and its UIDs kept). */
  maxIntervals?: number;
  /** Candidate steps ical.js may take over the whole feed (see recurrence_guard.ts). */
  maxExpansionSteps?: number;
  deadlineMs?: number;
  /** Keep free (transparent, cancelled) occurrences too: for inspecting expansion only. */
  includeFree?: boolean;
};

const LISTED_NOTES = 200;

/** What a partly read feed means for the stored busy times (see replace_busy_times). */
export function keepOf(parsed: ParseResult): { keepUids: string[]; keepUnlisted: boolean } {
  return { keepUids: parsed.incompleteUids, keepUnlisted: parsed.unattributedSkips > 0 };
}

/** Busy intervals of a feed that overlap [from, to). */
export function busyIntervals(icsText: string, options: ParseOptions): ParseResult {
  return withStepBudget(
    options.maxExpansionSteps ?? 2_000_000,
    () => readFeed(icsText, options),
  );
}

function readFeed(icsText: string, options: ParseOptions): ParseResult {
  const maxIntervals = options.maxIntervals ?? 20_000;
  const deadline = performance.now() + (options.deadlineMs ?? 10_000);
  const from = options.from.getTime();
  const to = options.to.getTime();
  const result: ParseResult = {
    intervals: [],
    skipped: [],
    skippedCount: 0,
    incompleteUids: [],
    unattributedSkips: 0,
    repaired: [],
  };
  const incomplete = new Set<string>();
  const skip = (uid: string | null, reason: string) => {
    result.skippedCount++;
    if (result.skipped.length < LISTED_NOTES) result.skipped.push({ uid, reason });
    if (uid === null) result.unattributedSkips++;
    else incomplete.add(uid);
  };
  const repair = (uid: string | null, reason: string) => {
    if (result.repaired.length < LISTED_NOTES) result.repaired.push({ uid, reason });
  };
  let full = false;
  const add = (start: number, end: number, uid: string | null, recurrenceId: string | null) => {
    if (!(end > start) || end <= from || start >= to) return;
    if (result.intervals.length >= maxIntervals) {
      if (!full) skip(uid, "too many busy times in the sync window; the rest skipped");
      else if (uid === null) result.unattributedSkips++;
      else incomplete.add(uid);
      full = true;
      return;
    }
    result.intervals.push({ startsAt: new Date(start), endsAt: new Date(end), uid, recurrenceId });
  };

  const blocks = splitBlocks(normaliseLines(icsText), { skip, repair });
  const zones = new ZoneBook(
    blocks.filter((b) => b.kind === "VTIMEZONE"),
    namedZones(blocks),
    options.businessZone,
    { skip: (reason) => skip(null, reason), repair: (reason) => repair(null, reason) },
  );

  // VEVENTs grouped by UID (text only, so a huge feed is never held parsed all at once):
  // masters (several when a client split a series) and overrides. Single events go first, so
  // whatever a feed's series cost, its plain appointments are read.
  const groups = new Map<string, Block[]>();
  let anonymous = 0;
  for (const block of blocks) {
    if (block.kind === "VTIMEZONE" || surelyOutside(block, from, to)) continue;
    if (block.kind === "VFREEBUSY") {
      try {
        addFreeBusy(parseComponent(block, zones), zones, add, skip);
      } catch {
        skip(null, "unreadable VFREEBUSY");
      }
      continue;
    }
    const key = block.uid ?? `\u0000${anonymous++}`;
    groups.set(key, [...(groups.get(key) ?? []), block]);
  }
  const recurringKeys = new Set<string>();
  for (const [key, list] of groups) {
    if (list.some((b) => b.lines.some((l) => /^(RRULE|RDATE)[;:]/i.test(l)))) {
      recurringKeys.add(key);
    }
  }
  const ordered = [
    ...[...groups].filter(([key]) => !recurringKeys.has(key)),
    ...[...groups].filter(([key]) => recurringKeys.has(key)),
  ];

  const context = {
    zones,
    from,
    to,
    includeFree: options.includeFree ?? false,
    maxInstancesPerRule: options.maxInstancesPerRule ?? 5_000,
    deadline,
    add,
    incomplete: skip,
    repair,
  };
  let late = false;
  for (const [key, list] of ordered) {
    const uid = key.startsWith("\u0000") ? null : key;
    if (!late && performance.now() > deadline) late = true;
    if (late || (recurringKeys.has(key) && (budgetExhausted() || full))) {
      // Not even parsed: the feed's budget is spent. Its earlier busy times are kept.
      skip(uid, late ? "feed took too long to read; the rest skipped" : "expansion budget used up");
      continue;
    }
    const masters: ICAL.Component[] = [];
    const overrides: ICAL.Component[] = [];
    for (const block of list) {
      try {
        const component = parseComponent(block, zones);
        (component.hasProperty("recurrence-id") ? overrides : masters).push(component);
      } catch {
        skip(uid, `unreadable ${block.kind}`);
      }
    }
    try {
      expandSeries(uid, masters, overrides, context);
    } catch {
      skip(uid, "event could not be read");
    }
  }
  result.incompleteUids = [...incomplete];
  return result;
}

const DAY_MS = 86_400_000;
/** Margin for zone offsets (±18 h) and all-day events read in the business zone. */
const MARGIN_MS = 2 * DAY_MS;

/** The UTC midnight of a property's first date (yyyymmdd), or null. */
function dateOf(lines: string[], name: string): number | null {
  const line = lines.find((l) =>
    l.length > name.length && l.toUpperCase().startsWith(name) &&
    (l[name.length] === ":" || l[name.length] === ";")
  );
  const match = line && /:(\d{4})(\d{2})(\d{2})/.exec(line);
  return match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : null;
}

/**
 * A single event whose dates lie days away from the window needs no parsing: most of a large
 * feed is past or far-future events. Series, overrides and anything unclear are parsed.
 */
function surelyOutside(block: Block, from: number, to: number): boolean {
  if (block.kind !== "VEVENT") return false;
  if (block.lines.some((l) => /^(RRULE|RDATE|RECURRENCE-ID|DURATION)[;:]/i.test(l))) return false;
  const start = dateOf(block.lines, "DTSTART");
  if (start === null) return false;
  const end = dateOf(block.lines, "DTEND") ?? start + DAY_MS;
  const first = Math.min(start, end);
  const last = Math.max(start, end) + DAY_MS;
  return first > to + MARGIN_MS || last < from - MARGIN_MS;
}

/** Every TZID a component names, so each is resolved once. */
function namedZones(blocks: Block[]): Set<string> {
  const named = new Set<string>();
  for (const block of blocks) {
    if (block.kind === "VTIMEZONE") continue;
    for (const line of block.lines) {
      const match = /;TZID=("([^"]*)"|[^;:]*)/i.exec(line);
      if (match) named.add(match[2] ?? match[1]);
    }
  }
  return named;
}

/** One component, parsed alone; its TZIDs resolve through this feed's zones only. */
function parseComponent(block: Block, zones: ZoneBook): ICAL.Component {
  const root = new ICAL.Component(
    ICAL.parse(`BEGIN:VCALENDAR\r\nVERSION:2.0\r\n${block.lines.join("\r\n")}\r\nEND:VCALENDAR`),
  );
  // ical.js looks TZIDs up in the VCALENDAR's own zone cache before its process-wide service;
  // giving it this feed's zones keeps every parse independent of every other.
  (root as unknown as { _timezoneCache: Map<string, ICAL.Timezone> })._timezoneCache = zones.byTzid;
  const component = root.getFirstSubcomponent(block.kind.toLowerCase());
  if (!component) throw new Error(`no ${block.kind}`);
  // Hydrate the times now, while the zone cache is in place.
  for (const name of ["dtstart", "dtend", "recurrence-id", "rdate", "exdate", "freebusy"]) {
    for (const property of component.getAllProperties(name)) property.getValues();
  }
  return component;
}

function addFreeBusy(
  component: ICAL.Component,
  zones: ZoneBook,
  add: (start: number, end: number, uid: string | null, recurrenceId: string | null) => void,
  skip: (uid: string | null, reason: string) => void,
): void {
  for (const property of component.getAllProperties("freebusy")) {
    const type = String(property.getParameter("fbtype") ?? "BUSY").toUpperCase();
    if (type === "FREE") continue;
    for (const value of property.getValues()) {
      if (!(value instanceof ICAL.Period)) {
        skip(null, "unreadable free/busy period");
        continue;
      }
      const start = zones.toInstant(value.start);
      const end = zones.toInstant(value.end ?? value.getEnd());
      if (end <= start) {
        skip(null, "free/busy period ends before it starts");
        continue;
      }
      add(start, end, null, null);
    }
  }
}
