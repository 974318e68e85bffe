// One UID's events -> busy occurrences, as RFC 5545 3.8.5 defines the recurrence set:
// DTSTART (always the first instance), every RRULE's instances, RDATEs, minus EXDATEs, each
// instance once however many parts produce it; then RECURRENCE-ID overrides replace instances
// of whichever master produced them. ical.js iterates each single rule; the set is built here,
// because its own expansion loses DTSTART (RDATE-only series, unsynchronised DTSTART), lets
// an EXDATE miss an instance that an RDATE repeats, and drops instances when one of several
// RRULEs ends.
import ICAL from "ical.js";
import type { ZoneBook } from "./timezones.ts";
import {
  chargeSteps,
  ExpansionBoundError,
  matchesDayParts,
  ruleProblem,
} from "./recurrence_guard.ts";

export type SeriesContext = {
  zones: ZoneBook;
  from: number;
  to: number;
  includeFree: boolean;
  maxInstancesPerRule: number;
  deadline: number;
  add(start: number, end: number, uid: string | null, recurrenceId: string | null): void;
  /** Part of this UID could not be read: its earlier busy times must be kept. */
  incomplete(uid: string | null, reason: string): void;
  repair(uid: string | null, reason: string): void;
};

type Instance = { time: ICAL.Time; end?: number };

export function isFreeComponent(component: ICAL.Component): boolean {
  const status = String(component.getFirstPropertyValue("status") ?? "").toUpperCase();
  const transp = String(component.getFirstPropertyValue("transp") ?? "").toUpperCase();
  const msBusy = String(component.getFirstPropertyValue("x-microsoft-cdo-busystatus") ?? "")
    .toUpperCase();
  return status === "CANCELLED" || transp === "TRANSPARENT" || msBusy === "FREE";
}

function isFloating(time: ICAL.Time): boolean {
  return !time.zone || time.zone.tzid === "floating" ||
    time.zone === ICAL.Timezone.localTimezone;
}

function timeValue(component: ICAL.Component, name: string): ICAL.Time | null {
  const value = component.getFirstPropertyValue(name);
  return value instanceof ICAL.Time ? value : null;
}

/** How long each occurrence lasts, as a function of its start. */
type Length = (start: ICAL.Time, startMs: number) => number;

/**
 * The occurrence length a component's DTEND/DURATION give. A DTEND before DTSTART is read the
 * way other clients read it (swapped), an all-day start with a timed end spans to that end.
 */
function lengthOf(
  component: ICAL.Component,
  start: ICAL.Time,
  ctx: SeriesContext,
  uid: string | null,
): { length: Length; endsAtStart: boolean } {
  const startMs = ctx.zones.toInstant(start);
  const end = timeValue(component, "dtend");
  const duration = component.getFirstPropertyValue("duration");
  if (end) {
    const endMs = ctx.zones.toInstant(end);
    // Swapped ends: busy from DTEND to DTSTART, as other clients show it.
    const endsAtStart = endMs < startMs;
    if (endsAtStart) ctx.repair(uid, "DTEND before DTSTART, read swapped");
    if (start.isDate && end.isDate && !endsAtStart) {
      const days = Math.max(1, Math.round((endMs - startMs) / 86_400_000));
      return {
        length: (s) => ctx.zones.toInstant(addDays(s, days)) - ctx.zones.toInstant(s),
        endsAtStart,
      };
    }
    const ms = Math.abs(endMs - startMs);
    return { length: () => ms, endsAtStart };
  }
  if (duration instanceof ICAL.Duration) {
    return {
      endsAtStart: false,
      length: (s, sMs) => {
        const e = s.clone();
        e.addDuration(duration);
        return Math.abs(ctx.zones.toInstant(e) - sMs);
      },
    };
  }
  // No end: an all-day event is one day, a timed one takes no time (RFC 5545 3.6.1).
  if (start.isDate) {
    return {
      length: (s) => ctx.zones.toInstant(addDays(s, 1)) - ctx.zones.toInstant(s),
      endsAtStart: false,
    };
  }
  return { length: () => 0, endsAtStart: false };
}

function addDays(time: ICAL.Time, days: number): ICAL.Time {
  const next = time.clone();
  next.adjust(days, 0, 0, 0);
  return next;
}

