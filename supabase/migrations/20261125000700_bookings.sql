-- Appointments. A booking blocks its team member's time from (start - buffer before) to
-- (end + buffer after); the buffers are copied from the service when the booking is made, so a
-- later change to the service does not move existing bookings' blocked time.
create table if not exists public.bookings (
  id uuid primary key default gen_random_uuid(),
  contact_id uuid not null references public.contacts (id) on delete restrict,
  service_id uuid not null references public.services (id) on delete restrict,
  team_member_id uuid references public.team_members (id) on delete restrict,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  buffer_before_minutes integer not null default 0 check (buffer_before_minutes >= 0),
  buffer_after_minutes integer not null default 0 check (buffer_after_minutes >= 0),
  blocked_during tstzrange,
  status text not null default 'confirmed'
    check (status in ('held', 'confirmed', 'cancelled', 'completed', 'no_show')),
  hold_expires_at timestamptz,
  assigned_strategy text check (assigned_strategy in ('preference', 'availability', 'manual', 'auto')),
  preference_snapshot jsonb check (preference_snapshot is null or jsonb_typeof(preference_snapshot) = 'object'),
  source text not null default 'whatsapp' check (source in ('whatsapp', 'admin', 'api', 'import')),
  external_event_id text,
  cancelled_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint bookings_ends_after_start check (ends_at > starts_at),
  constraint bookings_hold_has_expiry check ((status = 'held') = (hold_expires_at is not null))
);
create index if not exists bookings_team_member_starts_idx on public.bookings (team_member_id, starts_at);
create index if not exists bookings_contact_idx on public.bookings (contact_id, starts_at);
create index if not exists bookings_hold_expiry_idx on public.bookings (hold_expires_at) where status = 'held';

comment on table public.bookings is 'Appointments, held (while a customer decides) or confirmed, with how the team member was chosen.';
comment on column public.bookings.id is 'Booking id (also the hold id while the booking is held).';
comment on column public.bookings.contact_id is 'The customer the appointment is for.';
comment on column public.bookings.service_id is 'The booked service.';
comment on column public.bookings.starts_at is 'Start of the appointment (without buffers).';
comment on column public.bookings.ends_at is 'End of the appointment (without buffers); after starts_at.';
comment on column public.bookings.cancelled_at is 'When the booking was cancelled (set by the database when status becomes cancelled).';
comment on column public.bookings.created_at is 'When the booking (or hold) was made.';
comment on column public.bookings.updated_at is 'When the booking was last changed (set by the database).';
comment on column public.bookings.team_member_id is 'Who the appointment is with (null only for bookings made before team members existed).';
comment on column public.bookings.buffer_before_minutes is 'Buffer before, copied from the service at booking time.';
comment on column public.bookings.buffer_after_minutes is 'Buffer after, copied from the service at booking time.';
comment on column public.bookings.blocked_during is 'Time the team member is unavailable: the appointment widened by its buffers (maintained by the database).';
comment on column public.bookings.status is 'held (offered, expires at hold_expires_at), confirmed, cancelled, completed or no_show.';
comment on column public.bookings.hold_expires_at is 'When a held slot is released if the customer has not confirmed.';
comment on column public.bookings.assigned_strategy is
  'How the team member was chosen: preference (the customer''s), availability (first free), manual (override, e.g. urgent) or auto.';
comment on column public.bookings.preference_snapshot is
  'The customer''s preferences at booking time: preferred_ids, detected_from, last_updated, override_reason, alternatives_offered, customer_statement.';
comment on column public.bookings.source is 'Where the booking came from: whatsapp, admin, api or import.';
comment on column public.bookings.external_event_id is 'Id of the event written to the team member''s calendar (CalDAV, Google, Outlook).';

drop trigger if exists bookings_updated_at on public.bookings;
create trigger bookings_updated_at before update on public.bookings
  for each row execute function private.set_updated_at();

create or replace function private.bookings_set_blocked_during() returns trigger
language plpgsql set search_path = ''
as $$
begin
  if new.ends_at <= new.starts_at then
    raise exception 'a booking must end after it starts (starts_at %, ends_at %)', new.starts_at, new.ends_at
      using errcode = 'check_violation';
  end if;
  new.blocked_during := tstzrange(
    new.starts_at - make_interval(mins => new.buffer_before_minutes),
    new.ends_at + make_interval(mins => new.buffer_after_minutes), '[)');
  if new.status = 'cancelled' and new.cancelled_at is null then
    new.cancelled_at := now();
  end if;
  return new;
end
$$;

drop trigger if exists bookings_set_blocked_during on public.bookings;
create trigger bookings_set_blocked_during before insert or update on public.bookings
  for each row execute function private.bookings_set_blocked_during();

-- Overlap lookups of live bookings per team member use the GiST index of the exclusion
-- constraint bookings_no_overlap (20261125003000_no_double_booking.sql); no index of their own.
