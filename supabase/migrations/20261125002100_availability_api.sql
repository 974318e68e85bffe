-- Reading availability: the cache first, computing what is missing or stale; then what depends on
-- "now" (min notice, horizon, live holds), and a last check against bookings so that a booked
-- slot is never offered, whatever the cache says.

-- The business-local date of an instant.
create or replace function private.local_date(p_at timestamptz) returns date
language sql stable security definer set search_path = ''
as $$ select (p_at at time zone (select time_zone from public.business_settings where id))::date $$;

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

-- Computes and stores the cache entries (member, service, day) of some members over some days;
-- returns how many were written. An entry is replaced only if nobody invalidated it meanwhile
-- (cache_version unchanged since it was read), so a concurrent booking's invalidation is never
-- overwritten by an older computation.
create or replace function private.store_cache_entries(
  p_service_id uuid, p_team_member_ids uuid[], p_first_day date, p_last_day date
) returns integer
language plpgsql volatile security definer set search_path = '' set jit = off
as $$
declare
  v_tz text := (select time_zone from public.business_settings where id);
  v_written integer;
begin
  with per_day as (
    select s.team_member_id, s.day,
           jsonb_agg(private.slot_json(s.starts_at, s.ends_at, v_tz) order by s.starts_at) as slots
    from private.compute_slots(p_service_id, p_team_member_ids, p_first_day, p_last_day) s
    group by s.team_member_id, s.day
  )
  insert into public.availability_cache as c (team_member_id, service_id, date, time_slots, last_synced, cache_version)
  select k.member, p_service_id, d::date, coalesce(p.slots, '[]'::jsonb), now(), coalesce(old.cache_version, 0) + 1
  from unnest(p_team_member_ids) k(member)
  cross join generate_series(p_first_day::timestamp, p_last_day::timestamp, interval '1 day') d
  left join per_day p on p.team_member_id = k.member and p.day = d::date
  left join public.availability_cache old
    on old.team_member_id = k.member and old.service_id = p_service_id and old.date = d::date
  order by 1, 3
  on conflict (team_member_id, service_id, date) do update
    set time_slots = excluded.time_slots, last_synced = excluded.last_synced, cache_version = excluded.cache_version
    where c.cache_version = excluded.cache_version - 1;
  get diagnostics v_written = row_count;
  return v_written;
end
$$;
revoke all on function private.store_cache_entries(uuid, uuid[], date, date) from public, anon, authenticated;

-- Recomputes and stores the cache entries (member, service, day) that are missing or older than
-- the cache max age; returns how many members had such entries. If a concurrent invalidation
-- kept a recomputation from being stored, the caller simply asks again.
create or replace function private.refresh_stale_cache(
  p_service_id uuid, p_team_member_ids uuid[], p_first_day date, p_last_day date
) returns integer
language plpgsql volatile security definer set search_path = '' set jit = off
as $$
declare
  v_max_age interval := make_interval(mins => (select cache_max_age_minutes from public.business_settings where id));
  v_stale uuid[];
begin
  -- Members with at least one day not fresh in the cache (one range scan of the lookup index).
  select coalesce(array_agg(k.member), '{}') into v_stale
  from unnest(p_team_member_ids) k(member)
  where k.member not in (
    select c.team_member_id from public.availability_cache c
    where c.service_id = p_service_id and c.date between p_first_day and p_last_day
      and c.last_synced > now() - v_max_age
    group by c.team_member_id
    having count(*) = p_last_day - p_first_day + 1);
  if cardinality(v_stale) = 0 then
    return 0;
  end if;

  perform private.store_cache_entries(p_service_id, v_stale, p_first_day, p_last_day);
  return cardinality(v_stale);
end
$$;
revoke all on function private.refresh_stale_cache(uuid, uuid[], date, date) from public, anon, authenticated;

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
begin
  perform private.require_trusted_caller();
  select * into v_service from public.services where id = p_service_id;
  if v_service.id is null then
    raise exception 'service % does not exist', p_service_id using errcode = 'no_data_found';
  end if;
  if p_from is null or p_to is null or p_to <= p_from then
    raise exception 'the time window must end after it starts' using errcode = 'invalid_parameter_value';
  end if;
  if not v_service.is_active then
    return;
  end if;

  v_from := greatest(p_from, p_now + make_interval(mins => v_service.min_notice_minutes));
  v_to := least(p_to, p_now + make_interval(days => v_settings.horizon_days));
  v_members := private.service_candidates(p_service_id, p_team_member_ids);
  if v_from >= v_to or cardinality(v_members) = 0 then
    return;
  end if;

  v_buffer_before := make_interval(mins => v_service.buffer_before_minutes);
  v_buffer_after := make_interval(mins => v_service.buffer_after_minutes);
  v_first_day := (v_from at time zone v_settings.time_zone)::date;
  v_last_day := (v_to at time zone v_settings.time_zone)::date;
  -- Bring the cache up to date; asked again if a concurrent change invalidated what was stored.
  for v_attempt in 1..3 loop
    exit when private.refresh_stale_cache(p_service_id, v_members, v_first_day, v_last_day) = 0;
  end loop;

  -- Fresh cache entries, then what depends on p_now. Live bookings (confirmed, or held and not
  -- expired) form one multirange per member: a slot is checked with one binary search.
  return query
    with live as (
      select b.team_member_id, range_agg(b.blocked_during) as ranges
      from public.bookings b
      where b.team_member_id = any (v_members)
        and (b.status = 'confirmed' or (b.status = 'held' and b.hold_expires_at > p_now))
        and b.blocked_during && tstzrange(v_from - interval '1 day', v_to + interval '1 day')
      group by b.team_member_id
    ),
    cached as (
      select c.team_member_id, (e ->> 'starts_at')::timestamptz as starts_at, (e ->> 'ends_at')::timestamptz as ends_at
      from public.availability_cache c
      cross join lateral jsonb_array_elements(c.time_slots) e
      where c.service_id = p_service_id and c.team_member_id = any (v_members)
        and c.date between v_first_day and v_last_day and c.last_synced is not null
    )
    select s.team_member_id, s.starts_at, s.ends_at
    from cached s
    left join live l on l.team_member_id = s.team_member_id
    where s.starts_at >= v_from and s.starts_at < v_to
      and (l.ranges is null
           or not l.ranges && tstzrange(s.starts_at - v_buffer_before, s.ends_at + v_buffer_after))
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
