// Wording: dates in the business's zone the local way (DST nights included), and a few replies as
// the customer sees them in each language.
import assert from "node:assert/strict";
import { shortName, when } from "./dates.ts";
import { render } from "./wording.ts";
import { instantOf, wallTime } from "./zoned.ts";

const ZONE = "Europe/Zurich";
const NOW = new Date("2026-11-29T11:00:00Z"); // Sunday 12:00 in Zurich

Deno.test("dates: written the local way in every language, in the business's zone", () => {
  const tuesday = new Date("2026-12-01T13:00:00Z"); // 14:00 in Zurich
  assert.equal(when(tuesday, "en", ZONE, NOW), "Tuesday, December 1 at 2:00 PM");
  assert.equal(when(tuesday, "de", ZONE, NOW), "Dienstag, 1. Dezember um 14:00");
  assert.equal(when(tuesday, "fr", ZONE, NOW), "mardi 1 décembre à 14h00");
  assert.equal(when(tuesday, "it", ZONE, NOW), "martedì 1 dicembre alle 14:00");
  assert.equal(when(tuesday, "en", ZONE, NOW, true), "on Tuesday, December 1 at 2:00 PM");
  assert.equal(when(new Date("2026-11-29T15:00:00Z"), "de", ZONE, NOW, true), "heute um 16:00");
  assert.equal(when(new Date("2026-11-30T07:30:00Z"), "fr", ZONE, NOW), "demain à 8h30");
  // The same instant is another day in New York.
  assert.equal(
    when(new Date("2026-12-03T03:00:00Z"), "en", "America/New_York", NOW),
    "Wednesday, December 2 at 10:00 PM",
  );
});

Deno.test("dates: DST nights keep the wall clock (Zurich spring forward and fall back)", () => {
  // 29 March 2026: 02:00 → 03:00. 9:00 that day is 07:00 UTC (summer time), the day before 08:00 UTC.
  assert.equal(
    instantOf({ year: 2026, month: 3, day: 29, hour: 9, minute: 0 }, ZONE).toISOString(),
    "2026-03-29T07:00:00.000Z",
  );
  assert.equal(
    instantOf({ year: 2026, month: 3, day: 28, hour: 9, minute: 0 }, ZONE).toISOString(),
    "2026-03-28T08:00:00.000Z",
  );
  // 02:30 does not exist that night: moved forward by the gap.
  assert.equal(
    wallTime(instantOf({ year: 2026, month: 3, day: 29, hour: 2, minute: 30 }, ZONE), ZONE).hour,
    3,
  );
  // 25 October 2026: 02:30 happens twice; the first one is meant.
  assert.equal(
    instantOf({ year: 2026, month: 10, day: 25, hour: 2, minute: 30 }, ZONE).toISOString(),
    "2026-10-25T00:30:00.000Z",
  );
  assert.equal(
    when(new Date("2026-03-29T07:00:00Z"), "de", ZONE, new Date("2026-03-20T12:00:00Z")),
    "Sonntag, 29. März um 09:00",
  );
});

Deno.test("names: a doctor is written as the guide does", () => {
  assert.equal(shortName("Dr. Sarah Weber"), "Dr. Weber");
  assert.equal(shortName("Dr. Schmidt"), "Dr. Schmidt");
  assert.equal(shortName("Sarah"), "Sarah");
});

Deno.test("wording: the guide's Example 2 offer, with its buttons", () => {
  const message = render({
    say: "offer",
    language: "en",
    outcome: "preferred_unavailable",
    service_name: "Dental Cleaning",
    preferred: { name: "Dr. Sarah Weber", role: "Dentist" },
    window_from: "2026-12-04T06:00:00Z",
    part_of_day: "morning",
    options: [
      {
        number: 1,
        kind: "alternative",
        team_member_name: "Dr. Schmidt",
        starts_at: "2026-12-04T09:00:00Z",
      },
      {
        number: 2,
        kind: "preferred_later",
        team_member_name: "Dr. Sarah Weber",
        starts_at: "2026-12-07T08:00:00Z",
      },
    ],
  }, { timeZone: ZONE, now: NOW });
  assert.deepEqual(message, {
    type: "buttons",
    text: "Your usual dentist, Dr. Weber, is fully booked Friday morning. I can offer:\n\n" +
      "📅 Dr. Schmidt on Friday, December 4 at 10:00 AM\n📅 Dr. Weber on Monday, December 7 at 9:00 AM\n\nWhich would you prefer?",
    buttons: [
      { id: "choice:1", title: "Dr. Schmidt, Fri 4.12. 10:00 AM" },
      { id: "choice:2", title: "Dr. Weber, Mon 7.12. 9:00 AM" },
    ],
  });
});

