// iCalendar text -> busy intervals inside a window, with ical.js doing the RFC 5545 work
// (RRULE, RDATE, EXDATE, RECURRENCE-ID, VTIMEZONE). What this module adds:
// - isolation: every VEVENT/VTIMEZONE/VFREEBUSY is parsed on its own, so a broken component is
//   skipped and reported instead of failing the whole feed;
// - time zones named without a VTIMEZONE (IANA, Windows, display names) are registered from real
//   zone data; unknown ones and floating times use the business time zone;
// - bounds: per-event iteration and instance caps and a deadline, so a hostile feed cannot hang;
// - privacy: only times and UIDs come out, never titles, descriptions or attendees.
import ICAL from "ical.js";
import { resolveZoneName, vtimezoneFor } from "./timezones.ts";

export type BusyInterval = {
  startsAt: Date;
  endsAt: Date;
  uid: string | null;
  recurrenceId: string | null;
};

export type ParseResult = {
  intervals: BusyInterval[];
  /** Components that were skipped, with why (no event content, only UID and reason). */
  skipped: { uid: string | null; reason: string }[];
};

export type ParseOptions = {
  from: Date;
  to: Date;
  /** IANA zone for floating times, all-day events and zones that cannot be resolved. */
  businessZone: string;
  maxIterationsPerEvent?: number;
  maxIntervals?: number;
  deadlineMs?: number;
  /** Keep free (transparent, cancelled) occurrences too: for inspecting expansion only. */
  includeFree?: boolean;
};

type Block = { kind: "VEVENT" | "VTIMEZONE" | "VFREEBUSY"; text: string };

const CONTENT_LINE = /^[A-Za-z][A-Za-z0-9-]*[;:]/;

/** Unfolds lines and repairs what real exporters get wrong before ical.js sees it. */
export function normaliseLines(text: string): string[] {
  const raw = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n").split("\n");
  const lines: string[] = [];
  for (const line of raw) {
    if ((line.startsWith(" ") || line.startsWith("\t")) && lines.length > 0) {
      lines[lines.length - 1] += line.slice(1);
    } else if (line.trim() === "") {
      continue;
    } else if (!CONTENT_LINE.test(line) && lines.length > 0) {
      // A line break inside a value that the exporter forgot to fold.
      lines[lines.length - 1] += ` ${line}`;
    } else {
      lines.push(line);
    }
  }
  return lines.map((line) =>
    line
      // DTSTART;TZID="W. Europe Standard Time:20200609T090000" (value inside the quotes)
      .replace(/;TZID="([^":]+):(\d{8}(T\d{6}Z?)?)"$/, ';TZID="$1":$2')
      // BYDAY=MO, TU, WE (spaces in a list)
      .replace(
        /^(RRULE|EXRULE):(.*)$/,
        (_m, name, value) => `${name}:${value.replace(/,\s+/g, ",")}`,
      )
      // EXDATE:20240101T100000 , 20240102T100000 (trailing or inner spaces)
      .replace(
        /^(EXDATE|RDATE)([;:].*)$/,
        (_m, name, rest) => `${name}${rest.replace(/\s*,\s*/g, ",").trimEnd()}`,
      )
      // DTSTART;TZID=America/Los_Angeles:20041225 (a date without VALUE=DATE)
      .replace(
        /^(DTSTART|DTEND|RECURRENCE-ID|EXDATE)((?:;[^:]*)?):(\d{8}(?:,\d{8})*)$/,
        (whole, name, params, value) =>
          /VALUE=/i.test(params) ? whole : `${name}${params};VALUE=DATE:${value}`,
      )
      // DTSTART;VALUE=DATE:20110804T120000 (a date-time typed as a date)
      .replace(
        /^(DTSTART|DTEND)((?:;[^:]*)?);VALUE=DATE((?:;[^:]*)?):(\d{8}T\d{6}Z?)$/,
        "$1$2$3:$4",
      )
  );
}

/** Top-level components of interest, each as standalone text. */
function splitBlocks(lines: string[]): Block[] {
  const blocks: Block[] = [];
  let current: { kind: Block["kind"]; lines: string[]; depth: number } | undefined;
  for (const line of lines) {
    const begin = /^BEGIN:(\w+)/i.exec(line)?.[1]?.toUpperCase();
    const end = /^END:(\w+)/i.exec(line)?.[1]?.toUpperCase();
    if (!current) {
      if (begin === "VEVENT" || begin === "VTIMEZONE" || begin === "VFREEBUSY") {
        current = { kind: begin, lines: [line], depth: 1 };
      }
      continue;
    }
    current.lines.push(line);
    if (begin) current.depth++;
    if (end) current.depth--;
    if (current.depth === 0) {
      blocks.push({ kind: current.kind, text: current.lines.join("\r\n") });
      current = undefined;
    }
  }
  return blocks;
}

