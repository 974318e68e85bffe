// get_available_slots (one service, 14 days) cold and warm, and the 30-day nightly refresh, for
// teams of 10, 50 and 200. Prints figures; asserts nothing.
import postgres from "postgres";
import { measure, reportAgainstFloor } from "./lib.ts";
import { createWorld } from "./world.ts";

const sql = postgres(Deno.env.get("SUPABASE_DB_URL")!, { max: 1, onnotice: () => {} });
const firstDay = "2026-12-07";
const now = "2026-12-06T12:00:00+01:00";
const from = "2026-12-07T00:00:00+01:00";
const to = "2026-12-21T00:00:00+01:00";

console.log(
  "availability: one service over 14 days; 4 busy blocks and 2 bookings per member per working day",
);
for (const size of [10, 50, 200]) {
  const world = await createWorld(sql, size, firstDay);
  const query = () =>
    sql`select count(*) from get_available_slots(${world.serviceId}::uuid, ${from}::timestamptz, ${to}::timestamptz, null, ${now}::timestamptz)`;
  // Floors: the same rows read bare through their indexes, nothing computed.
  const inputFloor = () =>
    sql`select (select count(*) from unnest(${world.memberIds}::uuid[]) m join calendar_busy_times b on b.team_member_id = m
                where b.during && tstzrange(${from}::timestamptz - interval '2 days', ${to}::timestamptz + interval '2 days')),
               (select count(*) from unnest(${world.memberIds}::uuid[]) m join bookings b on b.team_member_id = m
                where b.status = 'confirmed'
                  and b.blocked_during && tstzrange(${from}::timestamptz - interval '2 days', ${to}::timestamptz + interval '2 days'))`;
  const cacheFloor = () =>
    sql`select sum(jsonb_array_length(time_slots)) from availability_cache
        where service_id = ${world.serviceId}::uuid and team_member_id = any(${world.memberIds}::uuid[])
          and date between ${firstDay}::date and ${firstDay}::date + 13`;
  const runs = size === 200 ? 20 : 50;

  const cold = await measure(
    async () => {
      // A change for every member (what a nightly sync does): every entry is stale.
      await sql`select private.bump_availability_versions(${world.memberIds}::uuid[])`;
      const started = performance.now();
      await query();
      return performance.now() - started;
    },
    runs,
    1,
    true,
  );
  reportAgainstFloor(
    `get_available_slots, ${size} members, cold cache`,
    cold,
    "bare read of busy times + bookings",
    await measure(inputFloor, runs),
  );
  // Steady state: autovacuum would have analysed the filled cache by now.
  await query();
  await sql`analyze availability_cache`;
  const warm = await measure(query, runs);
  reportAgainstFloor(
    `get_available_slots, ${size} members, warm cache`,
    warm,
    "bare read of the cache rows",
    await measure(cacheFloor, runs),
  );

  const started = performance.now();
  const [{ written }] =
    await sql`select refresh_availability_cache(${firstDay}::date, 30, ${world.memberIds}::uuid[]) as written`;
  console.log(
    `${`nightly refresh, ${size} members x 30 days (${written} entries)`.padEnd(58)} ${
      (performance.now() - started).toFixed(0)
    } ms`,
  );
}

const [{ slots }] = await sql`select count(*)::int as slots from get_available_slots(
  (select id from services where name = 'Bench service 200'), ${from}::timestamptz, ${to}::timestamptz, null, ${now}::timestamptz)`;
console.log(`(200 members: ${slots} free slots in 14 days)`);
// Where the cold time goes: auto_explain of the engine's own query (a function is opaque to a
// plain EXPLAIN); plan nodes taking more than 5 ms.
const plans: string[] = [];
const explain = postgres(Deno.env.get("SUPABASE_DB_URL")!, {
  max: 1,
  onnotice: (notice) => plans.push(String(notice.message)),
});
await explain.unsafe(`load 'auto_explain'`);
await explain.unsafe(`set auto_explain.log_min_duration = 50; set auto_explain.log_analyze = on;
  set auto_explain.log_nested_statements = on; set auto_explain.log_level = notice; set client_min_messages = notice`);
await explain.unsafe(
  `select count(*) from private.compute_slots((select id from services where name = 'Bench service 200'),
    array(select l.team_member_id from team_member_services l join services s on s.id = l.service_id
          where s.name = 'Bench service 200'), '2026-12-07', '2026-12-20')`,
);
await explain.end();
console.log("engine plan, 200 members x 14 days (nodes over 5 ms):");
for (const line of (plans.find((p) => p.includes("with svc as")) ?? "").split("\n")) {
  const time = /actual time=[\d.]+\.\.([\d.]+)/.exec(line);
  if (time && Number(time[1]) > 5) console.log(`  ${line.slice(0, 150)}`);
}
await sql.end();