Deno.test("wording: every reply kind renders in every language without placeholders left", () => {
  const base = {
    service_name: "Dental Cleaning",
    team_member_name: "Dr. Sarah Weber",
    starts_at: "2026-12-01T13:00:00Z",
  };
  const kinds = [
    { say: "booked", ask_preference: true },
    { say: "booked", rescheduled: true },
    { say: "preference_saved" },
    { say: "preference_not_saved" },
    { say: "preference_changed" },
    { say: "ask_other_time" },
    { say: "nothing_available", lost: true },
    { say: "beyond_horizon", horizon_days: 30 },
    { say: "no_bookings" },
    { say: "handoff" },
    { say: "stopped" },
    { say: "greeting", business_name: "Praxis", customer_name: "Marie Schmidt" },
    { say: "thanks" },
    { say: "not_understood" },
    {
      say: "opening_hours",
      hours: { mon: [{ start: "08:00", end: "12:00" }], tue: [{ start: "08:00", end: "12:00" }] },
      closures: [{ from: "2026-12-24", to: "2026-12-26" }],
    },
    {
      say: "prices",
      services: [{ number: 1, name: "Dental Cleaning", cost_chf: 160, duration_minutes: 60 }],
    },
    {
      say: "who_does",
      services: [{ number: 1, name: "Deep Tissue Massage", team_members: ["Sarah", "Michael"] }],
    },
    { say: "confirm_cancel", booking: { number: 1, ...base } },
    { say: "cancelled", booking: { number: 1, ...base } },
    {
      say: "pick_booking",
      for: "cancel",
      bookings: [1, 2, 3, 4].map((n) => ({ number: n, ...base })),
    },
    {
      say: "ask_service",
      services: [{ number: 1, name: "Dental Cleaning", cost_chf: 160, duration_minutes: 60 }],
    },
  ];
  for (const language of ["de", "en", "fr", "it"] as const) {
    for (const kind of kinds) {
      const message = render({ ...base, ...kind, language }, { timeZone: ZONE, now: NOW });
      const text = "text" in message ? message.text : "";
      assert.ok(text.length > 0, `${language} ${kind.say}`);
      assert.ok(
        !/\bundefined\b|\bnull\b|\[object|\{\{/.test(text),
        `${language} ${kind.say}: ${text}`,
      );
    }
  }
  const hours = render({
    say: "opening_hours",
    language: "de",
    hours: { mon: [{ start: "08:00", end: "12:00" }], tue: [{ start: "08:00", end: "12:00" }] },
    closures: [],
  }, { timeZone: ZONE, now: NOW });
  assert.equal("text" in hours && hours.text, "Unsere Öffnungszeiten:\nMo–Di 08:00–12:00");
});

Deno.test("waitlist offer and quick-reply answers: worded in all four languages", () => {
  const ctx = { timeZone: ZONE, now: NOW };
  const languages = ["de", "en", "fr", "it"] as const;
  for (const language of languages) {
    const offer = render({
      say: "nothing_available",
      language,
      service_name: "Massage",
      waitlist: true,
    }, ctx);
    assert.equal(offer.type, "buttons", `${language}: the waitlist question has buttons`);
    assert.deepEqual(
      offer.type === "buttons" ? offer.buttons.map((b) => b.id) : [],
      ["yes", "no"],
    );
    const plain = render({ say: "nothing_available", language, service_name: "Massage" }, ctx);
    assert.equal(plain.type, "text", `${language}: no waitlist (a reschedule) → no buttons`);
  }
  const texts = (say: string, extra: Record<string, unknown> = {}) =>
    languages.map((language) => {
      const message = render({ say, language, ...extra }, ctx);
      return message.type === "text" ? message.text : "";
    });
  const booking = {
    number: 1,
    service_name: "Dental Cleaning",
    team_member_name: "Dr. Sarah Weber",
    starts_at: "2026-12-01T13:00:00Z",
  };
  assert.deepEqual(texts("reminder_confirmed", { booking }), [
    "Danke für Ihre Bestätigung! Bis bald: Dental Cleaning, Dr. Weber, Dienstag, 1. Dezember um 14:00.",
    "Thank you for confirming! See you: Dental Cleaning, Dr. Weber, Tuesday, December 1 at 2:00 PM.",
    "Merci pour votre confirmation ! À bientôt : Dental Cleaning, Dr. Weber, mardi 1 décembre à 14h00.",
    "Grazie per la conferma! A presto: Dental Cleaning, Dr. Weber, martedì 1 dicembre alle 14:00.",
  ]);
  assert.deepEqual(texts("rated", { rating: 4 }).map((t) => t.includes("4/5")), [
    true,
    true,
    true,
    true,
  ]);
  assert.match(
    texts("waitlist_joined", { service_name: "Massage", team_member_name: "Michael" })[0],
    /^Sie stehen auf der Warteliste für Massage bei Michael\./,
  );
  // Each of these says something of its own in each language (no fallback to "not understood").
  for (
    const say of [
      "booking_changed",
      "waitlist_not_joined",
      "waitlist_declined",
      "waitlist_offer_over",
      "quick_reply_invalid",
    ]
  ) {
    const said = texts(say);
    assert.equal(new Set(said).size, 4, `${say}: four different languages`);
    for (const [i, text] of said.entries()) {
      assert.notEqual(text, texts("unknown_say")[i], `${say}: not the "not understood" fallback`);
    }
  }
});
