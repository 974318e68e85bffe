// Never double-book, under any concurrency: real connections racing for the same slots.
import assert from "node:assert/strict";
import postgres from "postgres";
import { requireEnv } from "../../../local/tests/helpers.ts";

const now = "2026-11-29T12:00:00+01:00";

type World = { service: string; members: string[]; contacts: string[] };

async function createWorld(sql: postgres.Sql, members: number, contacts: number): Promise<World> {
  const tag = crypto.randomUUID().slice(0, 8);
  const [service] =
    await sql`insert into services (name, duration_minutes, buffer_after_minutes, min_notice_minutes)
    values (${"Race " + tag}, 60, 15, 0) returning id`;
  const memberRows =
    await sql`insert into team_members (name, calendar_provider, calendar_source_url, calendar_last_synced)
    select ${
      "Race " + tag + " member "
    } || i, 'ical', 'https://feeds.example/race.ics', now() from generate_series(1, ${members}) i
    returning id`;
  await sql`insert into team_member_services (team_member_id, service_id)
    select id, ${service.id}::uuid from unnest(${memberRows.map((m) => m.id)}::uuid[]) id`;
  const contactRows = await sql`insert into contacts (whatsapp_id, name)
    select '+4178' || lpad((floor(random() * 1e7))::int::text, 7, '0') || i, ${
    "Race " + tag
  } from generate_series(10, ${contacts + 9}) i
    returning id`;
  return {
    service: service.id,
    members: memberRows.map((m) => m.id),
    contacts: contactRows.map((c) => c.id),
  };
}

async function dropWorld(sql: postgres.Sql, world: World) {
  await sql`delete from bookings where service_id = ${world.service}`;
  await sql`delete from team_members where id = any(${world.members}::uuid[])`;
  await sql`delete from services where id = ${world.service}`;
  await sql`delete from contacts where id = any(${world.contacts}::uuid[])`;
}

async function overlappingPairs(sql: postgres.Sql, world: World): Promise<number> {
  const [row] = await sql`
    select count(*)::int as n from bookings a join bookings b
      on a.team_member_id = b.team_member_id and a.id < b.id and a.blocked_during && b.blocked_during
    where a.service_id = ${world.service} and b.service_id = ${world.service}
      and a.status in ('held', 'confirmed') and b.status in ('held', 'confirmed')`;
  return row.n;
}

Deno.test("25 connections booking the same slot at once: exactly one wins", async () => {
  const sql = postgres(requireEnv("SUPABASE_DB_URL"), { max: 30, onnotice: () => {} });
  const world = await createWorld(sql, 1, 25);
  try {
    // Every racer has its own connection, opened before the start signal.
    const racers = await Promise.all(world.contacts.map(() => sql.reserve()));
    const slot = "2026-12-01T10:00:00+01:00";
    const results = await Promise.allSettled(
      racers.map((racer, i) =>
        racer`select book_appointment(${world.contacts[i]}::uuid, ${world.service}::uuid, ${
          world.members[0]
        }::uuid,
              ${slot}::timestamptz, 'auto', p_now => ${now}::timestamptz) as id`
      ),
    );
    racers.forEach((racer) => racer.release());
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    assert.equal(won.length, 1, "exactly one booking succeeds");
    assert.equal(lost.length, 24);
    for (const failure of lost) {
      assert.equal(failure.reason.code, "BK001", `unexpected error: ${failure.reason.message}`);
      assert.match(failure.reason.message, /^slot_unavailable: /);
    }
    const [count] =
      await sql`select count(*)::int as n from bookings where service_id = ${world.service} and status = 'confirmed'`;
    assert.equal(count.n, 1, "the losers wrote nothing");
  } finally {
    await dropWorld(sql, world);
    await sql.end();
  }
});

Deno.test("1,000 random concurrent holds and bookings leave no overlapping bookings", async () => {
  const sql = postgres(requireEnv("SUPABASE_DB_URL"), { max: 16, onnotice: () => {} });
  const world = await createWorld(sql, 2, 20);
  try {
    // A small calendar: two members, one day, starts on the 15-minute grid from 08:00 to 16:00.
    const starts = Array.from({ length: 33 }, (_, i) => {
      const minutes = 8 * 60 + i * 15;
      return `2026-12-01T${String(Math.floor(minutes / 60)).padStart(2, "0")}:${
        String(minutes % 60).padStart(2, "0")
      }:00+01:00`;
    });
    const pick = <T>(items: T[]) => items[Math.floor(Math.random() * items.length)];
    const outcomes = { booked: 0, held: 0, refused: 0 };
    const unexpected: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < 1000) {
        next++;
        const [contact, member, start] = [pick(world.contacts), pick(world.members), pick(starts)];
        try {
          if (Math.random() < 0.3) {
            await sql`select hold_slot(${contact}::uuid, ${world.service}::uuid, ${member}::uuid, ${start}::timestamptz,
                                       ${now}::timestamptz)`;
            outcomes.held++;
          } else {
            await sql`select book_appointment(${contact}::uuid, ${world.service}::uuid, ${member}::uuid, ${start}::timestamptz,
                                              'auto', p_now => ${now}::timestamptz)`;
            outcomes.booked++;
          }
        } catch (error) {
          const code = (error as { code?: string }).code;
          if (code === "BK001") outcomes.refused++;
          else unexpected.push(`${code}: ${(error as Error).message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    assert.deepEqual(unexpected, [], "only slot_unavailable refusals");
    assert.equal(outcomes.booked + outcomes.held + outcomes.refused, 1000);
    assert.ok(
      outcomes.booked + outcomes.held > 0 && outcomes.refused > 0,
      JSON.stringify(outcomes),
    );
    assert.equal(
      await overlappingPairs(sql, world),
      0,
      "no two held or confirmed bookings overlap",
    );
  } finally {
    await dropWorld(sql, world);
    await sql.end();
  }
});
