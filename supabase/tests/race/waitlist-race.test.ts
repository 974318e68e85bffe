// Waitlist under concurrency: two cancellations at the same moment, each offering its freed slot
// from its own connection, must give the two slots to two different waiting customers, and never
// leave two holds on one slot.
import assert from "node:assert/strict";
import postgres from "postgres";
import { requireEnv } from "../../../local/tests/helpers.ts";

const now = "2026-11-29T12:00:00+01:00";
const day = "2026-12-09"; // a Wednesday: default working hours 08:00-12:00, 13:00-17:00

type World = { service: string; members: string[]; contacts: string[]; bookings: string[] };

async function createWorld(sql: postgres.Sql): Promise<World> {
  const tag = crypto.randomUUID().slice(0, 8);
  const [service] =
    await sql`insert into services (name, duration_minutes, buffer_after_minutes, min_notice_minutes)
    values (${"Waitlist race " + tag}, 60, 0, 0) returning id`;
  // calendar_last_synced: read once, so bookable.
  const members =
    await sql`insert into team_members (name, calendar_provider, calendar_source_url, calendar_last_synced)
    select ${
      "Waitlist race " + tag + " member "
    } || i, 'ical', 'https://feeds.example/race.ics', ${now}::timestamptz
    from generate_series(1, 2) i returning id`;
  const memberIds = members.map((m) => m.id as string);
  await sql`insert into team_member_services (team_member_id, service_id)
    select id, ${service.id}::uuid from unnest(${memberIds}::uuid[]) id`;
  const contacts = await sql`insert into contacts (whatsapp_id, name)
    select '+4177' || lpad((floor(random() * 1e7))::int::text, 7, '0') || i, ${"Race " + tag}
    from generate_series(10, 12) i returning id`;
  const contactIds = contacts.map((c) => c.id as string);
  // Both members fully booked in the morning by the third customer: 08:00-09:00 (each racer
  // cancels one of these, so each frees exactly one slot) and 09:00-12:00.
  const bookings =
    await sql`insert into bookings (contact_id, service_id, team_member_id, starts_at, ends_at)
    select ${
      contactIds[2]
    }::uuid, ${service.id}::uuid, m, (${day}::date + t.s) at time zone 'Europe/Zurich',
      (${day}::date + t.e) at time zone 'Europe/Zurich'
    from unnest(${memberIds}::uuid[]) with ordinality x(m, n),
      (values (time '08:00', time '09:00', 1), (time '09:00', time '12:00', 2)) t(s, e, k)
    order by t.k, x.n returning id`;
  // Two customers wait for anyone in the morning, the first joined first.
  for (const [i, contact] of contactIds.slice(0, 2).entries()) {
    await sql`select join_waitlist(${contact}, ${service.id}, ${day + " 08:00+01"}, ${
      day + " 12:00+01"
    }, null, ${now}::timestamptz + make_interval(mins => ${i}))`;
  }
  return {
    service: service.id,
    members: memberIds,
    contacts: contactIds,
    bookings: bookings.slice(0, 2).map((b) => b.id as string),
  };
}

async function dropWorld(sql: postgres.Sql, world: World) {
  await sql`delete from waitlist_entries where service_id = ${world.service}`;
  await sql`delete from bookings where service_id = ${world.service}`;
  await sql`delete from whatsapp_outbound_messages where contact_id = any(${world.contacts}::uuid[])`;
  await sql`delete from team_members where id = any(${world.members}::uuid[])`;
  await sql`delete from services where id = ${world.service}`;
  await sql`delete from contacts where id = any(${world.contacts}::uuid[])`;
}

Deno.test("concurrent cancellations offer two slots to two different customers", async () => {
  const url = requireEnv("SUPABASE_DB_URL");
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  const racers = [postgres(url, { max: 1 }), postgres(url, { max: 1 })];
  try {
    for (let round = 0; round < 5; round++) {
      const world = await createWorld(admin);
      try {
        // Each connection cancels one member's booking and offers what it freed, in one transaction.
        await Promise.all(racers.map((sql, i) =>
          sql.begin(async (tx) => {
            await tx`select cancel_booking(${world.bookings[i]}, ${now})`;
            await tx`select private.process_waitlist(${now})`;
          })
        ));
        const offers = await admin`select e.contact_id, b.team_member_id, b.starts_at
          from waitlist_entries e join bookings b on b.id = e.offered_hold_id
          where e.service_id = ${world.service} and e.status = 'offered' and b.status = 'held'
          order by e.joined_at`;
        assert.equal(offers.length, 2, `round ${round}: both waiting customers got an offer`);
        assert.deepEqual(
          offers.map((o) => o.contact_id),
          world.contacts.slice(0, 2),
          `round ${round}: one offer each`,
        );
        assert.notEqual(offers[0].team_member_id, offers[1].team_member_id, "two different slots");
        const [{ overlapping }] = await admin`select count(*)::int as overlapping
          from bookings a join bookings b on a.id < b.id and a.team_member_id = b.team_member_id
            and a.blocked_during && b.blocked_during
          where a.service_id = ${world.service} and a.status in ('held', 'confirmed') and b.status in ('held', 'confirmed')`;
        assert.equal(overlapping, 0, "no slot is held twice");
      } finally {
        await dropWorld(admin, world);
      }
    }
  } finally {
    await Promise.all([admin.end(), ...racers.map((r) => r.end())]);
  }
});
