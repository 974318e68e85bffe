-- Busy intervals read from team members' calendars, one row per interval. Only the time is kept:
-- titles, descriptions and attendees of staff's private events are never stored.
create table if not exists public.calendar_busy_times (
  id bigint generated always as identity primary key,
  team_member_id uuid not null references public.team_members (id) on delete cascade,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  during tstzrange generated always as (tstzrange(starts_at, ends_at, '[)')) stored,
  source_uid text,
  recurrence_id text,
  synced_at timestamptz not null default now(),
  constraint calendar_busy_times_ends_after_start check (ends_at > starts_at)
);
create index if not exists calendar_busy_times_member_during_idx
  on public.calendar_busy_times using gist (team_member_id, during);

comment on table public.calendar_busy_times is 'Busy times from team members'' calendars (time only; no titles or attendees).';
comment on column public.calendar_busy_times.id is 'Busy time id.';
comment on column public.calendar_busy_times.team_member_id is 'Whose calendar the busy time comes from.';
comment on column public.calendar_busy_times.starts_at is 'Start of the busy time.';
comment on column public.calendar_busy_times.ends_at is 'End of the busy time; after starts_at.';
comment on column public.calendar_busy_times.during is 'starts_at to ends_at as a range (generated), for overlap checks.';
comment on column public.calendar_busy_times.source_uid is 'UID of the calendar event, to trace a busy time back to its source.';
comment on column public.calendar_busy_times.recurrence_id is 'Which instance of a recurring event (RECURRENCE-ID), when it is one.';
comment on column public.calendar_busy_times.synced_at is 'When the sync that wrote this row ran.';
