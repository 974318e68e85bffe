// Availability under concurrency (issue #12): reads never deadlock with bookings, and a cache
// entry computed by a reader never hides a change another transaction committed.
import assert from "node:assert/strict";
import postgres from "postgres";
import { requireEnv } from "../../../local/tests/helpers.ts";

const now = "2026-11-29T12:00:00+01:00";
const days = ["2026-12-01", "2026-12-02", "2026-12-03"];

type World = { service: string; members: string[]; contacts: string[] };

async function createWorld(sql: postgres.Sql, members: number, contacts: number): Promise<World> {
  const tag = crypto.randomUUID().slice(0, 8);
  const [service] = await sql`
    insert into services (name, duration_minutes, buffer_after_minutes, min_notice_minutes)
    values (${"Mixed " + tag}, 45, 15, 0) returning id`;
  const memberRows = await sql`
    insert into team_members (name, calendar_provider, calendar_source_url, working_hours, calendar_last_synced)
    select ${"Mixed " + tag + " member "} || i, 'ical', 'https://feeds.example/mixed.ics',
           '{"mon": [{"start": "08:00", "end": "17:00"}], "tue": [{"start": "08:00", "end": "17:00"}],
             "wed": [{"start": "08:00", "end": "17:00"}], "thu": [{"start": "08:00", "end": "17:00"}]}',
           '2026-01-01 00:00+01' -- read once: bookable (issue #14)
    from generate_series(1, ${members}) i returning id`;
  await sql`insert into team_member_services (team_member_id, service_id)
    select id, ${service.id}::uuid from unnest(${memberRows.map((m) => m.id)}::uuid[]) id`;
  const contactRows = await sql`
    insert into contacts (whatsapp_id, name)
    select '+4177' || lpad((floor(random() * 1e6))::int::text, 6, '0') || i, ${"Mixed " + tag}
    from generate_series(10, ${contacts + 9}) i returning id`;
  return {
    service: service.id,
    members: memberRows.map((m) => m.id),
    contacts: contactRows.map((c) => c.id),
  };
}

async function dropWorld(sql: postgres.Sql, world: World) {
  await sql`delete from bookings where service_id = ${world.service}`;
  // Contacts first: after three bookings with one member they prefer them (booking history).
  await sql`delete from contacts where id = any(${world.contacts}::uuid[])`;
  await sql`delete from calendar_busy_times where team_member_id = any(${world.members}::uuid[])`;
  await sql`delete from team_members where id = any(${world.members}::uuid[])`;
  await sql`delete from services where id = ${world.service}`;
}

/** Slots offered now vs. a fresh computation by the engine (no cache) with the read-time rules. */
async function staleOffers(sql: postgres.Sql, world: World): Promise<number> {
  const [row] = await sql`
    with offered as (
      select team_member_id, starts_at, ends_at from get_available_slots(${world.service}::uuid,
        '2026-12-01 00:00+01', '2026-12-04 00:00+01', ${world.members}::uuid[], ${now}::timestamptz)
    ),
    fresh as (
      select s.team_member_id, s.starts_at, s.ends_at
      from private.compute_slots(${world.service}::uuid, ${world.members}::uuid[], '2026-12-01', '2026-12-03') s
      where not exists (select 1 from bookings b where b.team_member_id = s.team_member_id and b.status = 'held'
                          and b.hold_expires_at > ${now}::timestamptz
                          and b.blocked_during && tstzrange(s.starts_at, s.ends_at + interval '15 minutes'))
    )
    select (select count(*) from (select * from offered except select * from fresh) a)::int as extra,
           (select count(*) from (select * from fresh except select * from offered) b)::int as missing`;
  return row.extra + row.missing;
}

const slotStarts = days.flatMap((day) =>
  Array.from({ length: 33 }, (_, i) => {
    const minutes = 8 * 60 + i * 15;
    const hh = String(Math.floor(minutes / 60)).padStart(2, "0");
    return `${day}T${hh}:${String(minutes % 60).padStart(2, "0")}:00+01:00`;
  })
);

Deno.test("a reader's cache entry never hides a busy time another transaction committed meanwhile", async () => {
  const sql = postgres(requireEnv("SUPABASE_DB_URL"), { max: 4, onnotice: () => {} });
  const world = await createWorld(sql, 1, 1);
  try {
    const reader = await sql.reserve();
    const writer = await sql.reserve();
    try {
      // A reads (and stores cache entries) in its own open transaction...
      await reader`begin`;
      const [{ n }] =
        await reader`select count(*)::int as n from get_available_slots(${world.service}::uuid,
        '2026-12-01 00:00+01', '2026-12-02 00:00+01', null, ${now}::timestamptz)`;
      assert.ok(n > 0, "the day has free slots");
      // ... B commits a busy time at 10:00 (it does not wait for A) ...
      await writer`insert into calendar_busy_times (team_member_id, starts_at, ends_at)
        values (${world.members[0]}::uuid, '2026-12-01 10:00+01', '2026-12-01 11:00+01')`;
      // ... and A commits its entries last.
      await reader`commit`;
    } finally {
      reader.release();
      writer.release();
    }
    const offered = await sql`select starts_at from get_available_slots(${world.service}::uuid,
      '2026-12-01 00:00+01', '2026-12-02 00:00+01', null, ${now}::timestamptz)
      where starts_at = '2026-12-01 10:00+01'`;
    assert.equal(offered.length, 0, "the busy 10:00 slot is not offered");
    assert.equal(await staleOffers(sql, world), 0, "offers equal a fresh computation");
  } finally {
    await dropWorld(sql, world);
    await sql.end();
  }
});