function parseComponent(text: string, kind: string): ICAL.Component {
  const root = new ICAL.Component(
    ICAL.parse(`BEGIN:VCALENDAR\r\nVERSION:2.0\r\n${text}\r\nEND:VCALENDAR`),
  );
  const component = root.getFirstSubcomponent(kind.toLowerCase());
  if (!component) throw new Error(`no ${kind}`);
  return component;
}

function uidOf(text: string): string | null {
  return /^UID:(.*)$/m.exec(text)?.[1]?.trim() || null;
}

/** Registers every zone the feed names: its own VTIMEZONEs, then real data for the rest. */
function registerZones(
  blocks: Block[],
  businessZone: string,
  skipped: ParseResult["skipped"],
): void {
  ICAL.TimezoneService.reset();
  for (const block of blocks.filter((b) => b.kind === "VTIMEZONE")) {
    try {
      const component = parseComponent(block.text, "VTIMEZONE");
      const tzid = component.getFirstPropertyValue("tzid");
      if (typeof tzid === "string" && tzid) {
        ICAL.TimezoneService.register(new ICAL.Timezone(component), tzid);
      }
    } catch {
      skipped.push({ uid: null, reason: "unreadable VTIMEZONE" });
    }
  }
  const named = new Set<string>();
  for (const block of blocks) {
    for (const match of block.text.matchAll(/;TZID=("([^"]+)"|[^;:]+)/g)) {
      named.add(match[2] ?? match[1]);
    }
  }
  for (const tzid of named) {
    if (ICAL.TimezoneService.has(tzid)) continue;
    const zone = resolveZoneName(tzid) ?? businessZone;
    if (!resolveZoneName(tzid)) {
      skipped.push({ uid: null, reason: `unknown time zone "${tzid}", used ${businessZone}` });
    }
    const text = vtimezoneFor(zone);
    if (text) {
      ICAL.TimezoneService.register(new ICAL.Timezone(parseComponent(text, "VTIMEZONE")), tzid);
    }
  }
}

/** Converts an ical.js time to an instant; floating and date values are business-local. */
function toInstant(time: ICAL.Time, businessZone: ICAL.Timezone): Date {
  const zone = time.zone;
  const floating = !zone || zone.tzid === "floating" || zone === ICAL.Timezone.localTimezone;
  if (time.isDate || floating) {
    const local = new ICAL.Time({
      year: time.year,
      month: time.month,
      day: time.day,
      hour: time.isDate ? 0 : time.hour,
      minute: time.isDate ? 0 : time.minute,
      second: time.isDate ? 0 : time.second,
      isDate: false,
    }, businessZone);
    return new Date(local.toUnixTime() * 1000);
  }
  return new Date(time.toUnixTime() * 1000);
}

function isFreeComponent(component: ICAL.Component): boolean {
  const status = String(component.getFirstPropertyValue("status") ?? "").toUpperCase();
  const transp = String(component.getFirstPropertyValue("transp") ?? "").toUpperCase();
  const msBusy = String(component.getFirstPropertyValue("x-microsoft-cdo-busystatus") ?? "")
    .toUpperCase();
  return status === "CANCELLED" || transp === "TRANSPARENT" || msBusy === "FREE";
}

function isFloating(time: ICAL.Time): boolean {
  return !time.zone || time.zone.tzid === "floating";
}

/**
 * Makes a recurring event's parts agree before ical.js expands it: a floating UNTIL means local
 * time in the event's zone (RFC 5545), EXDATEs take the start's type and zone, and RDATE periods
 * (which carry their own end) are taken out and returned as plain intervals.
 */
