-- is_bookable is derived, never typed: a team member is bookable when they have a calendar that
-- was read in full at least once since it was set (calendar_last_synced; a new calendar resets
-- it), at least one service, and their calendar sync is neither disabled nor failing (after
-- business_settings.sync_failures_before_unbookable failures in a row). The General Calendar is
-- bookable exactly while require_team_member_assignment is off.
create or replace function private.compute_is_bookable(m public.team_members) returns boolean
language sql stable security definer set search_path = ''
as $$
  select case
    when m.is_general_calendar then not s.require_team_member_assignment
    else m.calendar_provider is not null
      and (m.calendar_secret_ref is not null or m.calendar_source_url is not null)
      and m.calendar_last_synced is not null
      and exists (select 1 from public.team_member_services tms where tms.team_member_id = m.id)
      and m.calendar_sync_status <> 'disabled'
      and not (m.calendar_sync_status = 'error'
               and greatest(m.consecutive_failures, 1) >= s.sync_failures_before_unbookable)
  end
  from public.business_settings s
  where s.id
$$;

create or replace function private.team_members_set_bookable() returns trigger
language plpgsql set search_path = ''
as $$
begin
  new.is_bookable := coalesce(private.compute_is_bookable(new), false);
  return new;
end
$$;

drop trigger if exists team_members_set_bookable on public.team_members;
create trigger team_members_set_bookable before insert or update on public.team_members
  for each row execute function private.team_members_set_bookable();

-- Re-derives is_bookable for some team members (all when p_ids is null).
create or replace function private.refresh_bookable(p_ids uuid[] default null) returns void
language sql security definer set search_path = ''
as $$
  update public.team_members m
  set is_bookable = coalesce(private.compute_is_bookable(m), false)
  where (p_ids is null or m.id = any (p_ids))
    and m.is_bookable is distinct from coalesce(private.compute_is_bookable(m), false)
$$;

create or replace function private.team_member_services_refresh_bookable() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  perform private.refresh_bookable(array(
    select x from unnest(array[
      case when tg_op <> 'INSERT' then old.team_member_id end,
      case when tg_op <> 'DELETE' then new.team_member_id end]) x
    where x is not null));
  return null;
end
$$;

drop trigger if exists team_member_services_refresh_bookable on public.team_member_services;
create trigger team_member_services_refresh_bookable
  after insert or update or delete on public.team_member_services
  for each row execute function private.team_member_services_refresh_bookable();

create or replace function private.business_settings_refresh_bookable() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  perform private.refresh_bookable(null);
  return null;
end
$$;

drop trigger if exists business_settings_refresh_bookable on public.business_settings;
create trigger business_settings_refresh_bookable
  after update of require_team_member_assignment, sync_failures_before_unbookable on public.business_settings
  for each row execute function private.business_settings_refresh_bookable();
