import assert from "node:assert/strict";
import { calendarText, type FeedEvent, renderFeed } from "./render.ts";
import { parseWithPython, unescapeText } from "./validate.ts";

const now = new Date("2026-11-29T11:00:00Z");

function event(overrides: Partial<FeedEvent>): FeedEvent {
  return {
    uid: "b8000000-0000-4000-8000-000000000001",
    sequence: 0,
    startsLocal: "2026-12-01T10:00:00",
    endsLocal: "2026-12-01T11:00:00",
    serviceName: "Dental Cleaning",
    customerFirstName: "Marie",
    createdAt: new Date("2026-11-20T08:00:00Z"),
    lastModified: new Date("2026-11-21T08:00:00Z"),
    ...overrides,
  };
}

Deno.test("the feed parses in an independent parser, with its VTIMEZONE and local times", async () => {
  const ics = renderFeed({
    teamMemberName: "Dr. Sarah Weber",
    timeZone: "Europe/Zurich",
    events: [
      event({}),
      // DST days in Zurich: 28 March 2027 (clocks go forward at 02:00), 25 October 2026 (back at 03:00).
      event({
        uid: "b8000000-0000-4000-8000-000000000002",
        sequence: 3,
        startsLocal: "2027-03-28T09:00:00",
        endsLocal: "2027-03-28T10:00:00",
      }),
      event({
        uid: "b8000000-0000-4000-8000-000000000003",
        startsLocal: "2026-10-25T09:00:00",
        endsLocal: "2026-10-25T10:00:00",
      }),
    ],
  }, now);
  const parsed = await parseWithPython(ics);
  assert.equal(parsed.version, "2.0");
  assert.equal(parsed.name, "Bookings: Dr. Sarah Weber");
  assert.deepEqual(parsed.zones, ["Europe/Zurich"]);
  assert.deepEqual(parsed.events.map((e) => [e.uid, e.sequence, e.start, e.end, e.startTzid]), [
    [
      "b8000000-0000-4000-8000-000000000001@bookings.staff-aware-booking",
      0,
      "2026-12-01T10:00:00+01:00",
      "2026-12-01T11:00:00+01:00",
      "Europe/Zurich",
    ],
    [
      "b8000000-0000-4000-8000-000000000002@bookings.staff-aware-booking",
      3,
      "2027-03-28T09:00:00+02:00",
      "2027-03-28T10:00:00+02:00",
      "Europe/Zurich",
    ],
    [
      "b8000000-0000-4000-8000-000000000003@bookings.staff-aware-booking",
      0,
      "2026-10-25T09:00:00+01:00",
      "2026-10-25T10:00:00+01:00",
      "Europe/Zurich",
    ],
  ]);
  assert.equal(parsed.events[0].summary, "Dental Cleaning: Marie");
  // What every calendar app requires of an event.
  for (const e of parsed.events) {
    for (const p of ["DTSTAMP", "DTSTART", "DTEND", "UID", "SEQUENCE", "SUMMARY"]) {
      assert.ok(e.properties.includes(p), `${p} in ${e.uid}`);
    }
  }
});

Deno.test("hostile names are escaped and folded so that they read back exactly", async () => {
  const hostile = [
    "Anna, Maria; \\Zoë\\",
    "Line\r\nbreak\rand\nmore",
    "BEGIN:VEVENT\r\nSUMMARY:injected",
    "😀 emoji ".repeat(30),
    "é".repeat(300),
    "Null\u0000byte\u0007bell",
    "x".repeat(5_000_000),
  ];
  const events = hostile.map((name, i) =>
    event({
      uid: `00000000-0000-4000-8000-00000000000${i}`,
      customerFirstName: name,
      serviceName: name,
    })
  );
  const ics = renderFeed({ teamMemberName: hostile[1], timeZone: "Europe/Zurich", events }, now);
  assert.ok(ics.length < 50_000, "a 5 MB name does not make a 5 MB feed");
  const parsed = await parseWithPython(ics); // also checks: CRLF only, lines <= 75 octets, UTF-8 intact
  assert.equal(parsed.events.length, hostile.length, "no event was injected or lost");
  parsed.events.forEach((e, i) => {
    const service = calendarText(hostile[i], 120);
    const who = calendarText(hostile[i], 60);
    assert.equal(unescapeText(e.summaryEscaped), `${service}: ${who}`);
  });
  assert.equal(parsed.events[1].summary, "Line\nbreak\nand\nmore: Line\nbreak\nand\nmore");
  assert.equal(parsed.events[2].summary.startsWith("BEGIN:VEVENT\nSUMMARY:injected"), true);
  assert.equal(parsed.name, "Bookings: Line break and more", "the calendar name is one line");
});

Deno.test("property: any text reads back as calendarText made it (300 random names)", async () => {
  // A deliberately simple second implementation of what a reader must see: the cleaned text.
  const alphabet = ["a", "Z", " ", ",", ";", ":", "\\", "\n", "\r", "\t", "é", "😀", '"', "'", "ß"];
  let seed = 17;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const names = Array.from(
    { length: 300 },
    () =>
      Array.from(
        { length: 1 + Math.floor(random() * 90) },
        () => alphabet[Math.floor(random() * alphabet.length)],
      ).join(""),
  );
  const events = names.map((name, i) =>
    event({
      uid: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
      serviceName: name,
      customerFirstName: "X",
    })
  );
  const parsed = await parseWithPython(
    renderFeed({ teamMemberName: "T", timeZone: "Europe/Zurich", events }, now),
  );
  parsed.events.forEach((e, i) => {
    const expected = names[i].replace(/\r\n?/g, "\n").replace(/\t/g, "").trim();
    const cut = Array.from(expected).length > 120
      ? Array.from(expected).slice(0, 119).join("") + "…"
      : expected;
    assert.equal(unescapeText(e.summaryEscaped), `${cut}: X`, JSON.stringify(names[i]));
  });
});

Deno.test("an empty feed is still a valid calendar", async () => {
  const parsed = await parseWithPython(
    renderFeed({ teamMemberName: "Michael", timeZone: "America/New_York", events: [] }, now),
  );
  assert.deepEqual(parsed.zones, ["America/New_York"]);
  assert.deepEqual(parsed.events, []);
});