/** An EXDATE/RECURRENCE-ID in the series' own type and zone (exporters mix them). */
function aligned(value: ICAL.Time, start: ICAL.Time): ICAL.Time {
  if (start.isDate) {
    return value.isDate
      ? value
      : ICAL.Time.fromData({ year: value.year, month: value.month, day: value.day, isDate: true });
  }
  if (!value.isDate && !(isFloating(value) && !isFloating(start))) return value;
  return new ICAL.Time({
    year: value.year,
    month: value.month,
    day: value.day,
    hour: value.isDate ? start.hour : value.hour,
    minute: value.isDate ? start.minute : value.minute,
    second: value.isDate ? start.second : value.second,
  }, start.zone);
}

/** A floating UNTIL with a zoned start means local time in the start's zone (RFC 5545). */
function alignUntil(rule: ICAL.Recur, start: ICAL.Time): void {
  if (
    rule.until && !rule.until.isDate && !start.isDate && isFloating(rule.until) &&
    !isFloating(start)
  ) {
    rule.until = new ICAL.Time({
      year: rule.until.year,
      month: rule.until.month,
      day: rule.until.day,
      hour: rule.until.hour,
      minute: rule.until.minute,
      second: rule.until.second,
    }, start.zone).convertToZone(ICAL.Timezone.utcTimezone);
  }
}

function localSeconds(time: ICAL.Time): number {
  return Date.UTC(time.year, time.month - 1, time.day, time.hour, time.minute, time.second) / 1000;
}

const UNIT_SECONDS: Record<string, number> = {
  SECONDLY: 1,
  MINUTELY: 60,
  HOURLY: 3600,
  DAILY: 86_400,
  WEEKLY: 7 * 86_400,
};

/**
 * Where to start iterating a rule that began long before the window: a whole number of its
 * periods later, so a series from 2005 (or a SECONDLY rule from 2000) costs the window's
 * instances, not twenty years of them. Only for fixed-length periods and rules without COUNT
 * (which counts from DTSTART) or BYSETPOS; the instants are the same as iterating from DTSTART.
 */
function fastForward(
  rule: ICAL.Recur,
  start: ICAL.Time,
  length: number,
  ctx: SeriesContext,
): ICAL.Time {
  const unit = UNIT_SECONDS[String(rule.freq)];
  const parts = rule.parts as Record<string, unknown[] | undefined>;
  if (!unit || rule.count || parts.BYSETPOS?.length || start.isDate && unit < 86_400) return start;
  // Count in the start's own local time (the rule's clock), up to an hour plus one occurrence
  // before the window; the window check drops what is still too early.
  const zone = isFloating(start) ? ctx.zones.business : start.zone;
  const target = ICAL.Time.fromJSDate(new Date(ctx.from - length - 3_600_000), true)
    .convertToZone(zone);
  const step = unit * rule.interval;
  const periods = Math.floor((localSeconds(target) - localSeconds(start)) / step);
  if (periods < 2) return start;
  const seconds = periods * step;
  const moved = start.clone();
  moved.adjust(Math.floor(seconds / 86_400), 0, 0, seconds % 86_400);
  return moved;
}

/** The recurrence set of one master, limited to instances that can touch the window. */
function instancesOf(
  master: ICAL.Component,
  start: ICAL.Time,
  length: Length,
  ctx: SeriesContext,
  uid: string | null,
): Map<number, Instance> {
  const instances = new Map<number, Instance>();
  const startMs = ctx.zones.toInstant(start);
  instances.set(startMs, { time: start });

  for (const property of master.getAllProperties("rrule")) {
    const rule = property.getFirstValue() as ICAL.Recur;
    const problem = rule instanceof ICAL.Recur ? ruleProblem(rule, start) : "unreadable RRULE";
    if (problem) {
      ctx.incomplete(uid, problem);
      continue;
    }
    alignUntil(rule, start);
    // COUNT includes DTSTART even when DTSTART does not match the rule (RFC 5545 3.3.10).
    let allowed = rule.count ?? Infinity;
    let produced = 0;
    try {
      const firstLength = length(start, startMs);
      const iterator = rule.iterator(fastForward(rule, start, firstLength, ctx));
      // Instances whose local time is this far before the window end before it, whatever the
      // zone's offset (±18 h) or DST: no conversion to an instant needed for them.
      const surelyBefore = (ctx.from - firstLength) / 1000 - 2 * 86_400;
      let first = true;
      for (let next = iterator.next(); next; next = iterator.next()) {
        chargeSteps(1);
        if (first) {
          first = false;
          if (rule.count && next.compare(start) !== 0) allowed -= 1;
        }
        if (produced >= allowed) break;
        if (!matchesDayParts(rule, next.year, next.month, next.day)) continue;
        produced++;
        if ((produced & 1023) === 0 && performance.now() > ctx.deadline) {
          throw new ExpansionBoundError("feed took too long to read");
        }
        if (localSeconds(next) < surelyBefore) continue;
        const ms = ctx.zones.toInstant(next);
        if (ms >= ctx.to) break;
        if (ms + length(next, ms) <= ctx.from) continue;
        if (instances.size >= ctx.maxInstancesPerRule) {
          ctx.incomplete(uid, "more instances in the window than one series may have");
          break;
        }
        instances.set(ms, { time: next.clone() });
      }
    } catch (error) {
      // ical.js gives up on some rules by throwing (e.g. a yearly rule that never lands on a
      // leap day): the rule's other instances are unknown, the rest of the series stands.
      ctx.incomplete(
        uid,
        error instanceof ExpansionBoundError
          ? `recurrence expansion stopped: ${error.message}`
          : "recurrence rule could not be expanded",
      );
    }
  }

  for (const property of master.getAllProperties("rdate")) {
    for (const value of property.getValues()) {
      if (value instanceof ICAL.Period) {
        const s = ctx.zones.toInstant(value.start);
        const e = ctx.zones.toInstant(value.end ?? value.getEnd());
        instances.set(s, { time: value.start, end: Math.max(s, e) });
      } else if (value instanceof ICAL.Time) {
        const time = aligned(value, start);
        instances.set(ctx.zones.toInstant(time), { time });
      }
    }
  }
  for (const property of master.getAllProperties("exdate")) {
    for (const value of property.getValues()) {
      if (value instanceof ICAL.Time) instances.delete(ctx.zones.toInstant(aligned(value, start)));
    }
  }
  return instances;
}

