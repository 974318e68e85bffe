// The guide's Examples 1-5 replayed as signed Meta webhooks through the real whatsapp-webhook
// function (local gateway, test database): the reply texts and buttons, the booking rows with
// their strategies and snapshots, and the preference updates. German and English in full, French
// and Italian Examples 1 and 4. "Now" is a Sunday noon after today (the messages' timestamps);
// every calendar entry is relative to it.
import assert from "node:assert/strict";
import type postgres from "postgres";
import { functionsUrl, requireEnv, testDb } from "../../../local/tests/helpers.ts";
import {
  type Answer,
  dayAfter,
  exampleSunday,
  fillMichaelsTuesday,
  localInstant,
  type Said,
  say,
  setUpWorld,
  TEAM,
  tearDownWorld,
  type World,
} from "../../../local/conversation_examples.ts";

type Lang = "de" | "en" | "fr" | "it";

// A deliberately plain second way of writing dates, to check the bot's wording against.
const weekdays: Record<Lang, string[]> = {
  en: ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
  de: ["Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"],
  fr: ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"],
  it: ["domenica", "lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato"],
};
const months: Record<Lang, string[]> = {
  en: [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
  ],
  de: [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
  ],
  fr: [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
  ],
  it: [
    "gennaio",
    "febbraio",
    "marzo",
    "aprile",
    "maggio",
    "giugno",
    "luglio",
    "agosto",
    "settembre",
    "ottobre",
    "novembre",
    "dicembre",
  ],
};
function spoken(lang: Lang, sunday: Date, days: number, hour: number, minute = 0): string {
  const [, m, d] = dayAfter(sunday, days).split("-").map(Number);
  const weekday = weekdays[lang][days % 7];
  const mm = String(minute).padStart(2, "0");
  switch (lang) {
    case "en":
      return `${weekday}, ${months.en[m - 1]} ${d} at ${hour % 12 || 12}:${mm} ${
        hour < 12 ? "AM" : "PM"
      }`;
    case "de":
      return `${weekday}, ${d}. ${months.de[m - 1]} um ${String(hour).padStart(2, "0")}:${mm}`;
    case "fr":
      return `${weekday} ${d} ${months.fr[m - 1]} à ${hour}h${mm}`;
    case "it":
      return `${weekday} ${d} ${months.it[m - 1]} alle ${String(hour).padStart(2, "0")}:${mm}`;
  }
}

interface Replay {
  sql: postgres.Sql;
  world: World;
  clock: number;
}

async function tell(
  r: Replay,
  who: keyof World["customers"],
  said: Said,
  at?: Date,
): Promise<Answer> {
  r.clock = at ? at.getTime() : r.clock + 30_000;
  const answer = await say(
    r.sql,
    functionsUrl("whatsapp-webhook"),
    requireEnv("WHATSAPP_APP_SECRET"),
    r.world.customers[who],
    said,
    new Date(r.clock),
  );
  assert.ok(answer, `a reply to ${JSON.stringify(said)}`);
  return answer;
}

async function bookingOf(r: Replay, who: keyof World["customers"]) {
  const rows = await r.sql`
    select team_member_id, assigned_strategy, preference_snapshot, starts_at
    from public.bookings where contact_id = ${r.world.customers[who].id} and status = 'confirmed'`;
  assert.equal(rows.length, 1, `${who} has one confirmed booking`);
  return rows[0];
}

async function preferencesOf(r: Replay, who: keyof World["customers"]) {
  const [row] = await r
    .sql`select preferred_team_member_ids, preference_metadata, language from public.contacts where id = ${
    r.world.customers[who].id
  }`;
  return row;
}

async function withWorld(fn: (r: Replay) => Promise<void>) {
  const sql = testDb();
  const sunday = exampleSunday(new Date());
  const world = await setUpWorld(sql, sunday);
  try {
    await fn({ sql, world, clock: sunday.getTime() });
  } finally {
    await tearDownWorld(sql, world);
    await sql.end();
  }
}

