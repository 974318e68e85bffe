// Reminder and feedback quick replies through the real whatsapp-webhook function (signed Meta
// webhooks, local gateway, test database): the reminder SQL runs with a fixed "now", the customer
// taps a template button, the conversation answers in the customer's language and the booking
// (or rating) changes as a customer would expect. "Now" is the examples' Sunday noon after today;
// every appointment is relative to it.
import assert from "node:assert/strict";
import { functionsUrl, requireEnv, testDb } from "../../../local/tests/helpers.ts";
import {
  type Answer,
  dayAfter,
  exampleSunday,
  localInstant,
  say,
  setUpWorld,
  TEAM,
  tearDownWorld,
  type World,
} from "../../../local/conversation_examples.ts";

const HOUR = 3600_000;

Deno.test("reminder and feedback taps: cancel, confirm, a forged tap and a 5-star rating", async () => {
  const sql = testDb();
  const world: World = await setUpWorld(sql, exampleSunday(new Date()));
  const { lisa, marc, thomas } = world.customers;
  const tap = async (who: typeof lisa, payload: string, text: string, at: Date) => {
    const answer: Answer | null = await say(
      sql,
      functionsUrl("whatsapp-webhook"),
      requireEnv("WHATSAPP_APP_SECRET"),
      who,
      { template: { payload, text } },
      at,
    );
    assert.ok(answer, `a reply to ${payload}`);
    return answer;
  };
  try {
    await sql`update public.contacts set language = 'fr' where id = ${lisa.id}`;
    await sql`update public.contacts set language = 'en' where id = ${marc.id}`;
    // Thursday 10:00: Lisa with Dr. Weber, Marc with Dr. Schmidt (both booked weeks ago).
    const thursday10 = localInstant(dayAfter(world.sunday, 4), 10, 0);
    const madeAt = new Date(world.sunday.getTime() - 14 * 24 * HOUR);
    const [lisaBooking] = await sql`
      insert into public.bookings (contact_id, service_id, team_member_id, starts_at, ends_at, status, created_at)
      values (${lisa.id}, ${TEAM.cleaning}, ${TEAM.weber}, ${thursday10}, ${new Date(
      thursday10.getTime() + HOUR,
    )}, 'confirmed', ${madeAt})
      returning id`;
    const [marcBooking] = await sql`
      insert into public.bookings (contact_id, service_id, team_member_id, starts_at, ends_at, status, created_at)
      values (${marc.id}, ${TEAM.cleaning}, ${TEAM.schmidt}, ${thursday10}, ${new Date(
      thursday10.getTime() + HOUR,
    )}, 'confirmed', ${madeAt})
      returning id`;

    // The reminders go 24 hours before (the reminder job's decision with a fixed clock).
    const reminderAt = new Date(thursday10.getTime() - 24 * HOUR);
    await sql`select private.send_due_reminders(${reminderAt})`;
    const reminders = await sql`
      select n.booking_id, o.message from public.booking_notifications n
      join public.whatsapp_outbound_messages o on o.id = n.outbound_message_id
      where n.kind = 'reminder' and n.booking_id in (${lisaBooking.id}, ${marcBooking.id})`;
    assert.equal(reminders.length, 2, "both customers are reminded");
    assert.ok(
      JSON.stringify(reminders).includes(`reminder:cancel:${lisaBooking.id}`),
      "Lisa's reminder carries the Cancel payload for her booking",
    );

    // Marc forges a tap on Lisa's reminder: refused politely, her booking untouched.
    const forged = await tap(
      marc,
      `reminder:cancel:${lisaBooking.id}`,
      "Cancel",
      new Date(reminderAt.getTime() + 60_000),
    );
    assert.equal(forged.message.text, "Sorry, this button no longer applies. How can I help you?");
    const [stillThere] = await sql`select status from public.bookings where id = ${lisaBooking.id}`;
    assert.equal(stillThere.status, "confirmed", "a forged tap cancels nothing");

    // Lisa taps Cancel (the day before): cancelled at once, confirmed in French.
    const cancelled = await tap(
      lisa,
      `reminder:cancel:${lisaBooking.id}`,
      "Annuler",
      new Date(reminderAt.getTime() + 2 * 60_000),
    );
    assert.equal(
      cancelled.message.text,
      "Votre rendez-vous est annulé : Dental Cleaning, Dr. Weber, demain à 10h00.",
    );
    const [gone] = await sql`select status from public.bookings where id = ${lisaBooking.id}`;
    assert.equal(gone.status, "cancelled", "Cancel cancels the reminded booking");

    // Marc taps Confirm: thanks in English, the booking stays, the reply is recorded.
    const confirmed = await tap(
      marc,
      `reminder:confirm:${marcBooking.id}`,
      "Confirm",
      new Date(reminderAt.getTime() + 3 * 60_000),
    );
    assert.equal(
      confirmed.message.text,
      "Thank you for confirming! See you: Dental Cleaning, Dr. Schmidt, tomorrow at 10:00 AM.",
    );
    const [kept] = await sql`
      select b.status, n.reply from public.bookings b
      join public.booking_notifications n on n.booking_id = b.id and n.kind = 'reminder'
      where b.id = ${marcBooking.id}`;
    assert.deepEqual({ ...kept }, { status: "confirmed", reply: "confirm" });

    // Thomas had an appointment on Saturday; the feedback question goes out, he taps "5".
    const saturday10 = localInstant(dayAfter(world.sunday, -1), 10, 0);
    const [visit] = await sql`
      insert into public.bookings (contact_id, service_id, team_member_id, starts_at, ends_at, status, created_at)
      values (${thomas.id}, ${TEAM.cleaning}, ${TEAM.weber}, ${saturday10}, ${new Date(
      saturday10.getTime() + HOUR,
    )}, 'completed', ${madeAt})
      returning id`;
    const feedbackAt = new Date(saturday10.getTime() + 4 * HOUR);
    await sql`select private.send_due_feedback_questions(${feedbackAt})`;
    const [question] = await sql`
      select 1 from public.booking_notifications where booking_id = ${visit.id} and kind = 'feedback'`;
    assert.ok(question, "the feedback question is sent after the appointment");
    const rated = await tap(
      thomas,
      `feedback:${visit.id}:5`,
      "5",
      new Date(feedbackAt.getTime() + 60_000),
    );
    assert.equal(rated.message.text, "Vielen Dank für Ihre Bewertung (5/5)!");
    const ratings = await sql`
      select rating, source from public.booking_ratings where booking_id = ${visit.id}`;
    assert.deepEqual(ratings.map((r) => ({ ...r })), [{ rating: 5, source: "whatsapp" }]);
  } finally {
    await tearDownWorld(sql, world);
    await sql.end();
  }
});