function repairRecurrence(component: ICAL.Component): [ICAL.Time, ICAL.Time][] {
  const start = component.getFirstPropertyValue("dtstart") as ICAL.Time | null;
  if (!start) return [];
  for (const property of component.getAllProperties("rrule")) {
    const rule = property.getFirstValue() as ICAL.Recur;
    if (
      rule.until && !rule.until.isDate && !start.isDate && isFloating(rule.until) &&
      !isFloating(start)
    ) {
      const local = new ICAL.Time({
        year: rule.until.year,
        month: rule.until.month,
        day: rule.until.day,
        hour: rule.until.hour,
        minute: rule.until.minute,
        second: rule.until.second,
      }, start.zone);
      rule.until = local.convertToZone(ICAL.Timezone.utcTimezone);
      property.setValue(rule);
    }
  }
  for (const property of component.getAllProperties("exdate")) {
    const values = (property.getValues() as ICAL.Time[]).map((value) => {
      if (start.isDate || (!value.isDate && !(isFloating(value) && !isFloating(start)))) {
        return value;
      }
      return new ICAL.Time({
        year: value.year,
        month: value.month,
        day: value.day,
        hour: value.isDate ? start.hour : value.hour,
        minute: value.isDate ? start.minute : value.minute,
        second: value.isDate ? start.second : value.second,
      }, start.zone);
    });
    property.setValues(values);
  }
  const periods: [ICAL.Time, ICAL.Time][] = [];
  for (const property of component.getAllProperties("rdate")) {
    const values = property.getValues();
    if (values.some((value) => value instanceof ICAL.Period)) {
      for (const value of values) {
        if (value instanceof ICAL.Period) periods.push([value.start, value.end ?? value.getEnd()]);
      }
      component.removeProperty(property);
    }
  }
  return periods;
}

/** Overrides must name their instance in the series' own type: Exchange writes a date-time
 * RECURRENCE-ID (midnight) for an all-day series, others a date for a timed one. */
function alignRecurrenceIds(master: ICAL.Component, overrides: ICAL.Component[]): void {
  const start = master.getFirstPropertyValue("dtstart") as ICAL.Time | null;
  if (!start) return;
  for (const override of overrides) {
    const property = override.getFirstProperty("recurrence-id");
    const rid = property?.getFirstValue() as ICAL.Time | undefined;
    if (!property || !rid || rid.isDate === start.isDate) continue;
    property.removeParameter("tzid");
    property.setValue(
      start.isDate
        ? ICAL.Time.fromData({ year: rid.year, month: rid.month, day: rid.day, isDate: true })
        : new ICAL.Time({
          year: rid.year,
          month: rid.month,
          day: rid.day,
          hour: start.hour,
          minute: start.minute,
          second: start.second,
        }, start.zone),
    );
  }
}

