-- Keeps the availability cache correct: whatever changes what a team member can take marks the
-- affected (member, service, day) entries stale in the same transaction. Marking = last_synced
-- null and cache_version + 1; the version bump also stops a recomputation that started earlier
-- from storing its (now old) result.

-- Null arguments mean "all": all members, all services, all days. One branch per shape, so each
-- update can use an index (a booking's invalidation runs inside the booking transaction).
create or replace function private.invalidate_cache(
  p_team_member_id uuid, p_service_id uuid, p_first_day date, p_last_day date
) returns void
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_first date := coalesce(p_first_day, '-infinity');
  v_last date := coalesce(p_last_day, 'infinity');
begin
  if p_team_member_id is not null and p_service_id is not null then
    update public.availability_cache c set last_synced = null, cache_version = c.cache_version + 1
    where c.team_member_id = p_team_member_id and c.service_id = p_service_id and c.date between v_first and v_last;
  elsif p_team_member_id is not null then
    update public.availability_cache c set last_synced = null, cache_version = c.cache_version + 1
    where c.team_member_id = p_team_member_id and c.date between v_first and v_last;
  elsif p_service_id is not null then
    update public.availability_cache c set last_synced = null, cache_version = c.cache_version + 1
    where c.service_id = p_service_id and c.date between v_first and v_last;
  else
    update public.availability_cache c set last_synced = null, cache_version = c.cache_version + 1
    where c.date between v_first and v_last;
  end if;
end
$$;

-- Days touched by a time range, in business-local dates.
create or replace function private.invalidate_cache_for_range(p_team_member_id uuid, p_range tstzrange) returns void
language sql volatile security definer set search_path = ''
as $$
  select private.invalidate_cache(p_team_member_id, null, private.local_date(lower(p_range)), private.local_date(upper(p_range)))
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
begin
  execute format($sql$
    update public.availability_cache c
    set last_synced = null, cache_version = c.cache_version + 1
    from (select r.team_member_id, min(private.local_date(lower(r.during))) as first_day,
                 max(private.local_date(upper(r.during))) as last_day
          from (%s) r group by r.team_member_id) x
    where c.team_member_id = x.team_member_id and c.date between x.first_day and x.last_day
  $sql$, v_rows);
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
  perform private.invalidate_cache(null, new.id, null, null);
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
  perform private.invalidate_cache(new.id, null, null, null);
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
