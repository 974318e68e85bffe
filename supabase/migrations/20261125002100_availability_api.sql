-- Reading availability: current cache entries (20261125002200: an entry is current while no
-- change was committed since it was computed), the engine for whatever is missing or stale, all
-- in one statement so that the answer is one snapshot of the data; then what depends on "now"
-- (min notice, horizon, live holds), and a last check against bookings so that a booked slot is
-- never offered, whatever the cache says.
--
-- Computed entries are stored for the next reader only by the transaction that wins a try-lock
-- on (member, service): a reader never waits for a lock, and a booking never waits for a reader.

-- The business-local date of an instant.
create or replace function private.local_date(p_at timestamptz) returns date
language sql stable security definer set search_path = ''
as $$ select (p_at at time zone (select time_zone from public.business_settings where id))::date $$;

-- The same business-local time p_days days later (or earlier). Never "timestamptz + interval
-- 'n days'", which counts days in the session's time zone.
create or replace function private.add_local_days(p_at timestamptz, p_days integer) returns timestamptz
language sql stable security definer set search_path = ''
as $$
  select ((p_at at time zone s.time_zone) + make_interval(days => p_days)) at time zone s.time_zone
  from public.business_settings s where s.id
$$;
comment on function private.add_local_days(timestamptz, integer) is
  'The same business-local wall-clock time p_days days later (negative: earlier), whatever the session time zone.';
revoke all on function private.add_local_days(timestamptz, integer) from public, anon, authenticated;

-- One slot as the guide's time_slots element (local "start"/"end", plus the instants). A plain
-- SQL function without SET so that the planner inlines it into the aggregates that use it.
create or replace function private.slot_json(p_starts_at timestamptz, p_ends_at timestamptz, p_time_zone text)
returns jsonb
language sql stable
as $$
  select pg_catalog.jsonb_build_object(
    'start', pg_catalog.to_char(p_starts_at at time zone p_time_zone, 'HH24:MI'),
    'end', pg_catalog.to_char(p_ends_at at time zone p_time_zone, 'HH24:MI'),
    'available', true, 'starts_at', p_starts_at, 'ends_at', p_ends_at)
$$;

revoke all on function private.slot_json(timestamptz, timestamptz, text) from public, anon;

-- One slot as stored in availability_cache.time_slots: the guide's element plus "at" (the start
-- as Unix seconds) and "minutes" (its length), which are what the read path parses: numbers are
-- cheaper to read back than timestamps in text, and the local "start" alone is ambiguous in the
-- repeated hour of a fall-back night.
create or replace function private.cache_slot_json(p_starts_at timestamptz, p_ends_at timestamptz, p_time_zone text)
returns jsonb
language sql stable
as $$
  select pg_catalog.jsonb_build_object(
    'start', pg_catalog.to_char(p_starts_at at time zone p_time_zone, 'HH24:MI'),
    'end', pg_catalog.to_char(p_ends_at at time zone p_time_zone, 'HH24:MI'),
    'available', true, 'at', pg_catalog.date_part('epoch', p_starts_at)::bigint,
    'minutes', (pg_catalog.date_part('epoch', p_ends_at - p_starts_at) / 60)::int)
$$;
revoke all on function private.cache_slot_json(timestamptz, timestamptz, text) from public, anon;
comment on function private.cache_slot_json(timestamptz, timestamptz, text) is
  'One cached slot: {"start":"09:00","end":"09:45","available":true,"at":<Unix seconds>,"minutes":45}.';

-- Candidates for a service: active, bookable team members who offer it (the General Calendar
-- offers everything while it is bookable), optionally only some.
create or replace function private.service_candidates(p_service_id uuid, p_team_member_ids uuid[] default null)
returns uuid[]
language sql stable security definer set search_path = ''
as $$
  select coalesce(array_agg(m.id order by m.id), '{}')
  from public.team_members m
  where m.is_active and m.is_bookable
    and (p_team_member_ids is null or m.id = any (p_team_member_ids))
    and (m.is_general_calendar
         or exists (select 1 from public.team_member_services l where l.team_member_id = m.id and l.service_id = p_service_id))
$$;

-- The try-lock that makes one transaction at a time the writer of a member's entries for a service.
create or replace function private.try_lock_cache_writer(p_team_member_id uuid, p_service_id uuid) returns boolean
language sql volatile security definer set search_path = ''
as $$
  select pg_catalog.pg_try_advisory_xact_lock(
    pg_catalog.hashtextextended('availability_cache:' || p_team_member_id::text || ':' || p_service_id::text, 0))
$$;
revoke all on function private.try_lock_cache_writer(uuid, uuid) from public, anon, authenticated;
comment on function private.try_lock_cache_writer(uuid, uuid) is
  'Try-lock (never waits) that makes one transaction at a time the writer of a member''s cache entries for a service.';