const texts = {
  en: {
    e1: "I need a dental cleaning",
    e1Reply: (s: Date) =>
      `Great! I can book you for a dental cleaning with Dr. Weber (your preferred dentist) on ${
        spoken("en", s, 2, 14)
      }. Does that work?`,
    e1Booked: (s: Date) =>
      `Your appointment is confirmed with Dr. Weber! Dental Cleaning, ${spoken("en", s, 2, 14)}.`,
    e2: "Dental appointment Friday morning",
    e2Reply: (s: Date) =>
      `Your usual dentist, Dr. Weber, is fully booked Friday morning. I can offer:\n\n📅 Dr. Schmidt on ${
        spoken("en", s, 5, 10)
      }\n📅 Dr. Weber on ${spoken("en", s, 8, 9)}\n\nWhich would you prefer?`,
    e3: "I need a massage",
    e3Reply: (s: Date) =>
      `I have ${
        spoken("en", s, 2, 14)
      } available with Sarah. Excellent with deep tissue massage. Shall I book it?`,
    yes: "yes",
    e3Keep: "Yes, she was great!",
    e3KeepQuestion: "Would you like to book with Sarah for future massages as well?",
    e4: "I'm in severe pain, need earliest appointment possible!",
    e4Reply:
      "I understand this is urgent. The earliest available appointment is with Dr. Schmidt today at 4:00 PM. Shall I book it right away?",
    e4Yes: "Yes please!",
    e4Statement: "severe pain, earliest possible",
    e5: "Can I try a massage with Michael this time? I've heard good things",
    e5Reply: (s: Date) =>
      `Absolutely! I have ${spoken("en", s, 3, 15)} available with Michael. Does that work?`,
    e5Yes: "Perfect!",
    e5Added: "I've added Michael to your preferred team members.",
  },
  de: {
    e1: "Ich brauche eine Zahnreinigung",
    e1Reply: (s: Date) =>
      `Gerne! Ich kann Ihnen Dental Cleaning bei Dr. Weber (Ihre bevorzugte Ansprechperson) am ${
        spoken("de", s, 2, 14)
      } anbieten. Passt das?`,
    e1Booked: (s: Date) =>
      `Ihr Termin ist bestätigt bei Dr. Weber! Dental Cleaning, ${spoken("de", s, 2, 14)}.`,
    e2: "zahnarzt termin am freitag vormittag",
    e2Reply: (s: Date) =>
      `Dr. Weber, bei der/dem Sie sonst sind, ist am Freitag Vormittag ausgebucht. Ich kann anbieten:\n\n📅 Dr. Schmidt am ${
        spoken("de", s, 5, 10)
      }\n📅 Dr. Weber am ${spoken("de", s, 8, 9)}\n\nWas ist Ihnen lieber?`,
    e3: "hallo ich hätte gern eine massage",
    e3Reply: (s: Date) =>
      `Ich habe am ${
        spoken("de", s, 2, 14)
      } einen Termin frei bei Sarah. Excellent with deep tissue massage. Soll ich ihn buchen?`,
    yes: "ja",
    e3Keep: "ja sie war super",
    e3KeepQuestion: "Möchten Sie auch künftig für Deep Tissue Massage bei Sarah buchen?",
    e4: "Ich habe starke Schmerzen, brauche so schnell wie möglich einen Termin!",
    e4Reply:
      "Ich verstehe, es ist dringend. Der früheste freie Termin ist bei Dr. Schmidt heute um 16:00. Soll ich ihn gleich buchen?",
    e4Yes: "ja bitte",
    e4Statement: "starke Schmerzen, so schnell wie möglich",
    e5: "kann ich diesmal eine massage bei michael haben? hab nur gutes gehört",
    e5Reply: (s: Date) => `Sehr gerne! Michael hat am ${spoken("de", s, 3, 15)} Zeit. Passt das?`,
    e5Yes: "Perfekt!",
    e5Added: "Ich habe Michael zu Ihren bevorzugten Ansprechpersonen hinzugefügt.",
  },
  fr: {
    e1: "Je voudrais un détartrage",
    e1Reply: (s: Date) =>
      `Parfait ! Je peux vous réserver Dental Cleaning avec Dr. Weber (votre préférence) le ${
        spoken("fr", s, 2, 14)
      }. Cela vous convient ?`,
    e1Booked: (s: Date) =>
      `Votre rendez-vous est confirmé avec Dr. Weber ! Dental Cleaning, ${spoken("fr", s, 2, 14)}.`,
    yes: "oui",
    e4: "j'ai très mal aux dents, il me faut un rendez-vous le plus tôt possible !",
    e4Reply:
      "Je comprends que c'est urgent. Le premier rendez-vous libre est avec Dr. Schmidt aujourd'hui à 16h00. Je le réserve tout de suite ?",
    e4Yes: "oui merci",
    e4Statement: "très mal aux dents, le plus tôt possible",
  },
  it: {
    e1: "Vorrei una pulizia dei denti",
    e1Reply: (s: Date) =>
      `Perfetto! Posso prenotarle Dental Cleaning con Dr. Weber (la sua preferenza) ${
        spoken("it", s, 2, 14)
      }. Le va bene?`,
    e1Booked: (s: Date) =>
      `Il suo appuntamento è confermato con Dr. Weber! Dental Cleaning, ${spoken("it", s, 2, 14)}.`,
    yes: "sì",
    e4: "ho un forte dolore, mi serve un appuntamento il prima possibile!",
    e4Reply:
      "Capisco che è urgente. Il primo appuntamento libero è con Dr. Schmidt oggi alle 16:00. Lo prenoto subito?",
    e4Yes: "sì grazie",
    e4Statement: "forte dolore, il prima possibile",
  },
};

