-- Team members (dentists, instructors, therapists), each with their own calendar.
create table if not exists public.team_members (
  id uuid primary key default gen_random_uuid(),
  name varchar(200) not null unique check (length(trim(name)) > 0),
  role varchar(200),
  bio text,
  avatar_url text,
  email text check (email is null or email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
  phone text,
  user_id uuid unique references auth.users (id) on delete set null,
  calendar_provider text check (calendar_provider in ('ical', 'google', 'caldav', 'outlook')),
  calendar_source_url text check (private.assert_calendar_url_has_no_secret(calendar_source_url)),
  calendar_secret_ref varchar(255) check (calendar_secret_ref ~ '^[A-Za-z_][A-Za-z0-9_.-]*$'),
  calendar_secret_configured boolean generated always as (calendar_secret_ref is not null) stored,
  calendar_last_synced timestamptz,
  calendar_sync_status text not null default 'pending'
    check (calendar_sync_status in ('pending', 'active', 'error', 'disabled')),
  calendar_sync_error text,
  next_sync_at timestamptz,
  consecutive_failures integer not null default 0 check (consecutive_failures >= 0),
  is_active boolean not null default true,
  is_bookable boolean not null default false,
  is_general_calendar boolean not null default false,
  default_priority integer not null default 0 check (default_priority between 0 and 10),
  working_hours jsonb check (private.assert_valid_working_hours(working_hours)),
  metadata jsonb not null default '{}'::jsonb check (jsonb_typeof(metadata) = 'object'),
  display_order integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
-- Only one General Calendar.
create unique index if not exists team_members_one_general_calendar
  on public.team_members (is_general_calendar) where is_general_calendar;

comment on table public.team_members is 'People customers are booked with, each with their own calendar. Deactivate (is_active = false) instead of deleting.';
comment on column public.team_members.id is 'Team member id.';
comment on column public.team_members.avatar_url is 'Optional picture of the team member (public URL).';
comment on column public.team_members.created_at is 'When the team member was added.';
comment on column public.team_members.updated_at is 'When the team member was last changed (set by the database).';
comment on column public.team_members.name is 'Unique display name, e.g. "Dr. Sarah Weber".';
comment on column public.team_members.role is 'Job title shown to customers, e.g. "Dentist".';
comment on column public.team_members.bio is 'Public description the bot may quote.';
comment on column public.team_members.email is 'Internal contact.';
comment on column public.team_members.phone is 'Internal contact.';
comment on column public.team_members.user_id is 'Optional login (auth.users) so the team member can see their own bookings.';
comment on column public.team_members.calendar_provider is 'ical (read-only feed), google, caldav or outlook.';
comment on column public.team_members.calendar_source_url is
  'Non-secret calendar address (CalDAV collection, Google calendar id). Secret addresses and credentials go to the Vault with admin_set_calendar_secret().';
comment on column public.team_members.calendar_secret_ref is
  'Name of the Vault secret (or of an edge-function environment variable) holding the calendar secret. Never the secret itself.';
comment on column public.team_members.calendar_secret_configured is 'True when a calendar secret reference is set.';
comment on column public.team_members.calendar_last_synced is 'When the calendar was last synced successfully.';
comment on column public.team_members.calendar_sync_status is 'pending (never synced), active, error (see calendar_sync_error) or disabled.';
comment on column public.team_members.calendar_sync_error is 'Last sync error, with secrets removed.';
comment on column public.team_members.next_sync_at is 'When the calendar is next due for sync (backoff after errors).';
comment on column public.team_members.consecutive_failures is 'Sync failures in a row; reset by a successful sync.';
comment on column public.team_members.is_active is 'Accepting new bookings?';
comment on column public.team_members.is_bookable is
  'Maintained by the database: has a calendar and at least one service, and sync is not failing or disabled.';
comment on column public.team_members.is_general_calendar is
  'The default "General Calendar" kept for backward compatibility; bookable only while require_team_member_assignment is off.';
comment on column public.team_members.default_priority is 'Preference (0-10) when several team members could take a booking.';
comment on column public.team_members.working_hours is
  'Own working hours, else the business default: {"mon": [{"start": "08:00", "end": "12:00"}, ...]}.';
comment on column public.team_members.metadata is 'Certifications, specialties, anything else (JSON object).';
comment on column public.team_members.display_order is 'Order in lists.';

drop trigger if exists team_members_updated_at on public.team_members;
create trigger team_members_updated_at before update on public.team_members
  for each row execute function private.set_updated_at();

-- Deleting someone with bookings would erase history; deactivating keeps it.
create or replace function private.refuse_team_member_delete_with_bookings() returns trigger
language plpgsql set search_path = ''
as $$
declare
  v_count bigint;
begin
  select count(*) into v_count from public.bookings where team_member_id = old.id;
  if v_count > 0 then
    raise exception 'team member "%" has % booking(s) and cannot be deleted', old.name, v_count
      using errcode = 'foreign_key_violation',
            hint = 'Deactivate instead: update team_members set is_active = false where id = ''' || old.id || '''';
  end if;
  return old;
end
$$;

drop trigger if exists team_members_refuse_delete_with_bookings on public.team_members;
create trigger team_members_refuse_delete_with_bookings before delete on public.team_members
  for each row execute function private.refuse_team_member_delete_with_bookings();