type Expanded = {
  master: ICAL.Component;
  start: ICAL.Time;
  length: Length;
  endsAtStart: boolean;
  instances: Map<number, Instance>;
};

/** Busy occurrences of one UID: its masters (one or more) and their overrides. */
export function expandSeries(
  uid: string | null,
  masters: ICAL.Component[],
  overrides: ICAL.Component[],
  ctx: SeriesContext,
): void {
  const free = (component: ICAL.Component) => !ctx.includeFree && isFreeComponent(component);
  const expanded: Expanded[] = [];
  for (const master of masters) {
    const start = timeValue(master, "dtstart");
    if (!start) {
      ctx.incomplete(uid, "event without a start");
      continue;
    }
    const { length, endsAtStart } = lengthOf(master, start, ctx, uid);
    expanded.push({
      master,
      start,
      length,
      endsAtStart,
      instances: instancesOf(master, start, length, ctx, uid),
    });
  }

  // Each override replaces the instance of the master that produced it (two masters can share
  // a UID when a client split a series); one that matches no instance stands on its own.
  const replaced = new Map<Expanded, Map<number, ICAL.Component>>();
  for (const override of overrides) {
    const rid = timeValue(override, "recurrence-id");
    const owner = rid &&
      expanded.find((e) => e.instances.has(ctx.zones.toInstant(aligned(rid, e.start))));
    if (rid && owner) {
      const map = replaced.get(owner) ?? new Map<number, ICAL.Component>();
      map.set(ctx.zones.toInstant(aligned(rid, owner.start)), override);
      replaced.set(owner, map);
    } else {
      addSingle(override, uid, ctx, free);
    }
  }

  for (const series of expanded) {
    const overridden = replaced.get(series);
    for (const [ms, instance] of series.instances) {
      const override = overridden?.get(ms);
      if (override) {
        addSingle(override, uid, ctx, free);
        continue;
      }
      if (free(series.master)) continue;
      const length = instance.end !== undefined
        ? instance.end - ms
        : series.length(instance.time, ms);
      if (series.endsAtStart && instance.end === undefined) ctx.add(ms - length, ms, uid, null);
      else ctx.add(ms, ms + length, uid, null);
    }
  }
}

function addSingle(
  component: ICAL.Component,
  uid: string | null,
  ctx: SeriesContext,
  free: (component: ICAL.Component) => boolean,
): void {
  const start = timeValue(component, "dtstart");
  if (!start) {
    ctx.incomplete(uid, "event without a start");
    return;
  }
  if (free(component)) return;
  const rid = timeValue(component, "recurrence-id");
  const recurrenceId = rid ? rid.toString() : null;
  const { length, endsAtStart } = lengthOf(component, start, ctx, uid);
  const startMs = ctx.zones.toInstant(start);
  const ms = length(start, startMs);
  if (endsAtStart) ctx.add(startMs - ms, startMs, uid, recurrenceId);
  else ctx.add(startMs, startMs + ms, uid, recurrenceId);
}
