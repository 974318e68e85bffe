-- The availability engine: which start times a team member can take for a service, computed
-- inside Postgres for a whole team at once.
--
-- The rule (README, "Availability"), stated for instants so that DST nights need no exceptions:
-- a member works at an instant when the business's wall clock shows, at that instant, a time
-- inside one of their working intervals of that local day (their own hours or the business
-- default; not on an absence or closure day). Free time is working time minus calendar busy
-- times and confirmed bookings; touching intervals (12:00-13:00 after 08:00-12:00, or 22:00-24:00
-- before 00:00-02:00) are one stretch. A start time is an instant whose wall-clock reading is on
-- the slot grid (a multiple of slot_step_minutes after local midnight) and whose appointment,
-- widened by the service's buffers, lies inside free time. Consequences on DST nights:
--   spring forward (02:00-03:00 does not exist): an interval covers only the wall-clock times
--     that exist, so 01:30-02:30 is 30 minutes (01:30-02:00, then the clock shows 03:00) and
--     02:30-03:00 is no time at all; no start time in the gap is offered.
--   fall back (02:00-03:00 happens twice): an interval covers both passes of the repeated hour,
--     so 00:00-03:30 is 4.5 hours; a wall-clock start time that exists twice is offered once,
--     at its earlier free instant (customers see local times).
-- Held bookings, min notice and the horizon depend on "now", so they are applied when slots are
-- read (get_available_slots), not here: this result can be cached.

create or replace function private.weekday_key(p_day date) returns text
language sql immutable set search_path = ''
as $$ select (array['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'])[extract(dow from p_day)::int + 1] $$;

-- The instants in [p_from, p_to) at which the zone's UTC offset changes (DST switches). Found by
-- bisection to the second on the few days whose offset at midnight differs from the next
-- midnight's; Postgres has no function that lists a zone's transitions.
create or replace function private.utc_offset_switches(p_time_zone text, p_from timestamptz, p_to timestamptz)
returns setof timestamptz
language plpgsql stable security definer set search_path = ''
as $$
declare
  v_low timestamptz;
  v_high timestamptz;
  v_middle timestamptz;
begin
  -- One query finds the days whose offset at midnight differs from the next midnight's.
  for v_low, v_high in
    select x.day_start, x.day_end
    from (select d::timestamp at time zone p_time_zone as day_start,
                 (d + interval '1 day')::timestamp at time zone p_time_zone as day_end
          from generate_series(date_trunc('day', p_from at time zone p_time_zone), p_to at time zone p_time_zone,
                               interval '1 day') d) x
    where private.utc_offset(p_time_zone, x.day_start) <> private.utc_offset(p_time_zone, x.day_end)
  loop
    while v_high - v_low > interval '1 second' loop
      v_middle := v_low + (v_high - v_low) / 2;
      if private.utc_offset(p_time_zone, v_middle) = private.utc_offset(p_time_zone, v_low) then
        v_low := v_middle;
      else
        v_high := v_middle;
      end if;
    end loop;
    v_high := date_trunc('second', v_high);
    if v_high >= p_from and v_high < p_to then
      return next v_high;
    end if;
  end loop;
end
$$;

-- The zone's UTC offset at an instant (+01:00 for Zurich in winter). Plain SQL without SET, so
-- that the planner inlines it (it only calls built-in functions).
create or replace function private.utc_offset(p_time_zone text, p_at timestamptz) returns interval
language sql stable
as $$ select (p_at at time zone p_time_zone) - (p_at at time zone 'UTC') $$;

-- Stretches of constant UTC offset covering [p_from, p_to): converting a wall-clock time to an
-- instant is "local - offset" inside each stretch, which handles the gap and the repeated hour
-- without guessing (a local time maps to zero, one or two instants).
create or replace function private.utc_offset_periods(p_time_zone text, p_from timestamptz, p_to timestamptz)
returns table (during tstzrange, utc_offset interval)
language sql stable security definer set search_path = ''
as $$
  select tstzrange(x.at, x.next_at), private.utc_offset(p_time_zone, x.at)
  from (select b.at, lead(b.at) over (order by b.at) as next_at
        from (select p_from as at union all select s from private.utc_offset_switches(p_time_zone, p_from, p_to) s
              union all select p_to) b) x
  where x.next_at > x.at
  order by x.at
$$;

