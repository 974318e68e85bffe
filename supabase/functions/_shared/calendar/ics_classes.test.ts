// Issue #13's classes of wrong busy times, each on its own small fixture, each asserting the
// exact busy intervals a user would see blocked.
import assert from "node:assert/strict";
import { busyIntervals, type ParseResult } from "./ics.ts";

const fixture = (name: string) =>
  Deno.readTextFileSync(new URL(`./fixtures/${name}`, import.meta.url));
const read = (name: string, from = "2026-01-01", to = "2027-01-01"): ParseResult =>
  busyIntervals(fixture(name), {
    from: new Date(from),
    to: new Date(to),
    businessZone: "Europe/Zurich",
  });
/** "start/end" in UTC, minutes precision, sorted. */
const spansOf = (result: ParseResult, uid: string) =>
  result.intervals.filter((i) => i.uid === uid).map((i) =>
    `${i.startsAt.toISOString().slice(0, 16)}/${i.endsAt.toISOString().slice(0, 16)}`
  ).sort();

Deno.test("recurrence sets: an RDATE series keeps its DTSTART instance (item 9)", () => {
  assert.deepEqual(spansOf(read("recurrence-sets.ics"), "rdate-without-rrule"), [
    "2026-11-02T09:00/2026-11-02T10:00",
    "2026-11-04T09:00/2026-11-04T10:00",
    "2026-11-06T09:00/2026-11-06T10:00",
  ]);
});

Deno.test("recurrence sets: DTSTART off the rule is the first instance and counts in COUNT (item 10)", () => {
  assert.deepEqual(spansOf(read("recurrence-sets.ics"), "dtstart-off-rule"), [
    "2026-11-04T10:00/2026-11-04T11:00",
    "2026-11-07T10:00/2026-11-07T11:00",
    "2026-12-07T10:00/2026-12-07T11:00",
  ]);
});

Deno.test("recurrence sets: an EXDATE removes an instance both the RRULE and an RDATE produce (item 11)", () => {
  assert.deepEqual(spansOf(read("recurrence-sets.ics"), "exdate-over-rrule-and-rdate"), [
    "2026-11-02T12:00/2026-11-02T13:00",
    "2026-11-04T12:00/2026-11-04T13:00",
  ]);
});

Deno.test("recurrence sets: a series split into two masters keeps both, EXDATE and override on the right one (item 12)", () => {
  assert.deepEqual(spansOf(read("recurrence-sets.ics"), "split-series"), [
    "2026-11-02T14:00/2026-11-02T15:00",
    "2026-11-16T14:00/2026-11-16T15:00", // Monday 11-09 excluded by the first master's EXDATE
    "2026-11-18T14:00/2026-11-18T15:00",
    "2026-11-26T16:00/2026-11-26T17:00", // the second master's 11-25, moved
    "2026-12-02T14:00/2026-12-02T15:00",
  ]);
});

Deno.test("recurrence sets: two RRULEs, one ending first, lose no instance (item 13)", () => {
  assert.deepEqual(spansOf(read("recurrence-sets.ics"), "two-rules"), [
    "2026-11-02T07:00/2026-11-02T07:30",
    "2026-11-03T07:00/2026-11-03T07:30",
    "2026-11-09T07:00/2026-11-09T07:30",
    "2026-11-16T07:00/2026-11-16T07:30",
    "2026-11-23T07:00/2026-11-23T07:30",
  ]);
});

Deno.test("recurrence sets: MONTHLY on 30 February produces nothing but DTSTART (item 14)", () => {
  const result = read("recurrence-sets.ics", "2026-01-01", "2031-01-01");
  // ical.js alone gives 11-30 (another month's 30th) and loses the DTSTART.
  assert.deepEqual(spansOf(result, "february-thirtieth"), ["2026-11-15T08:00/2026-11-15T08:30"]);
  assert.ok(result.skipped.some((s) => s.uid === "february-thirtieth" && /never/.test(s.reason)));
});

Deno.test("recurrence sets: a line folded inside its property name keeps the property (item 15)", () => {
  assert.deepEqual(spansOf(read("recurrence-sets.ics"), "folded-name"), [
    "2026-11-10T15:00/2026-11-10T15:30",
    "2026-11-11T15:00/2026-11-11T15:30",
    "2026-11-12T15:00/2026-11-12T15:30",
  ]);
});

