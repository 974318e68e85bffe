// rank_team_members and booking_options for teams of 10, 50 and 200; bookings per second on
// distinct slots with 8 concurrent clients; and 8 clients racing for one slot. Prints figures.
import postgres from "postgres";
import { measure, percentile, report, reportAgainstFloor } from "./lib.ts";
import { createWorld } from "./world.ts";

const url = Deno.env.get("SUPABASE_DB_URL")!;
const sql = postgres(url, { max: 8, onnotice: () => {} });
const now = "2026-12-06T12:00:00+01:00";

console.log("selection: a customer who prefers one team member, one service, a one-week window");
let largest: { serviceId: string; memberIds: string[]; contactId: string } | undefined;
for (const size of [10, 50, 200]) {
  const world = await createWorld(sql, size, "2026-12-07", "Select");
  const [contact] = await sql`insert into contacts (whatsapp_id, name, preferred_team_member_ids)
    values (${`+4176${String(size).padStart(7, "0")}`}, 'Selecting customer', ${[
    world.memberIds[3],
  ]}::uuid[]) returning id`;
  const args = [
    contact.id,
    world.serviceId,
    "2026-12-08T00:00:00+01:00",
    "2026-12-15T00:00:00+01:00",
  ];
  await sql`select count(*) from get_available_slots(${world.serviceId}::uuid, ${
    args[2]
  }::timestamptz, ${args[3]}::timestamptz,
              null, ${now}::timestamptz)`;
  await sql`analyze`;
  // Floor: the cache rows of the window read bare (what both functions start from).
  const floor = await measure(
    () =>
      sql`select sum(jsonb_array_length(time_slots)) from availability_cache
          where service_id = ${world.serviceId}::uuid and team_member_id = any(${world.memberIds}::uuid[])
            and date between '2026-12-08' and '2026-12-14'`,
    30,
  );
  reportAgainstFloor(
    `rank_team_members, ${size} members`,
    await measure(
      () =>
        sql`select count(*) from rank_team_members(${args[0]}::uuid, ${args[1]}::uuid, ${
          args[2]
        }::timestamptz,
            ${args[3]}::timestamptz, p_now => ${now}::timestamptz)`,
      30,
    ),
    "bare read of the cache rows",
    floor,
  );
  reportAgainstFloor(
    `booking_options, ${size} members`,
    await measure(
      () =>
        sql`select count(*) from booking_options(${args[0]}::uuid, ${args[1]}::uuid, ${
          args[2]
        }::timestamptz,
            ${args[3]}::timestamptz, p_now => ${now}::timestamptz)`,
      30,
    ),
    "bare read of the cache rows",
    floor,
  );
  largest = { serviceId: world.serviceId, memberIds: world.memberIds, contactId: contact.id };
}

// Throughput: 8 clients book distinct free slots of the 200-member world.
const { serviceId, contactId } = largest!;
const free = await sql<{ team_member_id: string; starts_at: Date }[]>`
  select distinct on (team_member_id, date_trunc('day', starts_at)) team_member_id, starts_at
  from get_available_slots(${serviceId}::uuid, '2026-12-15T00:00:00+01:00', '2026-12-22T00:00:00+01:00', null, ${now}::timestamptz)
  order by team_member_id, date_trunc('day', starts_at), starts_at limit 800`;
let next = 0;
let failures = 0;
const failureCodes = new Map<string, number>();
const started = performance.now();
await Promise.all(Array.from({ length: 8 }, async () => {
  while (next < free.length) {
    const slot = free[next++];
    try {
      await sql`select book_appointment(${contactId}::uuid, ${serviceId}::uuid, ${slot.team_member_id}::uuid,
                  ${slot.starts_at}::timestamptz, 'auto', p_now => ${now}::timestamptz)`;
    } catch (error) {
      failures++;
      const code = String((error as { code?: string }).code);
      failureCodes.set(code, (failureCodes.get(code) ?? 0) + 1);
    }
  }
}));
const seconds = (performance.now() - started) / 1000;
console.log(
  `${"book_appointment, distinct slots, 8 clients".padEnd(58)} ${
    (free.length / seconds).toFixed(0)
  } bookings/s ` +
    `(${free.length} attempts, ${failures} refused ${
      JSON.stringify(Object.fromEntries(failureCodes))
    }, ${seconds.toFixed(2)} s)`,
);

// Floor: the same kind of rows inserted bare by 8 clients under the same exclusion constraint
// (distinct slots of another week, no checks, no locks; the table's own triggers still run).
const bare = await sql<{ team_member_id: string; starts_at: Date }[]>`
  select m as team_member_id, (d + time '09:00') at time zone 'Europe/Zurich' + (k * interval '1 hour') as starts_at
  from unnest(${largest!.memberIds}::uuid[]) m
  cross join generate_series('2027-02-01'::timestamp, '2027-02-01'::timestamp, interval '1 day') d
  cross join generate_series(0, 3) k
  limit ${free.length}`;
let nextBare = 0;
const bareStarted = performance.now();
await Promise.all(Array.from({ length: 8 }, async () => {
  while (nextBare < bare.length) {
    const slot = bare[nextBare++];
    await sql`insert into bookings (contact_id, service_id, team_member_id, starts_at, ends_at, buffer_after_minutes, source)
      values (${contactId}::uuid, ${serviceId}::uuid, ${slot.team_member_id}::uuid, ${slot.starts_at}::timestamptz,
              ${slot.starts_at}::timestamptz + interval '45 minutes', 10, 'import')`;
  }
}));
const bareRate = bare.length / ((performance.now() - bareStarted) / 1000);
console.log(
  `${"  floor: bare insert under the exclusion constraint, 8 clients".padEnd(58)} ${
    bareRate.toFixed(0)
  } rows/s ` +
    `(book_appointment reaches ${(free.length / seconds / bareRate * 100).toFixed(0)}% of it)`,
);

// Contention: 8 clients race for the same slot, 40 times; each race has exactly one winner.
const contended = await sql<{ team_member_id: string; starts_at: Date }[]>`
  select team_member_id, starts_at from (
    -- One slot per member and day, so no race's slot overlaps another's (an overlapping pick would
    -- be taken by the earlier race and leave a race without a winner).
    select distinct on (s.team_member_id, (s.starts_at at time zone 'Europe/Zurich')::date) s.team_member_id, s.starts_at
    from get_available_slots(${serviceId}::uuid, '2026-12-22T00:00:00+01:00', '2026-12-29T00:00:00+01:00', null,
      ${now}::timestamptz) s
    order by s.team_member_id, (s.starts_at at time zone 'Europe/Zurich')::date, random()) one_per_day
  order by random() limit 40`;
const raceTimes: number[] = [];
let winners = 0;
let exactlyOne = 0;
for (const slot of contended) {
  const raceStart = performance.now();
  const results = await Promise.allSettled(
    Array.from(
      { length: 8 },
      () =>
        sql`select book_appointment(${contactId}::uuid, ${serviceId}::uuid, ${slot.team_member_id}::uuid,
          ${slot.starts_at}::timestamptz, 'auto', p_now => ${now}::timestamptz)`,
    ),
  );
  raceTimes.push(performance.now() - raceStart);
  const won = results.filter((r) => r.status === "fulfilled").length;
  winners += won;
  if (won === 1) exactlyOne++;
}
raceTimes.sort((a, b) => a - b);
report("8 clients racing for one slot (whole race)", raceTimes);
console.log(
  `  ${contended.length} races, ${winners} winners, exactly one winner in ${exactlyOne}, p95 ${
    percentile(raceTimes, 95).toFixed(1)
  } ms`,
);
await sql.end();