create or replace function private.compute_slots(
  p_service_id uuid, p_team_member_ids uuid[], p_first_day date, p_last_day date
) returns table (team_member_id uuid, day date, starts_at timestamptz, ends_at timestamptz)
language plpgsql stable security definer
-- JIT is off because the planner's row guesses for generate_series/jsonb_array_elements are huge,
-- and compiling the plan costs ~1 s while running it takes milliseconds. PL/pgSQL (not SQL) so
-- that the plan of this large query is cached, and always the generic plan: planning it anew
-- for each call's values (a booking's re-check, say) costs more than running it.
set search_path = '' set jit = off set plan_cache_mode = force_generic_plan
as $$
#variable_conflict use_column
declare
  v_tz text := (select time_zone from public.business_settings where id);
  v_step integer := (select slot_step_minutes from public.business_settings where id);
  -- The grid restarts at every local midnight; generating with a step that divides a day keeps
  -- a series that crosses midnight on the grid (15 does; 25 is generated every 5 and filtered).
  v_series_minutes integer := gcd(v_step, 1440);
  -- Work on the day before and after counts too: a stretch can run across midnight, and buffers
  -- or a long appointment can reach into a neighbouring day.
  v_window_from timestamptz := (p_first_day - 2)::timestamp at time zone v_tz;
  v_window_to timestamptz := (p_last_day + 3)::timestamp at time zone v_tz;
  -- Where starts may lie: the instants of the asked local days.
  v_days tstzrange := tstzrange(p_first_day::timestamp at time zone v_tz, (p_last_day + 1)::timestamp at time zone v_tz);