async function example1(r: Replay, lang: Lang) {
  const t = texts[lang];
  const offer = await tell(r, "marie", { text: t.e1 });
  assert.equal(offer.message.text, t.e1Reply(r.world.sunday));
  assert.equal(offer.message.type, "buttons");
  assert.equal(offer.message.buttons?.[0].id, "choice:1");
  assert.equal(offer.message.buttons?.at(-1)?.id, "no");
  const booked = await tell(r, "marie", { text: t.yes });
  assert.equal(booked.message.text, t.e1Booked(r.world.sunday));
  assert.equal(booked.purpose, "booking_confirmation");
  const row = await bookingOf(r, "marie");
  assert.equal(row.team_member_id, TEAM.weber);
  assert.equal(row.assigned_strategy, "preference");
  assert.deepEqual(row.preference_snapshot, {
    preferred_ids: [TEAM.weber],
    detected_from: "conversation_history",
    last_updated: "2025-03-01",
  });
  assert.equal(
    (await preferencesOf(r, "marie")).language,
    lang,
    "the detected language is remembered",
  );
}

async function example4(r: Replay, lang: Lang) {
  const t = texts[lang];
  const monday = new Date(r.world.sunday.getTime() + 24 * 3600_000);
  const offer = await tell(r, "anna", { text: t.e4 }, monday);
  assert.equal(offer.message.text, t.e4Reply);
  await tell(r, "anna", { text: t.e4Yes });
  const row = await bookingOf(r, "anna");
  assert.equal(row.team_member_id, TEAM.schmidt);
  assert.equal(row.assigned_strategy, "manual");
  assert.deepEqual(row.preference_snapshot, {
    preferred_ids: [TEAM.weber],
    override_reason: "urgent_request",
    customer_statement: t.e4Statement,
  });
  assert.equal(row.starts_at.getTime(), localInstant(dayAfter(r.world.sunday, 1), 16, 0).getTime());
}

