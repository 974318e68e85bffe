import assert from "node:assert/strict";
import { busyIntervals, type ParseOptions } from "./ics.ts";

const fixture = (name: string) =>
  Deno.readTextFileSync(new URL(`./fixtures/${name}`, import.meta.url));
// Copies of real feeds, with their sources and licences in fixtures/real/INDEX.md.
const sharedFixtures = new URL("./fixtures/real/", import.meta.url);
const zurich = (from: string, to: string, extra: Partial<ParseOptions> = {}): ParseOptions => ({
  from: new Date(from),
  to: new Date(to),
  businessZone: "Europe/Zurich",
  // No wall-clock deadline in tests: the iteration bounds alone decide, so results do not change
  // with the machine's speed.
  deadlineMs: Number.POSITIVE_INFINITY,
  ...extra,
});
const spans = (intervals: { startsAt: Date; endsAt: Date }[]) =>
  intervals.map((i) =>
    `${i.startsAt.toISOString().slice(0, 16)}/${i.endsAt.toISOString().slice(11, 16)}`
  ).sort();

Deno.test("weekly series: COUNT, EXDATE, a moved and a cancelled instance, across the spring DST change", () => {
  const { intervals } = busyIntervals(
    fixture("recurrence-zurich.ics"),
    zurich("2026-03-01", "2026-05-01"),
  );
  assert.deepEqual(spans(intervals.filter((i) => i.uid === "weekly-team-meeting")), [
    "2026-03-23T08:00/09:00", // 09:00 CET
    "2026-03-31T12:00/13:00", // moved from Monday 09:00 to Tuesday 14:00 CEST
  ]);
  const moved = intervals.find((i) => i.startsAt.toISOString().startsWith("2026-03-31"));
  assert.ok(
    moved?.recurrenceId?.startsWith("2026-03-30T09:00:00"),
    "the override keeps its recurrence id",
  );
});

Deno.test("BYSETPOS, RDATE, BYMONTHDAY with DURATION; transparent and cancelled events are free", () => {
  const { intervals } = busyIntervals(
    fixture("recurrence-zurich.ics"),
    zurich("2026-10-01", "2027-01-01"),
  );
  assert.deepEqual(spans(intervals.filter((i) => i.uid === "monthly-second-tuesday")), [
    "2026-10-13T10:00/11:00",
    "2026-10-26T11:00/12:00", // the RDATE, after the autumn DST change
    "2026-11-10T11:00/12:00",
    "2026-12-08T11:00/12:00",
  ]);
  assert.deepEqual(spans(intervals.filter((i) => i.uid === "monthly-on-the-15th")), [
    "2026-10-15T14:00/14:30",
    "2026-11-15T15:00/15:30",
  ]);
  assert.equal(
    intervals.filter((i) => i.uid === "lunch-is-free" || i.uid === "cancelled-single").length,
    0,
  );
});

Deno.test("only times and UIDs come out: no titles or descriptions", () => {
  const result = busyIntervals(
    fixture("recurrence-zurich.ics"),
    zurich("2026-01-01", "2027-01-01"),
  );
  const text = JSON.stringify(result);
  assert.ok(
    !text.includes("Confidential") && !text.includes("Private: team meeting") &&
      !text.includes("Moved meeting"),
  );
});

Deno.test("zones without VTIMEZONE, Windows names, floating and all-day times, multi-day events, VFREEBUSY", () => {
  const { intervals, skipped } = busyIntervals(
    fixture("zones-and-days.ics"),
    zurich("2026-03-01", "2027-01-01"),
  );
  const by = (uid: string) => spans(intervals.filter((i) => i.uid === uid));
  assert.deepEqual(by("iana-without-vtimezone"), [
    "2026-11-01T14:00/15:00",
    "2026-11-02T14:00/15:00",
  ]); // EST after US DST end
  assert.deepEqual(by("new-york-spring-forward"), [
    "2026-03-07T14:00/15:00", // EST
    "2026-03-08T13:00/14:00", // EDT from the DST change that night
    "2026-03-09T13:00/14:00",
  ]);
  assert.deepEqual(by("windows-zone-name"), ["2026-10-28T07:00/07:30"]);
  assert.deepEqual(by("floating-time"), ["2026-10-29T09:00/10:00"]); // business time zone
  assert.deepEqual(by("public-holiday"), ["2026-12-23T23:00/23:00"]); // the whole local day
  assert.deepEqual(by("conference"), ["2026-11-10T14:00/10:00"]);
  assert.deepEqual(by("zurich-dst-weekend"), [
    "2026-10-24T07:00/08:00",
    "2026-10-25T08:00/09:00",
    "2026-10-26T08:00/09:00",
  ]);
  assert.deepEqual(spans(intervals.filter((i) => i.uid === null)), [
    "2026-12-01T08:00/09:00",
    "2026-12-01T10:00/10:30",
  ]);
  assert.deepEqual(skipped, []);
});