/** Busy intervals of a feed that overlap [from, to). */
export function busyIntervals(icsText: string, options: ParseOptions): ParseResult {
  const maxIterations = options.maxIterationsPerEvent ?? 100_000;
  const maxIntervals = options.maxIntervals ?? 50_000;
  const deadline = performance.now() + (options.deadlineMs ?? 10_000);
  const from = options.from.getTime();
  const to = options.to.getTime();
  const result: ParseResult = { intervals: [], skipped: [] };
  const isFree = (component: ICAL.Component) => !options.includeFree && isFreeComponent(component);

  const blocks = splitBlocks(normaliseLines(icsText));
  registerZones(blocks, options.businessZone, result.skipped);
  const business = new ICAL.Timezone(
    parseComponent(vtimezoneFor(options.businessZone)!, "VTIMEZONE"),
  );

  const add = (start: Date, end: Date, uid: string | null, recurrenceId: string | null) => {
    if (!(end.getTime() > start.getTime())) return;
    if (end.getTime() <= from || start.getTime() >= to) return;
    if (result.intervals.length >= maxIntervals) throw new RangeError("too many busy intervals");
    result.intervals.push({ startsAt: start, endsAt: end, uid, recurrenceId });
  };

  // VEVENTs grouped by UID: the master and its RECURRENCE-ID overrides, wherever they stand.
  const masters = new Map<string, ICAL.Component>();
  const overrides = new Map<string, ICAL.Component[]>();
  const singles: ICAL.Component[] = [];
  for (const block of blocks) {
    if (block.kind === "VTIMEZONE") continue;
    try {
      const component = parseComponent(block.text, block.kind);
      if (block.kind === "VFREEBUSY") {
        addFreeBusy(component, add, business, result);
        continue;
      }
      const uid = component.getFirstPropertyValue("uid");
      const key = typeof uid === "string" && uid ? uid : `no-uid-${singles.length}-${masters.size}`;
      if (component.hasProperty("recurrence-id")) {
        overrides.set(key, [...(overrides.get(key) ?? []), component]);
      } else if (masters.has(key)) {
        singles.push(component); // a second master with the same UID: treat as its own event
      } else {
        masters.set(key, component);
      }
    } catch (error) {
      if (error instanceof RangeError) throw error;
      result.skipped.push({ uid: uidOf(block.text), reason: `unreadable ${block.kind}` });
    }
  }

  const expand = (component: ICAL.Component, exceptions: ICAL.Component[]) => {
    const periods = repairRecurrence(component);
    alignRecurrenceIds(component, exceptions);
    const event = new ICAL.Event(component, { strictExceptions: false, exceptions });
    if (!isFree(component)) {
      for (const [start, end] of periods) {
        add(...span(start, end, business), event.uid || null, start.toString());
      }
    }
    const uid = event.uid || null;
    if (!event.startDate) {
      result.skipped.push({ uid, reason: "event without a start" });
      return;
    }
    if (!event.isRecurring()) {
      if (!isFree(component)) add(...span(event.startDate, event.endDate, business), uid, null);
      return;
    }
    const iterator = event.iterator();
    const [firstStart, firstEnd] = span(event.startDate, event.endDate, business);
    const length = Math.max(firstEnd.getTime() - firstStart.getTime(), 0);
    const moved = event.exceptions as unknown as Record<string, unknown>;
    let iterations = 0;
    for (let next = iterator.next(); next; next = iterator.next()) {
      if (++iterations > maxIterations || performance.now() > deadline) {
        result.skipped.push({ uid, reason: "recurrence expansion stopped at its bound" });
        break;
      }
      // Long-running series: occurrences that end before the window need no details, unless an
      // override moves them.
      if (
        toInstant(next, business).getTime() + length + 86_400_000 < from &&
        !(next.toString() in moved)
      ) continue;
      const details = event.getOccurrenceDetails(next);
      const [start, end] = span(details.startDate, details.endDate, business);
      if (start.getTime() >= to && toInstant(next, business).getTime() >= to) break;
      if (isFree(details.item.component)) continue;
      const recurrenceId = details.item.component.hasProperty("recurrence-id")
        ? details.recurrenceId.toString()
        : null;
      add(start, end, uid, recurrenceId);
    }
  };

  for (const [key, master] of masters) {
    if (performance.now() > deadline) {
      result.skipped.push({ uid: key, reason: "feed took too long; rest skipped" });
      break;
    }
    try {
      expand(master, overrides.get(key) ?? []);
    } catch (error) {
      if (error instanceof RangeError) throw error;
      result.skipped.push({ uid: key, reason: "event could not be expanded" });
    }
  }
  // Overrides without a master and duplicates stand on their own.
  for (const [key, list] of overrides) {
    if (masters.has(key)) continue;
    for (const component of list) singles.push(component);
  }
  for (const component of singles) {
    try {
      const event = new ICAL.Event(component, { strictExceptions: false, exceptions: [] });
      if (!event.startDate || isFree(component)) continue;
      const recurrenceId = component.hasProperty("recurrence-id")
        ? String(component.getFirstPropertyValue("recurrence-id"))
        : null;
      add(...span(event.startDate, event.endDate, business), event.uid || null, recurrenceId);
    } catch (error) {
      if (error instanceof RangeError) throw error;
      result.skipped.push({ uid: null, reason: "event could not be read" });
    }
  }
  return result;
}

/** Start and end instants of an occurrence; an all-day event covers whole business-local days. */
function span(start: ICAL.Time, end: ICAL.Time | undefined, business: ICAL.Timezone): [Date, Date] {
  const startsAt = toInstant(start, business);
  if (start.isDate) {
    // DTEND of a date is exclusive; a missing or bad one means one day.
    let last = end && end.isDate && end.compare(start) > 0 ? end.clone() : start.clone();
    if (!(end && end.isDate && end.compare(start) > 0)) last.day += 1;
    last = new ICAL.Time(
      { year: last.year, month: last.month, day: last.day, isDate: true },
      business,
    );
    return [startsAt, toInstant(last, business)];
  }
  return [startsAt, end ? toInstant(end, business) : startsAt];
}

function addFreeBusy(
  component: ICAL.Component,
  add: (start: Date, end: Date, uid: string | null, recurrenceId: string | null) => void,
  business: ICAL.Timezone,
  result: ParseResult,
): void {
  for (const property of component.getAllProperties("freebusy")) {
    const type = String(property.getParameter("fbtype") ?? "BUSY").toUpperCase();
    if (type === "FREE") continue;
    for (const value of property.getValues()) {
      try {
        const period = value as ICAL.Period;
        const start = toInstant(period.start, business);
        const end = period.end
          ? toInstant(period.end, business)
          : toInstant(period.getEnd(), business);
        if (end.getTime() <= start.getTime()) {
          result.skipped.push({ uid: null, reason: "free/busy period ends before it starts" });
          continue;
        }
        add(start, end, null, null);
      } catch (error) {
        if (error instanceof RangeError) throw error;
        result.skipped.push({ uid: null, reason: "unreadable free/busy period" });
      }
    }
  }
}