Deno.test("40 readers while 10 clients book and cancel: no deadlock, no double booking, no stale offer", async () => {
  const readers = 40, bookers = 10, readsPerReader = 40, opsPerBooker = 60;
  const sql = postgres(requireEnv("SUPABASE_DB_URL"), {
    max: readers + bookers + 2,
    onnotice: () => {},
  });
  const world = await createWorld(sql, 4, 20);
  const errors: Record<string, number> = {};
  const unexpected: string[] = [];
  const note = (error: unknown) => {
    const code = (error as { code?: string }).code ?? "none";
    errors[code] = (errors[code] ?? 0) + 1;
    if (code !== "BK001" && unexpected.length < 10) {
      unexpected.push(`${code}: ${(error as Error).message}`);
    }
  };
  let reads = 0, booked = 0, cancelled = 0;
  const pick = <T>(items: T[], i: number) => items[i % items.length];
  try {
    const read = async (r: number) => {
      for (let i = 0; i < readsPerReader; i++) {
        const first = pick(days, r + i);
        try {
          if ((r + i) % 3 === 0) {
            // A conversation turn: several reads in one transaction (they hold what they take).
            await sql.begin(async (tx) => {
              await tx`select count(*) from get_available_slots(${world.service}::uuid, ${first}::date::timestamp at time zone 'Europe/Zurich',
                '2026-12-04 00:00+01', null, ${now}::timestamptz)`;
              await tx`select count(*) from booking_options(${
                pick(world.contacts, i)
              }::uuid, ${world.service}::uuid,
                ${first}::date::timestamp at time zone 'Europe/Zurich', '2026-12-04 00:00+01', p_now => ${now}::timestamptz)`;
            });
          } else {
            await sql`select count(*) from get_available_slots(${world.service}::uuid,
              ${first}::date::timestamp at time zone 'Europe/Zurich', '2026-12-04 00:00+01', ${[
              pick(world.members, r),
            ]}::uuid[],
              ${now}::timestamptz)`;
          }
          reads++;
        } catch (error) {
          note(error);
        }
      }
    };
    const mine: string[][] = Array.from({ length: bookers }, () => []);
    const book = async (b: number) => {
      for (let i = 0; i < opsPerBooker; i++) {
        try {
          if (i % 3 === 2 && mine[b].length > 0) {
            await sql`select cancel_booking(${mine[b].pop()!}::uuid, ${now}::timestamptz)`;
            cancelled++;
          } else {
            const [row] = await sql`select book_appointment(${
              pick(world.contacts, b + i)
            }::uuid, ${world.service}::uuid,
              ${pick(world.members, b * 7 + i)}::uuid, ${
              pick(slotStarts, b * 13 + i * 5)
            }::timestamptz, 'auto',
              p_now => ${now}::timestamptz) as id`;
            mine[b].push(row.id);
            booked++;
          }
        } catch (error) {
          note(error);
        }
      }
    };
    await Promise.all([
      ...Array.from({ length: readers }, (_, r) => read(r)),
      ...Array.from({ length: bookers }, (_, b) => book(b)),
    ]);
    assert.equal(errors["40P01"] ?? 0, 0, `deadlocks: ${JSON.stringify(errors)}`);
    assert.deepEqual(unexpected, [], "only slot_unavailable refusals");
    assert.equal(reads, readers * readsPerReader, "every read answered");
    assert.ok(booked > 0 && cancelled > 0, JSON.stringify({ booked, cancelled, errors }));
    const [overlap] = await sql`select count(*)::int as n from bookings a join bookings b
      on a.team_member_id = b.team_member_id and a.id < b.id and a.blocked_during && b.blocked_during
      where a.service_id = ${world.service} and b.service_id = ${world.service}
        and a.status in ('held', 'confirmed') and b.status in ('held', 'confirmed')`;
    assert.equal(overlap.n, 0, "no two bookings overlap");
    assert.equal(await staleOffers(sql, world), 0, "afterwards, offers equal a fresh computation");
  } finally {
    await dropWorld(sql, world);
    await sql.end();
  }
});