begin
  if p_first_day is null or p_last_day is null or p_first_day > p_last_day or coalesce(cardinality(p_team_member_ids), 0) = 0 then
    return;
  end if;
  return query
  with svc as (
    select s.id, s.duration_minutes, make_interval(mins => s.buffer_before_minutes) as bb,
           make_interval(mins => s.buffer_after_minutes) as ba
    from public.services s where s.id = p_service_id and s.is_active
  ),
  mem as (
    select m.id, make_interval(mins => coalesce(l.custom_duration_minutes, svc.duration_minutes)) as dur,
           coalesce(m.working_hours, st.default_working_hours) as hours
    from public.team_members m
    cross join svc
    cross join public.business_settings st
    left join public.team_member_services l on l.team_member_id = m.id and l.service_id = svc.id
    where st.id and m.id = any (p_team_member_ids) and m.is_active and m.is_bookable
      and (l.id is not null or m.is_general_calendar)
  ),
  -- Stretches of one UTC offset; after a fall-back switch, "fold" is how much the clock went
  -- back (the first fold of the stretch repeats wall-clock times of the stretch before).
  periods as materialized (
    select p.during, p.utc_offset,
           nullif(greatest(lag(p.utc_offset) over (order by lower(p.during)) - p.utc_offset, interval '0'), interval '0') as fold
    from private.utc_offset_periods(v_tz, v_window_from, v_window_to) p
  ),
  days as (
    select d::date as day, private.weekday_key(d::date) as key
    from generate_series((p_first_day - 1)::timestamp, (p_last_day + 1)::timestamp, interval '1 day') d
    where not exists (select 1 from public.business_closures c where d::date between c.starts_on and c.ends_on)
  ),
  -- Working time per distinct working-hours value (most members share the business default):
  -- the instants whose wall-clock reading lies in an interval, per stretch of constant offset
  -- (local - offset), merged, so touching intervals are one stretch.
  work as (
    select h.hours,
           range_agg(tstzrange((days.day + (iv ->> 'start')::time - p.utc_offset) at time zone 'UTC',
                               (case when iv ->> 'end' = '24:00' then (days.day + 1)::timestamp
                                     else days.day + (iv ->> 'end')::time end - p.utc_offset) at time zone 'UTC')
                     * p.during) as ranges
    from (select distinct mem.hours from mem) h
    cross join days
    cross join lateral jsonb_array_elements(h.hours -> days.key) iv
    cross join periods p
    group by h.hours
  ),
  -- Absence days as instants (every instant whose local date is one of them).
  days_off as (
    select a.team_member_id,
           range_agg(tstzrange((d - p.utc_offset) at time zone 'UTC', (d + interval '1 day' - p.utc_offset) at time zone 'UTC')
                     * p.during) as ranges
    from unnest(p_team_member_ids) q(member)
    join public.team_member_absences a on a.team_member_id = q.member
    cross join lateral generate_series(greatest(a.starts_on, p_first_day - 1)::timestamp,
                                       least(a.ends_on, p_last_day + 1)::timestamp, interval '1 day') d
    cross join periods p
    group by a.team_member_id
  ),
  -- What the member cannot use: calendar busy times and confirmed bookings (buffers included).
  blocked as (
    select x.team_member_id, range_agg(x.during) as ranges
    from (
      -- Joined through unnest: GiST cannot use "= any(array)", but can use "=" per member.
      select b.team_member_id, b.during
      from unnest(p_team_member_ids) q(member)
      join public.calendar_busy_times b on b.team_member_id = q.member
      where b.during && tstzrange(v_window_from, v_window_to)
      union all
      select k.team_member_id, k.blocked_during
      from unnest(p_team_member_ids) q(member)
      join public.bookings k on k.team_member_id = q.member
      where k.status = 'confirmed' and k.blocked_during && tstzrange(v_window_from, v_window_to)
    ) x
    group by x.team_member_id
  ),
  -- Free time per member: working time minus days off minus what is blocked.
  free as (
    select mem.id, mem.dur,
           w.ranges - coalesce(o.ranges, '{}'::tstzmultirange) - coalesce(bl.ranges, '{}'::tstzmultirange) as ranges
    from mem
    join work w on w.hours = mem.hours
    left join days_off o on o.team_member_id = mem.id
    left join blocked bl on bl.team_member_id = mem.id
  ),
  -- Where a start can lie in each free stretch: the appointment and its buffers fit inside it.
  -- Cut by the offset stretches, so that each piece has one wall clock (offset in seconds).
  start_ranges as (
    select f.id, f.dur, extract(epoch from p.utc_offset)::bigint as offset_seconds,
           tstzrange(lower(r) + svc.bb, upper(r) - f.dur - svc.ba, '[]') * p.during * v_days as starts,
           p.fold, lower(p.during) as period_start, case when p.fold is not null then f.ranges end as free_ranges
    from free f
    cross join svc
    cross join lateral unnest(f.ranges) r
    join periods p on p.during && r
    where lower(r) + svc.bb <= upper(r) - f.dur - svc.ba
  ),
  -- Start instants on the grid: seconds since local midnight = (epoch + offset) mod 86400, so
  -- the first grid point is found with integer arithmetic and the rest follow every step.
  candidates as (
    select s.id, s.dur, s.offset_seconds, t as starts_at, s.fold, s.period_start, s.free_ranges
    from start_ranges s
    cross join lateral generate_series(
      to_timestamp((ceil((extract(epoch from lower(s.starts)) + s.offset_seconds) / (v_series_minutes * 60))
                    * (v_series_minutes * 60) - s.offset_seconds)::double precision),
      upper(s.starts), make_interval(mins => v_series_minutes)) t
    where not isempty(s.starts) and s.starts @> t
  ),
  located as (
    select c.*, (c.starts_at at time zone 'UTC') + make_interval(secs => c.offset_seconds) as local_t
    from candidates c
  )
  select c.id, c.local_t::date, c.starts_at, c.starts_at + c.dur
  from located c
  cross join svc
  where c.local_t::date between p_first_day and p_last_day
    and (v_series_minutes = v_step
         or ((extract(epoch from c.starts_at)::bigint + c.offset_seconds) % 86400 / 60) % v_step = 0)
    -- A wall-clock start that exists twice (fall back) is offered once, at its earlier instant:
    -- a start in the repeated fold is dropped when its first-pass twin is free too.
    and (c.fold is null or c.starts_at >= c.period_start + c.fold
         or not c.free_ranges @> tstzrange(c.starts_at - c.fold - svc.bb, c.starts_at - c.fold + c.dur + svc.ba));
end
$$;
comment on function private.compute_slots(uuid, uuid[], date, date) is
  'Free start times per team member and business-local day for a service, before min notice, holds and horizon (rules: README, Availability).';
revoke all on function private.compute_slots(uuid, uuid[], date, date) from public, anon, authenticated;
grant execute on function private.compute_slots(uuid, uuid[], date, date) to service_role;
revoke all on function private.utc_offset_switches(text, timestamptz, timestamptz),
  private.utc_offset(text, timestamptz), private.utc_offset_periods(text, timestamptz, timestamptz)
  from public, anon, authenticated;
comment on function private.utc_offset_switches(text, timestamptz, timestamptz) is
  'Instants in [from, to) at which the zone''s UTC offset changes (DST switches), to the second.';
comment on function private.utc_offset(text, timestamptz) is 'The zone''s UTC offset at an instant.';
comment on function private.utc_offset_periods(text, timestamptz, timestamptz) is
  'Stretches of constant UTC offset covering [from, to), with their offset.';