Deno.test("wrong times: Windows zone names go through CLDR's table, with DST (item 5)", () => {
  const result = read("wrong-times.ics");
  assert.deepEqual(spansOf(result, "pacific-windows-name"), ["2026-06-10T17:00/2026-06-10T18:00"]);
  assert.deepEqual(spansOf(result, "w-europe-windows-name"), [
    "2026-06-10T08:00/2026-06-10T09:00",
  ]);
  assert.deepEqual(spansOf(result, "romance-windows-name"), [
    "2026-12-10T09:00/2026-12-10T10:00",
  ]);
  assert.deepEqual(spansOf(result, "aus-eastern-windows-name"), [
    "2026-06-10T00:00/2026-06-10T01:00",
  ]);
  assert.deepEqual(spansOf(result, "gmt-windows-name"), ["2026-06-10T09:00/2026-06-10T10:00"]);
});

Deno.test("wrong times: a feed's VTIMEZONE does not beat IANA data where it does not cover the date (item 6)", () => {
  const result = read("wrong-times.ics", "2020-01-01", "2027-01-01");
  // Defined only from 2025: 2020 comes from IANA (EDT), 2026 from the feed (also EDT).
  assert.deepEqual(spansOf(result, "zone-defined-only-from-2025"), [
    "2020-06-10T14:00/2020-06-10T15:00",
  ]);
  assert.deepEqual(spansOf(result, "zone-defined-only-from-2025-covered"), [
    "2026-06-10T14:00/2026-06-10T15:00",
  ]);
  // The same TZID defined twice with different rules: IANA (CEST).
  assert.deepEqual(spansOf(result, "zone-defined-twice"), ["2026-06-10T08:00/2026-06-10T09:00"]);
  // RDATE rules that end in 2021: 2026 comes from IANA (AEDT, +11).
  assert.deepEqual(spansOf(result, "zone-by-rdates-until-2021"), [
    "2026-01-09T23:00/2026-01-10T00:00",
  ]);
});

Deno.test("wrong times: an all-day start with a timed end spans to that end (item 7)", () => {
  assert.deepEqual(spansOf(read("wrong-times.ics"), "all-day-start-timed-end"), [
    "2026-11-09T23:00/2026-11-12T11:00", // Zurich midnight of 11-10 to 12:00 Zurich on 11-12
  ]);
});

Deno.test("wrong times: DTEND before DTSTART is read swapped, and said so (item 8)", () => {
  const result = read("wrong-times.ics");
  assert.deepEqual(spansOf(result, "end-before-start"), ["2026-11-13T09:00/2026-11-13T11:00"]);
  assert.ok(result.repaired.some((r) => r.uid === "end-before-start" && /swapped/.test(r.reason)));
});

Deno.test("fail closed: nothing vanishes silently; what could not be read is counted and its UID kept (items 3, 4)", () => {
  const result = read("fail-closed.ics");
  // A VEVENT without END no longer swallows the next one.
  assert.deepEqual(spansOf(result, "missing-end"), ["2026-11-02T08:00/2026-11-02T09:00"]);
  assert.deepEqual(spansOf(result, "after-missing-end"), ["2026-11-02T10:00/2026-11-02T11:00"]);
  assert.ok(result.repaired.some((r) => r.uid === "missing-end"));
  // COUNT=-1: the rule is refused and reported; DTSTART is still busy.
  assert.deepEqual(spansOf(result, "count-minus-one"), ["2026-11-03T08:00/2026-11-03T09:00"]);
  assert.ok(result.skipped.some((s) => s.uid === "count-minus-one" && /COUNT/.test(s.reason)));
  assert.deepEqual(spansOf(result, "good"), ["2026-11-05T08:00/2026-11-05T09:00"]);
  // The rules that could not be read: their UIDs are kept (earlier busy times stay stored).
  assert.deepEqual(result.incompleteUids.sort(), ["count-minus-one", "empty-rrule"]);
  assert.equal(result.skippedCount, 2);
  assert.equal(result.unattributedSkips, 0);
});

Deno.test("a parse leaves ical.js's process-wide zone registry alone (review #9)", async () => {
  const ICAL = (await import("ical.js")).default;
  const mine = new ICAL.Timezone({ tzid: "Someone/Else" });
  ICAL.TimezoneService.register(mine, "Someone/Else");
  try {
    read("wrong-times.ics");
    assert.equal(ICAL.TimezoneService.get("Someone/Else"), mine, "another user's zone survives");
    assert.equal(ICAL.TimezoneService.has("Pacific Standard Time"), false, "nothing leaks out");
    assert.equal(ICAL.TimezoneService.has("Australia/Sydney"), false);
  } finally {
    ICAL.TimezoneService.remove("Someone/Else");
  }
});