-- Computes and stores the cache entries (member, service, day) of some members over some days;
-- returns how many were written. Members whose entries another transaction is writing right
-- now are skipped (it will store them). Each entry carries the version of the data it was
-- computed from, read in the same statement (one snapshot), so an entry computed before a
-- concurrent change is never taken for current.
create or replace function private.store_cache_entries(
  p_service_id uuid, p_team_member_ids uuid[], p_first_day date, p_last_day date
) returns integer
language plpgsql volatile security definer set search_path = '' set jit = off
as $$
declare
  v_tz text := (select time_zone from public.business_settings where id);
  v_writable uuid[];
  v_written integer;
begin
  select coalesce(array_agg(k.member order by k.member), '{}') into v_writable
  from (select distinct m as member from unnest(p_team_member_ids) m where m is not null) k
  where private.try_lock_cache_writer(k.member, p_service_id);
  if cardinality(v_writable) = 0 then
    return 0;
  end if;
  with per_day as (
    select s.team_member_id, s.day,
           jsonb_agg(private.cache_slot_json(s.starts_at, s.ends_at, v_tz) order by s.starts_at) as slots
    from private.compute_slots(p_service_id, v_writable, p_first_day, p_last_day) s
    group by s.team_member_id, s.day
  ),
  base as (
    select coalesce(sum(v.version) filter (where v.scope = '00000000-0000-0000-0000-000000000000'), 0)
         + coalesce(sum(v.version) filter (where v.scope = p_service_id), 0) as version
    from private.availability_versions v
    where v.scope in ('00000000-0000-0000-0000-000000000000', p_service_id)
  )
  insert into public.availability_cache as c (team_member_id, service_id, date, time_slots, last_synced, cache_version)
  select k.member, p_service_id, d::date, coalesce(p.slots, '[]'::jsonb), now(),
         base.version + coalesce(mv.version, 0) + coalesce(dv.version, 0)
  from unnest(v_writable) k(member)
  cross join generate_series(p_first_day::timestamp, p_last_day::timestamp, interval '1 day') d
  cross join base
  left join private.availability_versions mv on mv.scope = k.member
  left join private.availability_day_versions dv on dv.team_member_id = k.member and dv.date = d::date
  left join per_day p on p.team_member_id = k.member and p.day = d::date
  order by 1, 3
  on conflict (team_member_id, service_id, date) do update
    set time_slots = excluded.time_slots, last_synced = excluded.last_synced, cache_version = excluded.cache_version;
  get diagnostics v_written = row_count;
  return v_written;
end
$$;
revoke all on function private.store_cache_entries(uuid, uuid[], date, date) from public, anon, authenticated;
comment on function private.store_cache_entries(uuid, uuid[], date, date) is
  'Computes and stores cache entries of some members and days (skipping members another transaction is writing); returns how many.';

drop function if exists private.refresh_stale_cache(uuid, uuid[], date, date);

-- Only admins, the service role and direct SQL may ask for availability (it reveals schedules).
create or replace function private.require_trusted_caller() returns void
language plpgsql stable security definer set search_path = ''
as $$
begin
  if not private.is_trusted_caller() then
    raise exception 'only admins and the service role may do this' using errcode = 'insufficient_privilege';
  end if;
end
$$;

create or replace function public.get_available_slots(
  p_service_id uuid, p_from timestamptz, p_to timestamptz,
  p_team_member_ids uuid[] default null, p_now timestamptz default now()
) returns table (team_member_id uuid, starts_at timestamptz, ends_at timestamptz)
language plpgsql volatile security definer set search_path = '' set jit = off
as $$
#variable_conflict use_column
declare
  v_settings public.business_settings := private.settings();
  v_service public.services;
  v_from timestamptz;
  v_to timestamptz;
  v_members uuid[];
  v_first_day date;
  v_last_day date;
  v_buffer_before interval;
  v_buffer_after interval;
  v_max_age interval;
