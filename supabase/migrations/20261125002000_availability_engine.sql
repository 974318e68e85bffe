-- The availability engine: which start times a team member can take for a service, computed
-- inside Postgres for a whole team at once.
--
-- A slot is free when the appointment widened by the service's buffers lies inside one of the
-- member's working intervals (business-local wall-clock time, their own hours or the business
-- default) on a day that is no absence or closure, and overlaps none of their calendar busy
-- times or confirmed bookings. Held bookings, min notice and the horizon depend on "now", so they
-- are applied when slots are read (get_available_slots), not here: this result can be cached.
--
-- Working hours are turned into absolute ranges per local day with `timestamp at time zone`, so
-- DST days keep their local hours; start times come from a wall-clock grid (timestamp, not
-- timestamptz), so a DST day has no duplicated or skipped slot, and a local time that does not
-- exist (the spring-forward gap) is dropped instead of being shifted.

create or replace function private.weekday_key(p_day date) returns text
language sql immutable set search_path = ''
as $$ select (array['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'])[extract(dow from p_day)::int + 1] $$;

create or replace function private.compute_slots(
  p_service_id uuid, p_team_member_ids uuid[], p_first_day date, p_last_day date
) returns table (team_member_id uuid, day date, starts_at timestamptz, ends_at timestamptz)
language plpgsql stable security definer
-- JIT is off because the planner's row guesses for generate_series/jsonb_array_elements are huge,
-- and compiling the plan costs ~1 s while running it takes milliseconds. PL/pgSQL (not SQL) so
-- that the plan of this large query is cached instead of re-planned on every call.
set search_path = '' set jit = off
as $$
#variable_conflict use_column
begin
  return query
  with st as (
    select time_zone as tz, make_interval(mins => slot_step_minutes) as step, slot_step_minutes,
           default_working_hours
    from public.business_settings where id
  ),
  svc as (
    select id, duration_minutes, make_interval(mins => buffer_before_minutes) as bb,
           make_interval(mins => buffer_after_minutes) as ba
    from public.services where id = p_service_id and is_active
  ),
  mem as (
    select m.id, make_interval(mins => coalesce(l.custom_duration_minutes, svc.duration_minutes)) as dur,
           coalesce(m.working_hours, st.default_working_hours) as hours
    from public.team_members m
    cross join svc cross join st
    left join public.team_member_services l on l.team_member_id = m.id and l.service_id = svc.id
    where m.id = any (p_team_member_ids) and m.is_active and m.is_bookable
      and (l.id is not null or m.is_general_calendar)
  ),
  days as (
    select d::date as day, private.weekday_key(d::date) as key
    from generate_series(p_first_day::timestamp, p_last_day::timestamp, interval '1 day') d
    where not exists (select 1 from public.business_closures c where d::date between c.starts_on and c.ends_on)
  ),
  -- Working intervals as local timestamps, one row per member, day and interval.
  work as (
    select mem.id, mem.dur, days.day,
           days.day + (iv ->> 'start')::time as local_start,
           case when iv ->> 'end' = '24:00' then (days.day + 1)::timestamp
                else days.day + (iv ->> 'end')::time end as local_end
    from mem
    cross join days
    cross join lateral jsonb_array_elements(mem.hours -> days.key) iv
    where not exists (select 1 from public.team_member_absences a
                      where a.team_member_id = mem.id and days.day between a.starts_on and a.ends_on)
  ),
  -- What the member cannot use: calendar busy times and confirmed bookings (buffers included).
  blocked as (
    select x.team_member_id, range_agg(x.during) as ranges
    from (
      -- Joined through unnest: GiST cannot use "= any(array)", but can use "=" per member.
      select b.team_member_id, b.during
      from unnest(p_team_member_ids) q(member)
      join public.calendar_busy_times b on b.team_member_id = q.member
      cross join st
      where b.during && tstzrange((p_first_day - 1)::timestamp at time zone st.tz, (p_last_day + 2)::timestamp at time zone st.tz)
      union all
      select k.team_member_id, k.blocked_during
      from unnest(p_team_member_ids) q(member)
      join public.bookings k on k.team_member_id = q.member
      cross join st
      where k.status = 'confirmed'
        and k.blocked_during && tstzrange((p_first_day - 1)::timestamp at time zone st.tz, (p_last_day + 2)::timestamp at time zone st.tz)
    ) x
    group by x.team_member_id
  ),
  -- Free time per member and day: working hours minus what is blocked.
  free as (
    select w.id, w.day,
           range_agg(tstzrange(w.local_start at time zone st.tz, w.local_end at time zone st.tz))
             - coalesce(bl.ranges, '{}'::tstzmultirange) as ranges
    from work w cross join st
    left join blocked bl on bl.team_member_id = w.id
    group by w.id, w.day, bl.ranges
  ),
  -- Candidate start times on the wall-clock grid of each working interval.
  candidates as (
    select w.id, w.day, w.dur, t as local_t, t at time zone st.tz as starts_at
    from work w cross join st
    cross join lateral generate_series(
      w.day + make_interval(mins => (ceil(extract(epoch from (w.local_start - w.day)) / 60 / st.slot_step_minutes)
                                     * st.slot_step_minutes)::int),
      w.local_end - w.dur, st.step) t
  )
  select c.id, c.day, c.starts_at, c.starts_at + c.dur
  from candidates c
  cross join st cross join svc
  join free f on f.id = c.id and f.day = c.day
  where (c.starts_at at time zone st.tz) = c.local_t  -- drops local times that do not exist (DST gap)
    and f.ranges @> tstzrange(c.starts_at - svc.bb, c.starts_at + c.dur + svc.ba);
end
$$;
comment on function private.compute_slots(uuid, uuid[], date, date) is
  'Free start times per team member and business-local day for a service, before min notice, holds and horizon.';
revoke all on function private.compute_slots(uuid, uuid[], date, date) from public, anon, authenticated;
grant execute on function private.compute_slots(uuid, uuid[], date, date) to service_role;
