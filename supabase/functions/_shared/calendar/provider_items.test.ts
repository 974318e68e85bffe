// What blocks time, for Google and Outlook events: the classifiers against a deliberately simple
// second statement of the rules over random combinations, plus hostile input.
import assert from "node:assert/strict";
import { googleItem } from "./google.ts";
import { graphItem } from "./microsoft.ts";
import { retryAfterSeconds } from "./provider_api.ts";

// A small seeded generator, so a failure can be reproduced from its seed.
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}
const pick = <T>(r: () => number, xs: T[]): T => xs[Math.floor(r() * xs.length)];

Deno.test("Google: busy exactly when the simple rules say so (2,000 random events)", () => {
  const r = rng(16);
  for (let i = 0; i < 2000; i++) {
    const status = pick(r, [undefined, "confirmed", "tentative", "cancelled"]);
    const transparency = pick(r, [undefined, "opaque", "transparent"]);
    const eventType = pick(r, [
      undefined,
      "default",
      "outOfOffice",
      "focusTime",
      "workingLocation",
    ]);
    const response = pick(r, [undefined, "accepted", "declined", "tentative", "needsAction"]);
    const self = pick(r, [true, false]);
    const ours = r() < 0.2;
    const event = {
      id: `e${i}`,
      status,
      transparency,
      eventType,
      start: { dateTime: "2026-12-01T09:00:00+01:00" },
      end: { dateTime: "2026-12-01T10:00:00+01:00" },
      attendees: response ? [{ self, responseStatus: response }] : undefined,
      extendedProperties: ours ? { private: { staffAwareBookingId: "b" } } : undefined,
    };
    // The rules, stated plainly.
    const removed = status === "cancelled";
    const busy = !removed && transparency !== "transparent" && eventType !== "workingLocation" &&
      !(self && response === "declined") && !ours;
    const item = googleItem(event);
    assert.ok(item !== null, `event ${i} readable`);
    if (removed) assert.deepEqual(item, { removed: `e${i}` });
    else {
      assert.ok("change" in item);
      assert.equal(item.change.busy, busy, JSON.stringify(event));
      if (busy) assert.equal(item.change.starts_at, "2026-12-01T08:00:00.000Z");
    }
  }
});

Deno.test("Outlook: busy exactly when the simple rules say so (2,000 random events)", () => {
  const r = rng(17);
  for (let i = 0; i < 2000; i++) {
    const showAs = pick(r, [
      undefined,
      "free",
      "tentative",
      "busy",
      "oof",
      "workingElsewhere",
      "unknown",
    ]);
    const isCancelled = pick(r, [undefined, false, true]);
    const removedMark = r() < 0.1;
    const response = pick(r, [undefined, "none", "accepted", "declined", "tentativelyAccepted"]);
    const ours = r() < 0.2;
    const event = {
      id: `o${i}`,
      showAs,
      isCancelled,
      ...(removedMark ? { "@removed": { reason: "deleted" } } : {}),
      responseStatus: response ? { response } : undefined,
      transactionId: ours ? `staff-aware-booking-${i}` : pick(r, [null, "someone-else"]),
      start: { dateTime: "2026-12-01T08:00:00.0000000", timeZone: "UTC" },
      end: { dateTime: "2026-12-01T09:00:00.0000000", timeZone: "UTC" },
    };
    const removed = removedMark || isCancelled === true;
    const busy = !removed && !["free", "workingElsewhere"].includes(showAs ?? "busy") &&
      response !== "declined" && !ours;
    const item = graphItem(event);
    assert.ok(item !== null);
    if (removed) assert.deepEqual(item, { removed: `o${i}` });
    else {
      assert.ok("change" in item);
      assert.equal(item.change.busy, busy, JSON.stringify(event));
    }
  }
});

Deno.test("hostile events are skipped, never stored wrong", () => {
  const huge = "x".repeat(5_000_000);
  for (
    const bad of [
      null,
      42,
      "event",
      {},
      { id: "" },
      {
        id: huge,
        start: { dateTime: "2026-12-01T09:00:00Z" },
        end: { dateTime: "2026-12-01T10:00:00Z" },
      },
      {
        id: "a",
        start: { dateTime: "2026-12-01T09:00:00" },
        end: { dateTime: "2026-12-01T10:00:00" },
      }, // no offset
      {
        id: "a",
        start: { dateTime: "2026-12-01T10:00:00Z" },
        end: { dateTime: "2026-12-01T09:00:00Z" },
      }, // backwards
      {
        id: "a",
        start: { dateTime: "Infinity" },
        end: { dateTime: "+275760-09-13T00:00:00.001Z" },
      },
      { id: "a", start: { date: "2026-12-01\r\nX: y" }, end: { date: "2026-12-02" } },
    ]
  ) assert.equal(googleItem(bad), null, JSON.stringify(bad)?.slice(0, 80));
  for (
    const bad of [
      {
        id: "a",
        start: { dateTime: "2026-12-01T08:00:00", timeZone: "Mars/Olympus" },
        end: { dateTime: "2026-12-01T09:00:00", timeZone: "Mars/Olympus" },
      },
      {
        id: "a",
        start: { dateTime: "2026-12-01T09:00:00", timeZone: "UTC" },
        end: { dateTime: "2026-12-01T08:00:00", timeZone: "UTC" },
      },
      { id: "a", start: { dateTime: huge }, end: { dateTime: "2026-12-01T08:00:00" } },
      {
        id: "a",
        isAllDay: true,
        start: { dateTime: "2026-12-02T00:00:00" },
        end: { dateTime: "2026-12-01T00:00:00" },
      },
    ]
  ) assert.equal(graphItem(bad), null);
  // Year 9999 is a date like any other: kept, and the window decides.
  const far = googleItem({
    id: "far",
    start: { dateTime: "9999-12-31T09:00:00Z" },
    end: { dateTime: "9999-12-31T10:00:00Z" },
  });
  assert.ok(far && "change" in far && far.change.busy);
});

Deno.test("Retry-After: seconds or an HTTP date, against a fixed clock", () => {
  const now = Date.parse("2026-12-01T12:00:00Z");
  assert.equal(retryAfterSeconds("7", now), 7);
  assert.equal(retryAfterSeconds(" 120 ", now), 120);
  assert.equal(retryAfterSeconds("Tue, 01 Dec 2026 12:00:30 GMT", now), 30);
  assert.equal(
    retryAfterSeconds("Tue, 01 Dec 2026 11:00:00 GMT", now),
    0,
    "a date in the past: at once",
  );
  assert.equal(retryAfterSeconds(null, now), 1);
  assert.equal(retryAfterSeconds("soon\r\nX-Evil: 1", now), 1);
  assert.equal(retryAfterSeconds("9".repeat(5000), now), 1, "absurd numbers are not waited for");
});
