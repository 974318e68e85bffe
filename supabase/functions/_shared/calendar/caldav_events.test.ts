// CalDAV events we write (issue #14, item 8): whatever a customer calls themselves, the event is
// one VEVENT with exactly our properties, every line at most 75 octets, CRLF only.
import assert from "node:assert/strict";
import ICAL from "ical.js";
import { bookingIcs, plainText } from "./caldav_events.ts";

const HOSTILE_NAMES = [
  "Eve\rRRULE:FREQ=DAILY",
  "Eve\nRRULE:FREQ=DAILY",
  "Eve\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil\r\nDTSTART:20261201T090000Z",
  "Eve\u2028ATTENDEE:mailto:boss@example.com",
  "Semi;colon, comma\\ backslash",
  "Zoë 🙂 ".repeat(40), // multi-byte characters across the folding point
  "\u0000\u0007\u001b[31mcontrol\u007f",
  "x".repeat(5000),
];

Deno.test("hostile customer names stay text inside one event", () => {
  for (const name of HOSTILE_NAMES) {
    const ics = bookingIcs({
      id: "0b7e3c5e-1111-4222-8333-944455556666",
      startsAt: new Date("2026-12-08T13:00:00Z"),
      endsAt: new Date("2026-12-08T14:00:00Z"),
      summary: `Dental Cleaning – ${name}`,
      description: `Booked over WhatsApp by ${name}.`,
    }, new Date("2026-11-25T12:00:00Z"));

    assert.ok(ics.endsWith("\r\n"));
    const lines = ics.slice(0, -2).split("\r\n");
    for (const line of lines) {
      assert.ok(!/[\r\n]/.test(line), `no bare CR or LF inside a line (${JSON.stringify(name)})`);
      assert.ok(new TextEncoder().encode(line).length <= 75, `folded to 75 octets: ${line}`);
    }
    const calendar = new ICAL.Component(ICAL.parse(ics));
    const events = calendar.getAllSubcomponents("vevent");
    assert.equal(events.length, 1, `one event for ${JSON.stringify(name)}`);
    assert.deepEqual(
      events[0].getAllProperties().map((p) => p.name).sort(),
      ["description", "dtend", "dtstamp", "dtstart", "summary", "uid"],
      `only our properties for ${JSON.stringify(name)}`,
    );
    assert.equal(
      events[0].getFirstPropertyValue("summary"),
      plainText(`Dental Cleaning – ${name}`),
    );
    assert.equal(
      events[0].getFirstPropertyValue("uid"),
      "booking-0b7e3c5e-1111-4222-8333-944455556666@staff-aware-booking",
    );
  }
});

Deno.test("plain text keeps ordinary names as they are and makes every line break a newline", () => {
  assert.equal(plainText("Dr. Müller – Zahnreinigung"), "Dr. Müller – Zahnreinigung");
  assert.equal(plainText("a\rb\nc\r\nd\u2028e"), "a\nb\nc\nd\ne");
  assert.equal(plainText("x".repeat(900)).length, 500);
});
