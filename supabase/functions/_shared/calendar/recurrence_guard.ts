// Keeps ical.js's recurrence expansion bounded, whatever a rule says.
//
// ical.js's RecurIterator.next() loops until a candidate passes the rule's limiting parts; for a
// rule no date can satisfy (FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30) it never returns, and its
// per-day caches grow without end (> 1 GB). Hosted Edge Functions offer no Worker to kill, so the
// bound has to be inside the loop:
// 1. every candidate ical.js tries passes through check_contracting_rules, which is wrapped once
//    per process to charge a step budget; an exhausted budget throws ExpansionBoundError out of
//    next(). Outside `withStepBudget` the wrapper only counts nothing and passes through.
// 2. before a rule is expanded, `ruleProblem` refuses what cannot or must not be expanded (no or
//    unknown FREQ, COUNT < 1, huge INTERVAL, out-of-range BY values) and proves with a simple day
//    scan that a DAILY-or-finer rule can produce an instance at all.
// 3. `matchesDayParts` checks every instance against the rule's month/day parts, because ical.js
//    lets some impossible MONTHLY rules slip through onto another month's day.
import ICAL from "ical.js";

export class ExpansionBoundError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "ExpansionBoundError";
  }
}

type Budget = { remaining: number; perNext: Record<string, number> };
let budget: Budget | null = null;

/** What one candidate costs: DAILY candidates compute (and cache) week numbers per day. */
const STEP_COST: Record<string, number> = { DAILY: 10 };
/** Candidates one next() may try: enough for the rarest real date (29 Feb on a Monday). */
export const CANDIDATES_PER_NEXT: Record<string, number> = {
  SECONDLY: 200_000,
  MINUTELY: 200_000,
  HOURLY: 200_000,
  DAILY: 12_000,
};

type GuardedIterator = {
  rule: ICAL.Recur;
  __candidates?: number;
};

let installed = false;
function install(): void {
  if (installed) return;
  installed = true;
  // deno-lint-ignore no-explicit-any
  const proto = ICAL.RecurIterator.prototype as any;
  const check = proto.check_contracting_rules;
  proto.check_contracting_rules = function (this: GuardedIterator) {
    if (budget) {
      const freq = String(this.rule.freq);
      const limit = budget.perNext[freq] ?? 100_000;
      this.__candidates = (this.__candidates ?? 0) + 1;
      budget.remaining -= STEP_COST[freq] ?? 1;
      if (this.__candidates > limit) {
        throw new ExpansionBoundError("recurrence rule finds no next instance");
      }
      if (budget.remaining < 0) throw new ExpansionBoundError("feed's expansion budget used up");
    }
    return check.call(this);
  };
  const next = proto.next;
  proto.next = function (this: GuardedIterator, again?: boolean) {
    this.__candidates = 0;
    return next.call(this, again);
  };
}

/** Runs `fn` with ical.js's expansion bounded by `steps` candidate steps in total. */
export function withStepBudget<T>(steps: number, fn: () => T): T {
  install();
  const previous = budget;
  budget = { remaining: steps, perNext: CANDIDATES_PER_NEXT };
  try {
    return fn();
  } finally {
    budget = previous;
    // ical.js memoises weekday and week number per date in process-wide tables; a hostile
    // rule fills them with dates no one will ask for again. Emptying them changes no result.
    // deno-lint-ignore no-explicit-any
    const time = ICAL.Time as any;
    time._dowCache = {};
    time._wnCache = {};
  }
}

/** Whether the running budget is used up (further expansion would only throw). */
export function budgetExhausted(): boolean {
  return budget !== null && budget.remaining <= 0;
}

/** Charges `steps` to the running budget (our own loop's instances count too). */
export function chargeSteps(steps: number): void {
  if (!budget) return;
  budget.remaining -= steps;
  if (budget.remaining < 0) throw new ExpansionBoundError("feed's expansion budget used up");
}