begin
  perform private.require_trusted_caller();
  perform private.require_own_clock(p_now);
  -- Finite, sane, at most 400 days (slots are clipped to the horizon, at most 365 days, anyway).
  perform private.require_window(p_from, p_to, interval '400 days');
  select * into v_service from public.services where id = p_service_id;
  if v_service.id is null then
    raise exception 'service % does not exist', p_service_id using errcode = 'no_data_found';
  end if;
  if not v_service.is_active then
    return;
  end if;

  -- Min notice in minutes is the same in every zone; the horizon is counted in business-local days.
  v_from := greatest(p_from, p_now + make_interval(mins => v_service.min_notice_minutes));
  v_to := least(p_to, private.add_local_days(p_now, v_settings.horizon_days));
  v_members := private.service_candidates(p_service_id, p_team_member_ids);
  if v_from >= v_to or cardinality(v_members) = 0 then
    return;
  end if;

  v_buffer_before := make_interval(mins => v_service.buffer_before_minutes);
  v_buffer_after := make_interval(mins => v_service.buffer_after_minutes);
  v_max_age := make_interval(mins => v_settings.cache_max_age_minutes);
  v_first_day := (v_from at time zone v_settings.time_zone)::date;
  -- The window is [from, to): a window ending at midnight does not touch the next day.
  v_last_day := ((v_to - interval '1 microsecond') at time zone v_settings.time_zone)::date;

  return query
    with base as (
      select coalesce(sum(v.version) filter (where v.scope = '00000000-0000-0000-0000-000000000000'), 0)
           + coalesce(sum(v.version) filter (where v.scope = p_service_id), 0) as version
      from private.availability_versions v
      where v.scope in ('00000000-0000-0000-0000-000000000000', p_service_id)
    ),
    -- The version each (member, day) entry must carry to be current.
    wanted as materialized (
      select k.member, d::date as date, base.version + coalesce(mv.version, 0) + coalesce(dv.version, 0) as version
      from unnest(v_members) k(member)
      cross join generate_series(v_first_day::timestamp, v_last_day::timestamp, interval '1 day') d
      cross join base
      -- Only the counters of these members and days (index range scans, not the whole tables).
      left join (select v.scope, v.version from private.availability_versions v where v.scope = any (v_members)) mv
        on mv.scope = k.member
      left join (select x.team_member_id, x.date, x.version from private.availability_day_versions x
                 where x.team_member_id = any (v_members) and x.date between v_first_day and v_last_day) dv
        on dv.team_member_id = k.member and dv.date = d::date
    ),
    -- Current entries: computed from the data as it is now and younger than the max age.
    current_entries as (
      select c.team_member_id, c.id
      from public.availability_cache c
      join wanted w on w.member = c.team_member_id and w.date = c.date
      where c.service_id = p_service_id and c.team_member_id = any (v_members) and c.date between v_first_day and v_last_day
        and c.last_synced > now() - v_max_age and c.cache_version = w.version
    ),
    complete as (
      select e.team_member_id from current_entries e group by e.team_member_id
      having count(*) = v_last_day - v_first_day + 1
    ),
    -- Members with a missing or stale day are computed afresh, in this statement's snapshot ...
    stale as materialized (
      select m as member from unnest(v_members) m except select k.team_member_id from complete k
    ),
    computed as materialized (
      select s.team_member_id, s.day, s.starts_at, s.ends_at
      from (select array(select x.member from stale x) as members) m
      cross join lateral private.compute_slots(p_service_id, m.members, v_first_day, v_last_day) s
      where cardinality(m.members) > 0  -- a warm read does not even start the engine
    ),
    -- ... and stored for the next reader, with the versions read in this same snapshot, by the
    -- transaction that wins the member's try-lock (the others go on without waiting).
    writable as materialized (
      select x.member from stale x where private.try_lock_cache_writer(x.member, p_service_id)
    ),
    per_day as (
      select c.team_member_id, c.day,
             jsonb_agg(private.cache_slot_json(c.starts_at, c.ends_at, v_settings.time_zone) order by c.starts_at) as slots
      from computed c join writable x on x.member = c.team_member_id
      group by c.team_member_id, c.day
    ),
    stored as (
      insert into public.availability_cache as c (team_member_id, service_id, date, time_slots, last_synced, cache_version)
      select w.member, p_service_id, w.date, coalesce(p.slots, '[]'::jsonb), now(), w.version
      from wanted w
      join writable x on x.member = w.member
      left join per_day p on p.team_member_id = w.member and p.day = w.date
      order by 1, 3
      on conflict (team_member_id, service_id, date) do update
        set time_slots = excluded.time_slots, last_synced = excluded.last_synced, cache_version = excluded.cache_version
    ),
    -- Live bookings (confirmed, or held and not expired), one multirange per member: a slot is
    -- checked with one binary search. Joined per entry, before the entry is expanded into slots.
    live as (
      select b.team_member_id, range_agg(b.blocked_during) as ranges
      from public.bookings b
      where b.team_member_id = any (v_members)
        and (b.status = 'confirmed' or (b.status = 'held' and b.hold_expires_at > p_now))
        and b.blocked_during && tstzrange(v_from - interval '24 hours', v_to + interval '24 hours')
      group by b.team_member_id
    ),
    -- Narrow rows (ids) are joined and materialized; each entry's slots are read once, last, so
    -- the JSON is never copied through a hash or a materialized step.
    entries as materialized (
      select e.team_member_id, e.id, l.ranges
      from current_entries e
      join complete k on k.team_member_id = e.team_member_id
      left join live l on l.team_member_id = e.team_member_id
    ),
    slots as (
      select e.team_member_id, t.starts_at, t.starts_at + make_interval(mins => x.minutes) as ends_at, e.ranges
      from entries e
      cross join lateral (select c.time_slots from public.availability_cache c where c.id = e.id) j
      cross join lateral jsonb_to_recordset(j.time_slots) x(at double precision, minutes integer)
      cross join lateral (select to_timestamp(x.at) as starts_at) t
      union all
      select c.team_member_id, c.starts_at, c.ends_at, l.ranges
      from computed c
      left join live l on l.team_member_id = c.team_member_id
    )
    select s.team_member_id, s.starts_at, s.ends_at
    from slots s
    where s.starts_at >= v_from and s.starts_at < v_to
      and (s.ranges is null or not s.ranges && tstzrange(s.starts_at - v_buffer_before, s.ends_at + v_buffer_after))
    order by s.starts_at, s.team_member_id;
