-- Keeps the availability cache correct without ever writing a cache row from a change: whatever
-- changes what a team member can take bumps a version counter in the same transaction, and a
-- cache entry is used only while its cache_version equals the sum of the counters that cover it
-- (everything, its service, its team member, its member's day). A reader that computed an entry
-- before a change committed stored the old sum, so the entry is seen as stale as soon as the
-- change is visible, whichever transaction commits first; nothing a reader wrote can hide a
-- committed change. Changes never touch cache rows, so readers (which write them) and bookings
-- (which bump counters) never wait for each other.

create table if not exists private.availability_versions (
  scope uuid primary key,
  version integer not null default 0
);
comment on table private.availability_versions is
  'Availability version counters per scope: the nil uuid for everything (settings, closures), a service id, a team member id.';
comment on column private.availability_versions.scope is 'Nil uuid = everything; otherwise a service or team member id.';
comment on column private.availability_versions.version is 'Bumped by every change that can change availability in the scope.';

create table if not exists private.availability_day_versions (
  team_member_id uuid not null,
  date date not null,
  version integer not null default 0,
  primary key (team_member_id, date)
);
comment on table private.availability_day_versions is
  'Availability version counters per team member and business-local day (busy times, bookings, absences).';
comment on column private.availability_day_versions.team_member_id is 'The team member.';
comment on column private.availability_day_versions.date is 'Business-local date of the cache entries affected.';
comment on column private.availability_day_versions.version is 'Bumped by every change of that member''s availability on that day.';

-- The version a cache entry (member, service, day) must carry to be current.
create or replace function private.availability_version(p_team_member_id uuid, p_service_id uuid, p_date date)
returns integer
language sql stable security definer set search_path = ''
as $$
  select coalesce((select v.version from private.availability_versions v where v.scope = '00000000-0000-0000-0000-000000000000'), 0)
       + coalesce((select v.version from private.availability_versions v where v.scope = p_service_id), 0)
       + coalesce((select v.version from private.availability_versions v where v.scope = p_team_member_id), 0)
       + coalesce((select d.version from private.availability_day_versions d
                   where d.team_member_id = p_team_member_id and d.date = p_date), 0)
$$;
comment on function private.availability_version(uuid, uuid, date) is
  'The version a cache entry must carry to be current: the sum of the counters that cover it.';

-- Is the cache entry current (computed from today's data and younger than the cache max age)?
create or replace function private.cache_entry_is_current(p_team_member_id uuid, p_service_id uuid, p_date date)
returns boolean
language sql stable security definer set search_path = ''
as $$
  select coalesce((
    select c.last_synced is not null
       and c.last_synced > now() - make_interval(mins => (select cache_max_age_minutes from public.business_settings where id))
       and c.cache_version = private.availability_version(p_team_member_id, p_service_id, p_date)
    from public.availability_cache c
    where c.team_member_id = p_team_member_id and c.service_id = p_service_id and c.date = p_date), false)
$$;
comment on function private.cache_entry_is_current(uuid, uuid, date) is
  'True when the cache entry exists, is younger than the cache max age and no change was made since it was computed.';

-- Bumps scope counters (in id order, so concurrent bumpers queue instead of deadlocking).
create or replace function private.bump_availability_versions(p_scopes uuid[]) returns void
language sql volatile security definer set search_path = ''
as $$
  insert into private.availability_versions as v (scope, version)
  select distinct s, 1 from unnest(p_scopes) s where s is not null order by 1
  on conflict (scope) do update set version = v.version + 1
$$;

-- Bumps one member's day counters for a change on [first, last], widened by a day each side: a
-- slot that starts the day before can run into the change (long appointment, across midnight)
-- and one that starts the day after can reach back (buffer before). A change spanning more
-- than 400 days (or an open end) bumps the member's own counter instead.
create or replace function private.bump_day_versions(p_team_member_id uuid, p_first_day date, p_last_day date)
returns void
language plpgsql volatile security definer set search_path = ''
as $$
begin
  if p_team_member_id is null then
    return;
  end if;
  if p_first_day is null or p_last_day is null or not isfinite(p_first_day) or not isfinite(p_last_day)
     or p_last_day - p_first_day > 400 then
    perform private.bump_availability_versions(array[p_team_member_id]);
    return;
  end if;
  insert into private.availability_day_versions as v (team_member_id, date, version)
  select p_team_member_id, d::date, 1
  from generate_series((least(p_first_day, p_last_day) - 1)::timestamp, (greatest(p_first_day, p_last_day) + 1)::timestamp,
                       interval '1 day') d
  order by 2
  on conflict (team_member_id, date) do update set version = v.version + 1;
end
$$;

-- Kept for callers of the first version: marks entries stale by bumping the counters that
-- cover them. Null arguments mean "all".
create or replace function private.invalidate_cache(
  p_team_member_id uuid, p_service_id uuid, p_first_day date, p_last_day date
) returns void
language plpgsql volatile security definer set search_path = ''
as $$
begin
  if p_team_member_id is not null and (p_first_day is not null or p_last_day is not null) then
    perform private.bump_day_versions(p_team_member_id, p_first_day, p_last_day);
  elsif p_team_member_id is not null then
    perform private.bump_availability_versions(array[p_team_member_id]);
  elsif p_service_id is not null then
    perform private.bump_availability_versions(array[p_service_id]);
  else
    perform private.bump_availability_versions(array['00000000-0000-0000-0000-000000000000'::uuid]);
  end if;
end
$$;

-- Days touched by a time range, in business-local dates.
create or replace function private.invalidate_cache_for_range(p_team_member_id uuid, p_range tstzrange) returns void
language sql volatile security definer set search_path = ''
as $$
  select private.bump_day_versions(p_team_member_id, private.local_date(lower(p_range)), private.local_date(upper(p_range)))
$$;

-- Bookings: confirmed ones are in the cache; holds are applied when slots are read, so a hold
-- alone does not invalidate anything.
create or replace function private.bookings_invalidate_cache() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  if tg_op in ('UPDATE', 'DELETE') and old.status = 'confirmed' and old.team_member_id is not null then
    perform private.invalidate_cache_for_range(old.team_member_id, old.blocked_during);
  end if;
  if tg_op in ('INSERT', 'UPDATE') and new.status = 'confirmed' and new.team_member_id is not null then
    perform private.invalidate_cache_for_range(new.team_member_id, new.blocked_during);
  end if;
  return null;
end
$$;
-- Only updates of what decides the blocked time: writing the calendar event's address back
-- (external_event_id) or updated_at must not throw the member's cache away.
drop trigger if exists bookings_invalidate_cache on public.bookings;
create trigger bookings_invalidate_cache
  after insert or delete or update of status, team_member_id, starts_at, ends_at, buffer_before_minutes, buffer_after_minutes
  on public.bookings
  for each row execute function private.bookings_invalidate_cache();

-- Busy times change in bulk (a sync replaces a member's window), so per statement, through the
-- transition tables (dynamic SQL, because each event has its own).
create or replace function private.busy_times_invalidate_cache() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  v_rows text := case tg_op
    when 'INSERT' then 'select team_member_id, during from new_rows'
    when 'DELETE' then 'select team_member_id, during from old_rows'
    else 'select team_member_id, during from new_rows union all select team_member_id, during from old_rows' end;
  v_member uuid;
  v_first_day date;
  v_last_day date;
begin
  -- Per member in id order after taking the members' calendar turns (the lock bookers take), so a
  -- sync and a booking of one member queue instead of bumping counters in opposite orders.
  for v_member, v_first_day, v_last_day in execute format($sql$
    select r.team_member_id, min(private.local_date(lower(r.during))) as first_day,
           max(private.local_date(upper(r.during))) as last_day
    from (%s) r where r.team_member_id is not null group by r.team_member_id order by r.team_member_id
  $sql$, v_rows) loop
    perform private.lock_calendars(array[v_member]);
    perform private.bump_day_versions(v_member, v_first_day, v_last_day);
  end loop;
  return null;
end
$$;
drop trigger if exists busy_times_invalidate_cache_insert on public.calendar_busy_times;
create trigger busy_times_invalidate_cache_insert after insert on public.calendar_busy_times
  referencing new table as new_rows for each statement execute function private.busy_times_invalidate_cache();
drop trigger if exists busy_times_invalidate_cache_update on public.calendar_busy_times;
create trigger busy_times_invalidate_cache_update after update on public.calendar_busy_times
  referencing old table as old_rows new table as new_rows for each statement execute function private.busy_times_invalidate_cache();
drop trigger if exists busy_times_invalidate_cache_delete on public.calendar_busy_times;
create trigger busy_times_invalidate_cache_delete after delete on public.calendar_busy_times
  referencing old table as old_rows for each statement execute function private.busy_times_invalidate_cache();

create or replace function private.absences_invalidate_cache() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then
    perform private.invalidate_cache(old.team_member_id, null, old.starts_on, old.ends_on);
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    perform private.invalidate_cache(new.team_member_id, null, new.starts_on, new.ends_on);
  end if;
  return null;
end
$$;
drop trigger if exists absences_invalidate_cache on public.team_member_absences;
create trigger absences_invalidate_cache after insert or update or delete on public.team_member_absences
  for each row execute function private.absences_invalidate_cache();

create or replace function private.closures_invalidate_cache() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then
    perform private.invalidate_cache(null, null, old.starts_on, old.ends_on);
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    perform private.invalidate_cache(null, null, new.starts_on, new.ends_on);
  end if;
  return null;
end
$$;
drop trigger if exists closures_invalidate_cache on public.business_closures;
create trigger closures_invalidate_cache after insert or update or delete on public.business_closures
  for each row execute function private.closures_invalidate_cache();

create or replace function private.service_links_invalidate_cache() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then
    perform private.invalidate_cache(old.team_member_id, old.service_id, null, null);
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    perform private.invalidate_cache(new.team_member_id, new.service_id, null, null);
  end if;
  return null;
end
$$;
drop trigger if exists service_links_invalidate_cache on public.team_member_services;
create trigger service_links_invalidate_cache after insert or update or delete on public.team_member_services
  for each row execute function private.service_links_invalidate_cache();

create or replace function private.services_invalidate_cache() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  perform private.bump_availability_versions(array[new.id]);
  return null;
end
$$;
drop trigger if exists services_invalidate_cache on public.services;
create trigger services_invalidate_cache
  after update of duration_minutes, buffer_before_minutes, buffer_after_minutes, is_active on public.services
  for each row execute function private.services_invalidate_cache();

create or replace function private.team_members_invalidate_cache() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  perform private.bump_availability_versions(array[new.id]);
  return null;
end
$$;
drop trigger if exists team_members_invalidate_cache on public.team_members;
create trigger team_members_invalidate_cache
  after update of working_hours, is_active, is_bookable on public.team_members
  for each row
  when (old.working_hours is distinct from new.working_hours or old.is_active is distinct from new.is_active
        or old.is_bookable is distinct from new.is_bookable)
  execute function private.team_members_invalidate_cache();

create or replace function private.settings_invalidate_cache() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  perform private.invalidate_cache(null, null, null, null);
  return null;
end
$$;
drop trigger if exists settings_invalidate_cache on public.business_settings;
create trigger settings_invalidate_cache
  after update of time_zone, slot_step_minutes, default_working_hours on public.business_settings
  for each row
  when (old.time_zone is distinct from new.time_zone or old.slot_step_minutes is distinct from new.slot_step_minutes
        or old.default_working_hours is distinct from new.default_working_hours)
  execute function private.settings_invalidate_cache();

revoke all on table private.availability_versions, private.availability_day_versions from public, anon, authenticated;
grant select on table private.availability_versions, private.availability_day_versions to service_role;
revoke all on function private.availability_version(uuid, uuid, date), private.cache_entry_is_current(uuid, uuid, date),
  private.bump_availability_versions(uuid[]), private.bump_day_versions(uuid, date, date),
  private.invalidate_cache(uuid, uuid, date, date), private.invalidate_cache_for_range(uuid, tstzrange)
  from public, anon, authenticated;
grant execute on function private.cache_entry_is_current(uuid, uuid, date) to service_role;
comment on function private.bump_availability_versions(uuid[]) is
  'Marks every cache entry of the given scopes (nil uuid = everything, a service, a team member) stale.';
comment on function private.bump_day_versions(uuid, date, date) is
  'Marks a team member''s cache entries of [first, last] (and a day each side) stale.';
comment on function private.invalidate_cache(uuid, uuid, date, date) is
  'Marks cache entries stale by member, service and days (null = all), through the version counters.';
comment on function private.invalidate_cache_for_range(uuid, tstzrange) is
  'Marks a team member''s cache entries of the business-local days a time range touches stale.';