async function examples2to5(r: Replay, lang: "de" | "en") {
  const t = texts[lang];
  const s = r.world.sunday;
  // Example 2: "dental"/"Zahnarzt" could be several treatments: the bot asks, then offers both options.
  const which = await tell(r, "thomas", { text: t.e2 });
  const cleaning = (which.message.buttons ?? which.message.rows ?? []).find((b) =>
    b.title === "Dental Cleaning"
  );
  assert.ok(cleaning, "Dental Cleaning is one of the choices");
  const offer2 = await tell(r, "thomas", { tap: cleaning });
  assert.equal(offer2.message.text, t.e2Reply(s));
  assert.deepEqual(offer2.message.buttons?.map((b) => b.id), ["choice:1", "choice:2"]);
  await tell(r, "thomas", { tap: offer2.message.buttons![0] });
  const row2 = await bookingOf(r, "thomas");
  assert.equal(row2.team_member_id, TEAM.schmidt);
  assert.equal(row2.assigned_strategy, "availability");
  assert.deepEqual(row2.preference_snapshot, {
    preferred_ids: [TEAM.weber],
    override_reason: "preferred_unavailable",
    alternatives_offered: [TEAM.schmidt, `${TEAM.weber}-later`],
  });

  // Example 3: no preference → Sarah with her bio; afterwards the preference question.
  const offer3 = await tell(r, "lisa", { text: t.e3 });
  assert.equal(offer3.message.text, t.e3Reply(s));
  const booked3 = await tell(r, "lisa", { text: t.yes });
  assert.ok(booked3.message.text?.endsWith(t.e3KeepQuestion), booked3.message.text);
  assert.deepEqual(booked3.message.buttons?.map((b) => b.id), ["yes", "no"]);
  assert.equal((await bookingOf(r, "lisa")).team_member_id, TEAM.sarah);
  await tell(r, "lisa", { text: t.e3Keep });
  const lisa = await preferencesOf(r, "lisa");
  assert.deepEqual(lisa.preferred_team_member_ids, [TEAM.sarah]);
  assert.equal(lisa.preference_metadata.detected_from, "conversation_history");

  // Example 5: Marc asks for Michael; booked with him, and Michael joins Sarah in his preferences.
  await fillMichaelsTuesday(r.sql, r.world);
  const offer5 = await tell(r, "marc", { text: t.e5 });
  assert.equal(offer5.message.text, t.e5Reply(s));
  const booked5 = await tell(r, "marc", { text: t.e5Yes });
  assert.ok(booked5.message.text?.endsWith(t.e5Added), booked5.message.text);
  const row5 = await bookingOf(r, "marc");
  assert.equal(row5.team_member_id, TEAM.michael);
  assert.equal(row5.assigned_strategy, "manual");
  const marc = await preferencesOf(r, "marc");
  assert.deepEqual(marc.preferred_team_member_ids, [TEAM.sarah, TEAM.michael]);
  assert.equal(marc.preference_metadata.sources[TEAM.michael], "explicit_request");
}

for (const lang of ["en", "de"] as const) {
  Deno.test(`conversation over WhatsApp (${lang}): the guide's Examples 1-5`, async () => {
    await withWorld(async (r) => {
      await example1(r, lang);
      await examples2to5(r, lang);
      await example4(r, lang);
    });
  });
}

for (const lang of ["fr", "it"] as const) {
  Deno.test(`conversation over WhatsApp (${lang}): Examples 1 and 4`, async () => {
    await withWorld(async (r) => {
      await example1(r, lang);
      await example4(r, lang);
    });
  });
}

Deno.test("conversation over WhatsApp: a person is asked for → flagged, alerted, silent until released", async () => {
  await withWorld(async (r) => {
    const answer = await tell(r, "thomas", { text: "I'd like to talk to a real person please" });
    assert.match(answer.message.text ?? "", /get back to you personally/);
    const [alert] = await r.sql`select count(*)::int as n from public.admin_alerts
      where kind = 'conversation_handoff' and contact_id = ${r.world.customers.thomas.id} and resolved_at is null`;
    assert.equal(alert.n, 1);
    r.clock += 30_000;
    const silent = await say(
      r.sql,
      functionsUrl("whatsapp-webhook"),
      requireEnv("WHATSAPP_APP_SECRET"),
      r.world.customers.thomas,
      { text: "hello?" },
      new Date(r.clock),
    );
    assert.equal(silent, null, "no reply while staff handle it");
    await r.sql`select public.admin_release_conversation(${r.world.customers.thomas.id})`;
    const back = await tell(r, "thomas", { text: "I need a dental cleaning" });
    assert.equal(back.message.type, "buttons");
  });
});