end
$$;
comment on function public.get_available_slots(uuid, timestamptz, timestamptz, uuid[], timestamptz) is
  'Free slots for a service between p_from and p_to (start times), per team member. Returns one row per slot (team_member_id, starts_at, ends_at), ordered by start then member. p_now fixes "now" for min notice, horizon and holds.';
revoke all on function public.get_available_slots(uuid, timestamptz, timestamptz, uuid[], timestamptz) from public, anon;
grant execute on function public.get_available_slots(uuid, timestamptz, timestamptz, uuid[], timestamptz) to authenticated, service_role;

-- The guide's getAvailability(teamMemberId, date): one day's slots from the cache while it is
-- fresh, otherwise recomputed, stored and returned. Slots too soon (min notice) or held by
-- someone else at p_now are left out.
create or replace function public.get_availability(
  p_team_member_id uuid, p_service_id uuid, p_date date, p_now timestamptz default now()
) returns jsonb
language plpgsql volatile security definer set search_path = '' set jit = off
as $$
declare
  v_tz text := (select time_zone from public.business_settings where id);
begin
  perform private.require_trusted_caller();
  perform private.require_sane_date(p_date, 'the date');
  if not exists (select 1 from public.team_members where id = p_team_member_id) then
    raise exception 'team member % does not exist', p_team_member_id using errcode = 'no_data_found';
  end if;
  return coalesce((
    select jsonb_agg(private.slot_json(s.starts_at, s.ends_at, v_tz) order by s.starts_at)
    from public.get_available_slots(p_service_id, (p_date::timestamp at time zone v_tz),
                                    ((p_date + 1)::timestamp at time zone v_tz), array[p_team_member_id], p_now) s
  ), '[]'::jsonb);
end
$$;
comment on function public.get_availability(uuid, uuid, date, timestamptz) is
  'One team member''s free slots for a service on a business-local date, as the guide''s getAvailability. Returns a JSON array in business-local time: [{"start":"09:00","end":"10:00","available":true}, ...].';
revoke all on function public.get_availability(uuid, uuid, date, timestamptz) from public, anon;
grant execute on function public.get_availability(uuid, uuid, date, timestamptz) to authenticated, service_role;

-- The nightly batch: recompute every (member, service, day) of the window for active members.
create or replace function public.refresh_availability_cache(
  p_from date, p_days int, p_team_member_ids uuid[] default null
) returns integer
language plpgsql volatile security definer set search_path = '' set jit = off
as $$
declare
  v_service record;
  v_members uuid[];
  v_written integer := 0;
begin
  perform private.require_trusted_caller();
  perform private.require_sane_date(p_from, 'the first day');
  if p_from is null or p_days is null or p_days < 1 or p_days > 366 then
    raise exception 'refresh_availability_cache needs a start date and 1 to 366 days' using errcode = 'invalid_parameter_value';
  end if;
  for v_service in select id from public.services where is_active order by id loop
    v_members := private.service_candidates(v_service.id, p_team_member_ids);
    continue when cardinality(v_members) = 0;
    v_written := v_written + private.store_cache_entries(v_service.id, v_members, p_from, p_from + p_days - 1);
  end loop;
  return v_written;
end
$$;
comment on function public.refresh_availability_cache(date, integer, uuid[]) is
  'Recomputes the availability cache for p_days days from p_from (all active, bookable members or the given ones); returns the number of entries written.';
revoke all on function public.refresh_availability_cache(date, integer, uuid[]) from public, anon;
grant execute on function public.refresh_availability_cache(date, integer, uuid[]) to authenticated, service_role;