Deno.test("waitlist offer tap: Accept books the held slot and confirms it", async () => {
  const sql = testDb();
  const world: World = await setUpWorld(sql, exampleSunday(new Date()));
  const { lisa, marc } = world.customers;
  try {
    await sql`update public.contacts set language = 'en' where id = ${marc.id}`;
    const thursday = dayAfter(world.sunday, 4);
    const [lisaBooking] = await sql`
      insert into public.bookings (contact_id, service_id, team_member_id, starts_at, ends_at, status, created_at)
      values (${lisa.id}, ${TEAM.cleaning}, ${TEAM.schmidt}, ${localInstant(thursday, 10, 0)}, ${
      localInstant(thursday, 11, 0)
    }, 'confirmed', ${new Date(world.sunday.getTime() - 14 * 24 * HOUR)})
      returning id`;
    // Marc waits for Dr. Schmidt on Thursday morning; Lisa cancels; the waitlist job offers it.
    const [{ entry }] = await sql`
      select public.join_waitlist(${marc.id}, ${TEAM.cleaning}, ${localInstant(thursday, 9, 0)}, ${
      localInstant(thursday, 12, 0)
    }, ${TEAM.schmidt}, ${world.sunday}) as entry`;
    await sql`select public.cancel_booking(${lisaBooking.id}, ${new Date(
      world.sunday.getTime() + 60_000,
    )})`;
    await sql`select private.process_waitlist(${new Date(world.sunday.getTime() + 2 * 60_000)})`;
    const [offered] = await sql`
      select status, offered_starts_at from public.waitlist_entries where id = ${entry}`;
    assert.equal(offered.status, "offered", "the freed time is offered to Marc");

    const answer = await say(
      sql,
      functionsUrl("whatsapp-webhook"),
      requireEnv("WHATSAPP_APP_SECRET"),
      marc,
      { template: { payload: `waitlist:accept:${entry}`, text: "Accept" } },
      new Date(world.sunday.getTime() + 3 * 60_000),
    );
    assert.ok(answer);
    assert.equal(answer.purpose, "booking_confirmation");
    // The time offered (the earliest free slot overlapping the freed hour), written independently.
    const offeredTime = new Intl.DateTimeFormat("en-US", {
      timeZone: "Europe/Zurich",
      hour: "numeric",
      minute: "2-digit",
    }).format(offered.offered_starts_at);
    assert.equal(
      answer.message.text,
      `Your appointment is confirmed with Dr. Schmidt! Dental Cleaning, Thursday, ${
        new Intl.DateTimeFormat("en-US", {
          timeZone: "Europe/Zurich",
          month: "long",
          day: "numeric",
        }).format(offered.offered_starts_at)
      } at ${offeredTime}.`,
    );
    const booked = await sql`
      select b.starts_at, b.team_member_id, e.status from public.waitlist_entries e
      join public.bookings b on b.id = e.booking_id where e.id = ${entry} and b.status = 'confirmed'`;
    assert.equal(booked.length, 1, "the entry is booked");
    assert.equal(booked[0].team_member_id, TEAM.schmidt);
    assert.equal(booked[0].starts_at.getTime(), offered.offered_starts_at.getTime());
  } finally {
    await sql`delete from public.waitlist_entries where contact_id = ${marc.id}`;
    await tearDownWorld(sql, world);
    await sql.end();
  }
});
