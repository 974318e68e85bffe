// Generated worlds for benchmarks: N team members offering one service of their own, about four
// busy blocks per member per working day and two confirmed bookings a day, over 30 days.
import type postgres from "postgres";

export type World = { serviceId: string; memberIds: string[] };

export async function createWorld(
  sql: postgres.Sql,
  size: number,
  firstDay: string,
  label = "Bench",
): Promise<World> {
  const [service] = await sql<{ id: string }[]>`
    insert into services (name, duration_minutes, buffer_after_minutes, min_notice_minutes)
    values (${`${label} service ${size}`}, 45, 10, 0) returning id`;
  const members = await sql<{ id: string }[]>`
    insert into team_members (name, calendar_provider, calendar_source_url, default_priority, calendar_last_synced)
    select ${`${label} ${size} member `} || i, 'ical', 'https://feeds.example/bench.ics', i % 11, now()
    from generate_series(1, ${size}) i returning id`;
  const memberIds = members.map((m) => m.id);
  await sql`insert into team_member_services (team_member_id, service_id)
            select m, ${service.id}::uuid from unnest(${memberIds}::uuid[]) m`;
  await sql`
    insert into calendar_busy_times (team_member_id, starts_at, ends_at, source_uid)
    select m, t, t + make_interval(mins => 30 + (floor(random() * 3) * 30)::int), 'bench'
    from unnest(${memberIds}::uuid[]) m
    cross join generate_series(${firstDay}::date, ${firstDay}::date + 29, interval '1 day') d
    cross join generate_series(1, 4) k
    cross join lateral (select (d + make_interval(mins => 8 * 60 + (floor(random() * 32) * 15)::int))::timestamp
                                 at time zone 'Europe/Zurich' as t) x
    where extract(isodow from d) < 6`;
  const [contact] = await sql<{ id: string }[]>`
    insert into contacts (whatsapp_id, name)
    values ('+4179' || lpad((floor(random() * 1e8))::int::text, 8, '0'), ${`${label} customer`}) returning id`;
  await sql`
    insert into bookings (contact_id, service_id, team_member_id, starts_at, ends_at, buffer_after_minutes, source)
    select ${contact.id}::uuid, ${service.id}::uuid, m, t, t + interval '45 minutes', 10, 'import'
    from unnest(${memberIds}::uuid[]) m
    cross join generate_series(${firstDay}::date, ${firstDay}::date + 29, interval '1 day') d
    cross join (values (9), (15)) h(hour)
    cross join lateral (select (d + make_interval(hours => h.hour))::timestamp at time zone 'Europe/Zurich' as t) x
    where extract(isodow from d) < 6`;
  await sql`analyze`;
  return { serviceId: service.id, memberIds };
}
