-- One row of settings for the business: time zone, slot grid, holds, caching, sync, scoring
-- weights and the rollout flag. A single typed row reads well in Studio and is checked.
create or replace function private.assert_valid_time_zone(p_zone text) returns boolean
language plpgsql stable set search_path = ''
as $$
begin
  if not exists (select 1 from pg_catalog.pg_timezone_names where name = p_zone) then
    raise exception 'time zone "%" is not a known IANA zone name (for example Europe/Zurich)', p_zone
      using errcode = 'check_violation';
  end if;
  return true;
end
$$;
-- A CHECK constraint runs it as the API user (an admin) who writes the row.
revoke all on function private.assert_valid_time_zone(text) from public, anon;
grant execute on function private.assert_valid_time_zone(text) to authenticated, service_role;

create table if not exists public.business_settings (
  id boolean primary key default true check (id),
  business_name text not null default 'My Business',
  time_zone text not null default 'Europe/Zurich',
  slot_step_minutes integer not null default 15 check (slot_step_minutes between 5 and 240),
  hold_minutes integer not null default 10 check (hold_minutes between 1 and 120),
  cache_max_age_minutes integer not null default 15 check (cache_max_age_minutes between 1 and 1440),
  sync_interval_minutes integer not null default 15 check (sync_interval_minutes between 5 and 1440),
  horizon_days integer not null default 30 check (horizon_days between 1 and 365),
  default_working_hours jsonb not null default '{
    "mon": [{"start": "08:00", "end": "12:00"}, {"start": "13:00", "end": "17:00"}],
    "tue": [{"start": "08:00", "end": "12:00"}, {"start": "13:00", "end": "17:00"}],
    "wed": [{"start": "08:00", "end": "12:00"}, {"start": "13:00", "end": "17:00"}],
    "thu": [{"start": "08:00", "end": "12:00"}, {"start": "13:00", "end": "17:00"}],
    "fri": [{"start": "08:00", "end": "12:00"}, {"start": "13:00", "end": "17:00"}]
  }'::jsonb check (private.assert_valid_working_hours(default_working_hours)),
  weight_preference integer not null default 100,
  weight_primary_provider integer not null default 50,
  weight_slot_within_24h integer not null default 20,
  penalty_per_recent_booking integer not null default 10 check (penalty_per_recent_booking >= 0),
  recent_booking_window_days integer not null default 14 check (recent_booking_window_days between 1 and 365),
  preference_history_threshold integer not null default 3 check (preference_history_threshold between 1 and 100),
  sync_failures_before_unbookable integer not null default 1 check (sync_failures_before_unbookable between 1 and 100),
  require_team_member_assignment boolean not null default false,
  updated_at timestamptz not null default now()
);

comment on table public.business_settings is 'The business''s settings: exactly one row. Edit it in Studio; every value is checked.';
comment on column public.business_settings.id is 'Always true: the primary key that allows only one settings row.';
comment on column public.business_settings.business_name is 'The business''s name, as customers read it in WhatsApp messages.';
comment on column public.business_settings.updated_at is 'When the settings were last changed (set by the database).';
comment on column public.business_settings.time_zone is 'IANA zone in which working hours, days and the nightly jobs are computed.';
comment on column public.business_settings.slot_step_minutes is 'Grid of offered start times, in minutes (15 = :00, :15, :30, :45).';
comment on column public.business_settings.hold_minutes is 'How long an offered slot is held for a customer who is deciding.';
comment on column public.business_settings.cache_max_age_minutes is 'An availability_cache entry older than this is recomputed before use.';
comment on column public.business_settings.sync_interval_minutes is 'How often each team member''s calendar is synced.';
comment on column public.business_settings.horizon_days is 'How far ahead customers can book, and calendars are synced and cached.';
comment on column public.business_settings.default_working_hours is
  'Working hours for team members without their own: {"mon": [{"start": "08:00", "end": "12:00"}, ...]}, days mon..sun, breaks are gaps.';
comment on column public.business_settings.weight_preference is 'Score for a team member the customer prefers (guide: +100).';
comment on column public.business_settings.weight_primary_provider is 'Score for the primary provider of the service (guide: +50).';
comment on column public.business_settings.weight_slot_within_24h is 'Score for a free slot within 24 hours (guide: +20).';
comment on column public.business_settings.penalty_per_recent_booking is 'Points taken off per booking in the recent window, to spread load (guide: -10).';
comment on column public.business_settings.recent_booking_window_days is 'Window of "recent" bookings for the load-balancing penalty.';
comment on column public.business_settings.preference_history_threshold is 'Bookings with the same team member after which they become a remembered preference.';
comment on column public.business_settings.sync_failures_before_unbookable is 'Consecutive calendar sync failures after which a team member is temporarily unbookable.';
comment on column public.business_settings.require_team_member_assignment is
  'Rollout flag: when on, every booking needs a real team member; when off, the General Calendar takes bookings too.';

-- The zone is checked by a trigger, not a CHECK constraint: the list of zone names comes from the
-- server's time-zone data (a STABLE lookup), and a CHECK must only depend on the row, or a
-- restore on a server with other tzdata could reject rows that were valid when written.
alter table public.business_settings drop constraint if exists business_settings_time_zone_check;
create or replace function private.business_settings_check_time_zone() returns trigger
language plpgsql set search_path = ''
as $$
begin
  perform private.assert_valid_time_zone(new.time_zone);
  return new;
end
$$;
revoke all on function private.business_settings_check_time_zone() from public, anon, authenticated;
drop trigger if exists business_settings_check_time_zone on public.business_settings;
create trigger business_settings_check_time_zone before insert or update of time_zone on public.business_settings
  for each row execute function private.business_settings_check_time_zone();

insert into public.business_settings (id) values (true) on conflict (id) do nothing;

drop trigger if exists business_settings_updated_at on public.business_settings;
create trigger business_settings_updated_at before update on public.business_settings
  for each row execute function private.set_updated_at();

-- Settings in one call, for SQL functions.
create or replace function private.settings() returns public.business_settings
language sql stable security definer set search_path = ''
as $$ select * from public.business_settings where id $$;
revoke all on function private.settings() from public, anon, authenticated;
grant execute on function private.settings() to service_role;