Deno.test("a hostile feed is bounded: endless recurrence and broken parts are skipped, the rest kept", () => {
  const { intervals, skipped } = busyIntervals(
    fixture("hostile.ics"),
    zurich("2026-11-01", "2026-12-01"),
  );
  assert.deepEqual(spans(intervals), ["2026-11-02T08:00/09:00"]);
  assert.ok(skipped.some((s) => s.uid === "every-second-forever" && /bound/.test(s.reason)));
  assert.ok(skipped.some((s) => s.uid === "broken"));
});

// What may be skipped in the real feeds: only the parts their source projects include as broken
// on purpose. Any other skipped component means a customer's appointment would be offered while
// the team member is busy, so it fails here.
const expectedSkips: Record<string, string[]> = {
  // ical4j files this sample under "invalid": a malformed override and a broken series.
  "ical4j__phpicalendar_sample.ics": [
    "D9040425-RID: unreadable VEVENT",
    "20030822T181536Z-23921-100-1-13@walker: event could not be expanded",
  ],
  // A kitchen-sink feed: made-up zone names, free/busy periods that end before they start, an
  // event on 2017-10-32.
  "ics-parser__ICal.ics": [
    'null: unknown time zone "Greenwich Mean Time:Dublin; Edinburgh; Lisbon; London", used Europe/Zurich',
    'null: unknown time zone "Germany/Berlin", used Europe/Zurich',
    "null: free/busy period ends before it starts",
    "null: free/busy period ends before it starts",
    "null: free/busy period ends before it starts",
    "null: free/busy period ends before it starts",
    "f81b0b41a2e138ae0903daee0a966e1e: event could not be expanded",
  ],
  // An empty second VEVENT (UID only).
  "ics-parser__issue-343.ics": ["UniqueIDValueHere: event without a start"],
};

Deno.test("all 32 real feeds are read; only their deliberately broken parts are skipped", () => {
  const skippedByFeed: Record<string, string[]> = {};
  let feeds = 0;
  for (const entry of Deno.readDirSync(sharedFixtures)) {
    if (!entry.name.endsWith(".ics")) continue;
    feeds++;
    const result = busyIntervals(
      Deno.readTextFileSync(new URL(entry.name, sharedFixtures)),
      zurich("2000-01-01", "2030-01-01"),
    );
    if (result.skipped.length > 0) {
      skippedByFeed[entry.name] = result.skipped.map((s) => `${s.uid}: ${s.reason}`);
    }
  }
  assert.equal(feeds, 32, "every copied feed was read");
  assert.deepEqual(skippedByFeed, expectedSkips);
});

Deno.test("real feeds: the results their own projects assert", () => {
  const read = (name: string) => Deno.readTextFileSync(new URL(name, sharedFixtures));
  // node-ical issue 459: Feb 19 and 24 regular, Feb 27 the moved instance, no regular Feb 26.
  const moved = busyIntervals(
    read("node-ical__exchange_whole_day_moved_recurrence.ics"),
    zurich("2026-02-19", "2026-03-01", { includeFree: true }),
  );
  assert.deepEqual(moved.intervals.map((i) => i.startsAt.toISOString().slice(0, 10)).sort(), [
    "2026-02-18", // local midnight of Feb 19 in Zurich
    "2026-02-23",
    "2026-02-26",
  ]);
  // node-ical "Customized Time Zone"
  const custom = busyIntervals(
    read("node-ical__bad_ms_tz.ics"),
    zurich("2020-08-25", "2020-08-26"),
  );
  assert.deepEqual(
    custom.intervals.map((i) => [i.startsAt.toISOString(), i.endsAt.toISOString()]),
    [
      ["2020-08-25T14:35:00.000Z", "2020-08-25T15:50:00.000Z"],
    ],
  );
  // node-ical non-UTC UNTIL: 15 daily instances, 19:00Z until 03-09 and 18:00Z from 03-10.
  const until = busyIntervals(
    read("node-ical__non-utc-until-ny.ics"),
    zurich("2024-01-01", "2025-01-01"),
  );
  const starts = until.intervals.map((i) => i.startsAt.toISOString()).sort();
  assert.equal(starts.length, 15);
  assert.ok(starts.filter((s) => s < "2024-03-10").every((s) => s.endsWith("T19:00:00.000Z")));
  assert.ok(starts.filter((s) => s >= "2024-03-10").every((s) => s.endsWith("T18:00:00.000Z")));
  assert.equal(starts.at(-1), "2024-03-15T18:00:00.000Z");
});
