// Hostile feeds (issue #13, "Done when"): each finishes, keeps its good event and counts what it
// could not read. No timing is asserted: the bounds are step and size budgets, not the clock;
// the one test about time proves the hard limit stops a parser that never returns.
import assert from "node:assert/strict";
import { busyIntervals } from "./ics.ts";
import { ReadTimeoutError, runInWorker } from "./parse_bounded.ts";
import { hostileFeeds } from "./fixtures/hostile_feeds.ts";

const window = {
  from: new Date("2026-11-01T00:00:00Z"),
  to: new Date("2026-12-01T00:00:00Z"),
  businessZone: "Europe/Zurich",
};
const goodSpan = (
  name: string,
  intervals: { uid: string | null; startsAt: Date; endsAt: Date }[],
) =>
  intervals.filter((i) => i.uid === `good-${name}`).map((i) =>
    `${i.startsAt.toISOString()}/${i.endsAt.toISOString()}`
  );

for (const [name, make] of Object.entries(hostileFeeds)) {
  Deno.test(`hostile feed "${name}": finishes, keeps the good event, counts the rest`, () => {
    const result = busyIntervals(make(), window);
    assert.deepEqual(goodSpan(name, result.intervals), [
      "2026-11-02T08:00:00.000Z/2026-11-02T09:00:00.000Z",
    ]);
    assert.ok(result.skippedCount > 0, "something was counted as not read");
    assert.ok(!result.incompleteUids.includes(`good-${name}`));
    for (const interval of result.intervals) {
      assert.ok(interval.endsAt > interval.startsAt && interval.endsAt > window.from);
    }
  });
}

Deno.test("impossible rules: DTSTART stays busy, every rule is reported, their UIDs kept", () => {
  const result = busyIntervals(hostileFeeds["impossible-rules"](), window);
  const impossible = result.intervals.filter((i) => i.uid?.startsWith("impossible-"));
  assert.equal(impossible.length, 21); // 7 frequencies x 3 endings, DTSTART each
  assert.ok(impossible.every((i) => i.startsAt.toISOString() === "2026-11-01T10:00:00.000Z"));
  assert.equal(result.incompleteUids.filter((u) => u.startsWith("impossible-")).length, 21);
});

Deno.test("SECONDLY zone rules are refused; a known TZID falls back to IANA data", () => {
  const result = busyIntervals(hostileFeeds["secondly-zone-rules"](), window);
  const at = (uid: string) =>
    result.intervals.filter((i) => i.uid === uid).map((i) => i.startsAt.toISOString());
  assert.deepEqual(at("in-Europe/Berlin"), ["2026-11-03T09:00:00.000Z"]); // CET, from IANA
  assert.deepEqual(at("in-Hostile/Every_Second"), ["2026-11-03T09:00:00.000Z"]); // business zone
  // Refused both; only the unknown name is a loss (its times are a guess): counted, not repaired.
  assert.equal(result.skipped.filter((s) => /not yearly/.test(s.reason)).length, 1);
  assert.ok(result.repaired.some((r) => /Europe\/Berlin.*not yearly/.test(r.reason)));
  assert.ok(result.repaired.some((r) => /Hostile\/Every_Second/.test(r.reason)));
});

Deno.test("5 MB of SECONDLY events: the step budget ends expansion, every unread UID is kept", () => {
  const result = busyIntervals(hostileFeeds["secondly-events-5mb"](), window);
  const secondly = result.incompleteUids.filter((u) => u.startsWith("secondly-"));
  assert.equal(secondly.length, 50_000, "none is silently dropped: all are kept for the sync");
  assert.ok(result.intervals.length <= 20_000, "the feed-wide cap on busy times holds");
});

Deno.test("a 5 MB line and a 300,000-date RDATE: the description is dropped unread, the RDATE refused", () => {
  const result = busyIntervals(hostileFeeds["line-5mb"](), window);
  assert.deepEqual(
    result.intervals.filter((i) => i.uid === "long-line").map((i) => i.startsAt.toISOString()),
    ["2026-11-02T12:00:00.000Z"],
  );
  assert.ok(result.skipped.some((s) => s.uid === "long-rdate" && /longer than/.test(s.reason)));
  assert.deepEqual(result.incompleteUids, ["long-rdate"]);
});

Deno.test("absurd UTC offsets: the zone is refused and reported; year 9999 series stays outside", () => {
  const result = busyIntervals(hostileFeeds["absurd-utc-offsets"](), window);
  assert.ok(result.skipped.some((s) => /offset/.test(s.reason)));
  assert.deepEqual(
    result.intervals.filter((i) => i.uid === "absurd").map((i) => i.startsAt.toISOString()),
    ["2026-11-03T09:00:00.000Z"], // read in the business zone, and said so
  );
  assert.equal(result.intervals.filter((i) => i.uid === "year-9999").length, 0);
});

Deno.test("the hard limit stops ical.js even when it never returns (unguarded impossible rule)", async () => {
  await assert.rejects(
    runInWorker(new URL("./fixtures/unguarded_ical_worker.ts", import.meta.url), {}, 2_000),
    ReadTimeoutError,
  );
});

Deno.test("every hostile feed together stays within the 256 MB a hosted function has", async () => {
  // Own process, so the peak (VmHWM) is the parser's alone.
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--config",
      new URL("../../../../deno.json", import.meta.url).pathname,
      new URL("./fixtures/hostile_peak.ts", import.meta.url).pathname,
    ],
    stdout: "piped",
    stderr: "inherit",
  });
  const output = await child.output();
  assert.ok(output.success);
  const peakMb = Number(new TextDecoder().decode(output.stdout).trim());
  assert.ok(peakMb > 0 && peakMb < 256, `peak ${peakMb} MB`);
});