const FREQUENCIES = new Set([
  "SECONDLY",
  "MINUTELY",
  "HOURLY",
  "DAILY",
  "WEEKLY",
  "MONTHLY",
  "YEARLY",
]);
const RANGES: Record<string, [number, number]> = {
  BYSECOND: [0, 60],
  BYMINUTE: [0, 59],
  BYHOUR: [0, 23],
  BYMONTHDAY: [-31, 31],
  BYYEARDAY: [-366, 366],
  BYWEEKNO: [-53, 53],
  BYMONTH: [1, 12],
  BYSETPOS: [-366, 366],
};
export const MAX_INTERVAL = 10_000;

/** Why a rule must not be expanded, or null. `start` is the series' DTSTART. */
export function ruleProblem(rule: ICAL.Recur, start: ICAL.Time): string | null {
  if (!rule.freq || !FREQUENCIES.has(String(rule.freq))) {
    return "recurrence rule without a valid FREQ";
  }
  if (!Number.isInteger(rule.interval) || rule.interval < 1 || rule.interval > MAX_INTERVAL) {
    return "recurrence rule with an invalid INTERVAL";
  }
  if (rule.count !== null && rule.count !== undefined) {
    if (!Number.isInteger(rule.count) || rule.count < 1) {
      return "recurrence rule with COUNT below 1";
    }
  }
  const parts = rule.parts as Record<string, unknown[] | undefined>;
  for (const [part, [min, max]] of Object.entries(RANGES)) {
    for (const value of parts[part] ?? []) {
      const n = Number(value);
      if (!Number.isInteger(n) || n < min || n > max || (n === 0 && min < 0)) {
        return `recurrence rule with ${part} out of range`;
      }
    }
  }
  for (const value of parts.BYDAY ?? []) {
    if (!/^[+-]?\d{0,2}(MO|TU|WE|TH|FR|SA|SU)$/.test(String(value))) {
      return "recurrence rule with an unreadable BYDAY";
    }
  }
  if (!dayPartsCanMatch(rule, start)) return "recurrence rule that can never produce an instance";
  return null;
}

const WEEKDAYS = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"];

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Whether a date satisfies the rule's BYMONTH, BYMONTHDAY, BYYEARDAY and BYDAY weekdays. */
export function matchesDayParts(
  rule: ICAL.Recur,
  year: number,
  month: number,
  day: number,
): boolean {
  const parts = rule.parts as Record<string, (string | number)[] | undefined>;
  if (parts.BYMONTH?.length && !parts.BYMONTH.some((m) => Number(m) === month)) return false;
  if (parts.BYMONTHDAY?.length) {
    const last = daysInMonth(year, month);
    if (!parts.BYMONTHDAY.some((d) => Number(d) === day || last + 1 + Number(d) === day)) {
      return false;
    }
  }
  if (parts.BYYEARDAY?.length) {
    const doy = (Date.UTC(year, month - 1, day) - Date.UTC(year, 0, 1)) / 86_400_000 + 1;
    const length = daysInMonth(year, 2) === 29 ? 366 : 365;
    if (!parts.BYYEARDAY.some((d) => Number(d) === doy || length + 1 + Number(d) === doy)) {
      return false;
    }
  }
  if (parts.BYDAY?.length) {
    const weekday = WEEKDAYS[new Date(Date.UTC(year, month - 1, day)).getUTCDay()];
    if (!parts.BYDAY.some((d) => String(d).endsWith(weekday))) return false;
  }
  return true;
}

/**
 * A deliberately plain proof that a rule reaches a day its month/day parts allow: walk the days
 * it can land on (every INTERVAL-th day for DAILY, every day otherwise) for 28 years, the period
 * after which weekdays and leap years repeat. A necessary condition only: ical.js's own loops
 * bound the coarser frequencies, the step budget bounds the rest.
 */
function dayPartsCanMatch(rule: ICAL.Recur, start: ICAL.Time): boolean {
  const step = rule.freq === "DAILY" ? rule.interval : 1;
  const first = Date.UTC(start.year, start.month - 1, start.day);
  for (let offset = 0; offset <= 28 * 366; offset += step) {
    const date = new Date(first + offset * 86_400_000);
    if (
      matchesDayParts(rule, date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate())
    ) {
      return true;
    }
  }
  return false;
}