/** A calendar feed for Dr. Weber: busy Monday and Tuesday until 15:00 (the 14:00 slot is gone). */
function weberFeed(sunday: Date): string {
  const utc = (d: Date) => d.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
  const event = (uid: string, from: Date, to: Date) =>
    `BEGIN:VEVENT\r\nUID:${uid}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:${utc(from)}\r\nDTEND:${
      utc(to)
    }\r\nEND:VEVENT\r\n`;
  return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//conversation test//EN\r\n" +
    event(
      "monday@test",
      localInstant(dayAfter(sunday, 1), 0, 0),
      localInstant(dayAfter(sunday, 2), 0, 0),
    ) +
    event(
      "tuesday@test",
      localInstant(dayAfter(sunday, 2), 0, 0),
      localInstant(dayAfter(sunday, 2), 15, 0),
    ) +
    "END:VCALENDAR\r\n";
}

async function withWeberCalendar(url: string, r: Replay, fn: () => Promise<void>) {
  const [before] = await r
    .sql`select calendar_source_url from public.team_members where id = ${TEAM.weber}`;
  await r.sql`update public.team_members set calendar_source_url = ${url} where id = ${TEAM.weber}`;
  try {
    await fn();
  } finally {
    // What the on-demand read stored from the test feed goes too.
    await r.sql`delete from public.calendar_busy_times
                where team_member_id = ${TEAM.weber} and source_uid in ('monday@test', 'tuesday@test')`;
    await r.sql`update public.team_members set calendar_source_url = ${before.calendar_source_url},
                calendar_last_synced = null, calendar_sync_status = 'active', calendar_sync_error = null
                where id = ${TEAM.weber}`;
  }
}

Deno.test("fresh calendar before confirming: a slot taken in the calendar meanwhile is apologised for, not booked", async () => {
  await withWorld(async (r) => {
    const server = Deno.serve(
      { port: 0, hostname: "127.0.0.1", onListen: () => {} },
      () =>
        new Response(weberFeed(r.world.sunday), { headers: { "content-type": "text/calendar" } }),
    );
    try {
      await withWeberCalendar(`http://127.0.0.1:${server.addr.port}/weber.ics`, r, async () => {
        const offer = await tell(r, "marie", { text: "I need a dental cleaning" });
        assert.match(
          offer.message.text ?? "",
          new RegExp(`on ${spoken("en", r.world.sunday, 2, 14)}`),
        );
        // Someone put an appointment in Dr. Weber's own calendar, and our copy is older than 5 minutes.
        await r
          .sql`update public.team_members set calendar_last_synced = now() - interval '1 hour' where id = ${TEAM.weber}`;
        const answer = await tell(r, "marie", { text: "yes" });
        assert.ok(
          answer.message.text?.startsWith("Sorry, that time was just taken."),
          answer.message.text,
        );
        assert.ok(
          !answer.message.text?.includes(spoken("en", r.world.sunday, 2, 14)),
          "the taken time is not offered again",
        );
        const [booked] = await r.sql`select count(*)::int as n from public.bookings
          where contact_id = ${r.world.customers.marie.id} and status = 'confirmed'`;
        assert.equal(booked.n, 0);
      });
    } finally {
      await server.shutdown();
    }
  });
});

Deno.test("fresh calendar before confirming: a calendar that cannot be read → booked on the last known state", async () => {
  await withWorld(async (r) => {
    // A port nobody listens on: the read fails at once; nothing is recorded against the calendar.
    const probe = Deno.listen({ port: 0, hostname: "127.0.0.1" });
    const port = (probe.addr as Deno.NetAddr).port;
    probe.close();
    await withWeberCalendar(`http://127.0.0.1:${port}/weber.ics`, r, async () => {
      await tell(r, "marie", { text: "I need a dental cleaning" });
      await r
        .sql`update public.team_members set calendar_last_synced = now() - interval '1 hour' where id = ${TEAM.weber}`;
      const answer = await tell(r, "marie", { text: "yes" });
      assert.equal(answer.purpose, "booking_confirmation");
      assert.equal((await bookingOf(r, "marie")).team_member_id, TEAM.weber);
      const [weber] = await r
        .sql`select calendar_sync_status, is_bookable from public.team_members where id = ${TEAM.weber}`;
      assert.deepEqual({ ...weber }, { calendar_sync_status: "active", is_bookable: true });
    });
  });
});
