// Property test: the parser's recurrence sets against a deliberately simple second
// implementation (walk the calendar day by day) over random DAILY/WEEKLY series in UTC, with
// INTERVAL, BYDAY, COUNT or UNTIL, EXDATEs and RDATEs, and windows far after DTSTART (which the
// parser reaches by fast-forwarding whole periods). Seeded, so every run checks the same cases.
import assert from "node:assert/strict";
import { busyIntervals } from "./ics.ts";

const DAY = 86_400_000;
const WEEKDAYS = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"];

/** mulberry32: a small seeded generator with good low bits. */
function random(seed: number) {
  let state = seed >>> 0;
  return (n: number) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) / 4_294_967_296 * n) | 0;
  };
}

const stamp = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, "").slice(0, 15) + "Z";

type Case = {
  freq: "DAILY" | "WEEKLY";
  interval: number;
  byday: number[]; // weekdays, 0 = Sunday
  count?: number;
  until?: number;
  start: number;
  exdates: number[];
  rdates: number[];
  from: number;
  to: number;
};

/** The instances, by walking every day from DTSTART: simple, slow, obviously right. */
function simpleInstances(c: Case): number[] {
  const timeOfDay = c.start % DAY;
  const startDay = c.start - timeOfDay;
  // Monday of DTSTART's week (WKST=MO), for WEEKLY's "every INTERVAL-th week".
  const weekOf = (day: number) =>
    Math.floor((day - startDay + ((new Date(startDay).getUTCDay() + 6) % 7) * DAY) / (7 * DAY));
  const found: number[] = [c.start];
  let ruleInstances = 0;
  const limit = c.count === undefined ? Infinity : c.count - 1; // DTSTART counts (RFC 5545)
  for (let day = startDay; day < c.to + 2 * DAY && ruleInstances < limit; day += DAY) {
    const at = day + timeOfDay;
    if (at < c.start || (c.until !== undefined && at > c.until)) continue;
    const weekday = new Date(day).getUTCDay();
    const onDay = c.byday.length === 0
      ? weekday === new Date(c.start).getUTCDay() || c.freq === "DAILY"
      : c.byday.includes(weekday);
    const onStep = c.freq === "DAILY"
      ? Math.round((day - startDay) / DAY) % c.interval === 0
      : weekOf(day) % c.interval === 0;
    if (!onDay || !onStep) continue;
    if (at !== c.start) found.push(at);
    else if (c.count !== undefined) continue; // DTSTART on the rule: counted once, above
    ruleInstances++;
  }
  const set = new Set([...found, ...c.rdates]);
  for (const ex of c.exdates) set.delete(ex);
  return [...set].filter((s) => s + 3_600_000 > c.from && s < c.to).sort((a, b) => a - b);
}

function feed(c: Case): string {
  const parts = [`FREQ=${c.freq}`, `INTERVAL=${c.interval}`];
  if (c.byday.length) parts.push(`BYDAY=${c.byday.map((d) => WEEKDAYS[d]).join(",")}`);
  if (c.count !== undefined) parts.push(`COUNT=${c.count}`);
  if (c.until !== undefined) parts.push(`UNTIL=${stamp(c.until)}`);
  return [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "BEGIN:VEVENT",
    "UID:series",
    `DTSTART:${stamp(c.start)}`,
    `DTEND:${stamp(c.start + 3_600_000)}`,
    `RRULE:${parts.join(";")}`,
    ...c.exdates.map((e) => `EXDATE:${stamp(e)}`),
    ...c.rdates.map((r) => `RDATE:${stamp(r)}`),
    "END:VEVENT",
    "END:VCALENDAR",
  ].join("\r\n");
}

Deno.test("recurrence sets equal a day-by-day walk on 300 random series", () => {
  const next = random(13);
  for (let i = 0; i < 300; i++) {
    const start = Date.UTC(2020, 0, 1) + next(2_000) * DAY + next(24) * 3_600_000;
    const freq = next(2) === 0 ? "DAILY" : "WEEKLY";
    const byday = [...new Set(Array.from({ length: next(3) }, () => next(7)))];
    const from = next(4) === 0 ? start - DAY : start + next(1_500) * DAY;
    const c: Case = {
      freq,
      interval: 1 + next(4),
      byday,
      start,
      count: next(3) === 0 ? 1 + next(40) : undefined,
      until: next(3) === 1 ? start + next(900) * DAY : undefined,
      exdates: [],
      rdates: Array.from({ length: next(3) }, () => from + next(40) * DAY + 7_200_000),
      from,
      to: from + (10 + next(50)) * DAY,
    };
    const plain = simpleInstances({ ...c, from: -Infinity, to: c.to });
    c.exdates = plain.filter(() => next(6) === 0).slice(0, 4);
    const expected = simpleInstances(c).map((s) => new Date(s).toISOString());
    const { intervals } = busyIntervals(feed(c), {
      from: new Date(c.from),
      to: new Date(c.to),
      businessZone: "Europe/Zurich",
    });
    const actual = intervals.map((x) => x.startsAt.toISOString()).sort();
    assert.deepEqual(actual, expected, `case ${i}: ${feed(c).replaceAll("\r\n", " ")}`);
  }
});
