-- Recording what the success metrics need (guide, "Success Metrics"), written where it happens:
--   calendar_sync_attempts   every calendar sync attempt (record_sync_success / record_sync_failure)
--   conversation_timings     first customer message of a conversation -> the confirmed booking
--   availability_query_log   how long each availability question took, as the bot saw it
--   booking_ratings          the customer's rating after an appointment
-- Admins read them in Studio (RLS: admins only); the metrics views (next migration) summarise them.

-- Settings the metrics and notifications use, in the one settings row.
alter table public.business_settings
  add column if not exists secret_max_age_days integer not null default 90 check (secret_max_age_days between 1 and 3650),
  add column if not exists alert_mail_delay_minutes integer not null default 3 check (alert_mail_delay_minutes between 0 and 120),
  add column if not exists utilisation_tolerance_percent integer not null default 25
    check (utilisation_tolerance_percent between 1 and 100);
comment on column public.business_settings.secret_max_age_days is
  'A calendar secret (Vault) not rotated for this many days raises one "rotate" admin alert (guide: rotate quarterly).';
comment on column public.business_settings.alert_mail_delay_minutes is
  'Admin alerts are mailed once the oldest unmailed one is this old, so alerts within these minutes share one mail.';
comment on column public.business_settings.utilisation_tolerance_percent is
  'metrics_utilisation flags a team member overloaded (under-used) when their share of booked time exceeds (falls short of) their share of bookable time by more than this percent.';

-- ---------------------------------------------------------------------------------------------
-- Calendar sync attempts
create table if not exists public.calendar_sync_attempts (
  id bigint generated always as identity primary key,
  team_member_id uuid not null references public.team_members (id) on delete cascade,
  provider text,
  started_at timestamptz not null,
  finished_at timestamptz not null,
  duration_ms integer check (duration_ms >= 0),
  outcome text not null check (outcome in ('synced', 'unchanged', 'failed')),
  error_class text check (error_class in ('timeout', 'unauthorized', 'not_found', 'too_large', 'invalid_feed',
                                          'unreachable', 'server_error', 'configuration', 'other')),
  events_read integer check (events_read >= 0),
  failing_since timestamptz,
  recovery_seconds integer check (recovery_seconds >= 0),
  constraint calendar_sync_attempts_finished_after_start check (finished_at >= started_at),
  constraint calendar_sync_attempts_error_only_on_failure check ((outcome = 'failed') = (error_class is not null))
);
create index if not exists calendar_sync_attempts_member_finished_idx
  on public.calendar_sync_attempts (team_member_id, finished_at);
create index if not exists calendar_sync_attempts_finished_idx on public.calendar_sync_attempts (finished_at);
comment on table public.calendar_sync_attempts is
  'Every calendar sync attempt (one row each): who, provider, when, how long, outcome, error class, events read. Never the calendar address or secret.';
comment on column public.calendar_sync_attempts.id is 'Attempt number (increasing).';
comment on column public.calendar_sync_attempts.team_member_id is 'Whose calendar was synced.';
comment on column public.calendar_sync_attempts.provider is 'The team member''s calendar provider at the time (ical, caldav, google, outlook).';
comment on column public.calendar_sync_attempts.started_at is 'When the attempt started (finished_at minus its duration).';
comment on column public.calendar_sync_attempts.finished_at is 'When the outcome was recorded.';
comment on column public.calendar_sync_attempts.duration_ms is 'How long the fetch and parse took, in milliseconds.';
comment on column public.calendar_sync_attempts.outcome is 'synced (busy times replaced), unchanged (HTTP 304) or failed.';
comment on column public.calendar_sync_attempts.error_class is
  'For failures, the kind of error: timeout, unauthorized, not_found, too_large, invalid_feed, unreachable, server_error, configuration or other.';
comment on column public.calendar_sync_attempts.events_read is 'Busy intervals stored by a successful sync (null when the feed was unchanged or the sync failed).';
comment on column public.calendar_sync_attempts.failing_since is 'For failures: when the current run of failures began.';
comment on column public.calendar_sync_attempts.recovery_seconds is
  'For the first success after failures: seconds from the first failure of that run to this success (time to recovery).';

-- The kind of a sync error, from the (already scrubbed) message the calendar-sync function wrote.
create or replace function private.sync_error_class(p_message text) returns text
language sql immutable set search_path = ''
as $$
  select case
    when p_message ~* 'did not answer|timed? ?out' then 'timeout'
    when p_message ~* 'refused the credentials|HTTP 40[13]\M' then 'unauthorized'
    when p_message ~* 'no longer valid|HTTP 4(04|10)\M' then 'not_found'
    when p_message ~* 'larger than' then 'too_large'
    when p_message ~* 'not an iCalendar|could not be read|malformed|parse' then 'invalid_feed'
    when p_message ~* 'could not be reached' then 'unreachable'
    when p_message ~* 'HTTP 5[0-9][0-9]|server error' then 'server_error'
    when p_message ~* 'address|configured|provider|not supported|redirect|secret' then 'configuration'
    else 'other'
  end
$$;
comment on function private.sync_error_class(text) is 'Classifies a calendar sync error message (timeout, unauthorized, not_found, ...).';

-- Called from record_sync_success / record_sync_failure (calendar sync migration), in the same
-- transaction. Keeps the run of failures on the rows themselves, so time to recovery is a plain
-- aggregate later (no scan of the history).
create or replace function private.record_sync_attempt(
  p_team_member_id uuid, p_outcome text, p_error text, p_duration_ms integer, p_events integer, p_now timestamptz
) returns void
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_previous public.calendar_sync_attempts;
  v_started timestamptz := p_now - make_interval(secs => greatest(coalesce(p_duration_ms, 0), 0) / 1000.0);
  v_failing_since timestamptz;
begin
  select * into v_previous from public.calendar_sync_attempts
  where team_member_id = p_team_member_id order by finished_at desc, id desc limit 1;
  if p_outcome = 'failed' then
    v_failing_since := case when v_previous.outcome = 'failed' then v_previous.failing_since else v_started end;
  end if;
  insert into public.calendar_sync_attempts (team_member_id, provider, started_at, finished_at, duration_ms, outcome,
                                             error_class, events_read, failing_since, recovery_seconds)
  values (p_team_member_id, (select calendar_provider from public.team_members where id = p_team_member_id),
          v_started, p_now, greatest(p_duration_ms, 0), p_outcome,
          case when p_outcome = 'failed' then private.sync_error_class(p_error) end,
          case when p_outcome = 'synced' then greatest(p_events, 0) end,
          v_failing_since,
          case when p_outcome <> 'failed' and v_previous.outcome = 'failed'
               then greatest(extract(epoch from p_now - v_previous.failing_since), 0)::int end);
end
$$;
comment on function private.record_sync_attempt(uuid, text, text, integer, integer, timestamptz) is
  'Records one calendar sync attempt (called by record_sync_success and record_sync_failure).';
revoke all on function private.record_sync_attempt(uuid, text, text, integer, integer, timestamptz),
  private.sync_error_class(text) from public, anon, authenticated;

-- ---------------------------------------------------------------------------------------------
-- Conversation timings: how long from a customer's first message to the confirmed booking.
create table if not exists public.conversation_timings (
  id bigint generated always as identity primary key,
  contact_id uuid not null references public.contacts (id) on delete cascade,
  started_at timestamptz not null,
  last_message_at timestamptz not null,
  booking_id uuid unique references public.bookings (id) on delete set null,
  booked_at timestamptz,
  constraint conversation_timings_booked_after_start check (booked_at is null or booked_at >= started_at),
  constraint conversation_timings_last_after_start check (last_message_at >= started_at)
);
create index if not exists conversation_timings_contact_idx on public.conversation_timings (contact_id, started_at desc);
create index if not exists conversation_timings_booked_idx on public.conversation_timings (booked_at) where booked_at is not null;
comment on table public.conversation_timings is
  'One row per booking conversation: its first customer message and, once booked, the confirmed booking (booking time = booked_at - started_at).';
comment on column public.conversation_timings.id is 'Conversation number (increasing).';
comment on column public.conversation_timings.contact_id is 'The customer.';
comment on column public.conversation_timings.started_at is 'The customer''s first message of this conversation.';
comment on column public.conversation_timings.last_message_at is 'The customer''s latest message (a conversation idle for 24 hours is over).';
comment on column public.conversation_timings.booking_id is 'The confirmed booking the conversation ended with (set by a trigger on bookings).';
comment on column public.conversation_timings.booked_at is 'When that booking was confirmed.';

-- For the conversation (service role): call on every inbound customer message. Opens a
-- conversation unless one is open (not booked, last message within 24 hours). Returns its id.
create or replace function private.record_conversation_message(p_contact_id uuid, p_at timestamptz default now())
returns bigint
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_id bigint;
begin
  if p_at is null or not isfinite(p_at) then
    raise exception 'invalid_request: a finite message time is needed' using errcode = 'BK004';
  end if;
  update public.conversation_timings t set last_message_at = greatest(t.last_message_at, p_at)
  where t.id = (select id from public.conversation_timings
                where contact_id = p_contact_id and booked_at is null
                  and last_message_at >= p_at - interval '24 hours' and started_at <= p_at
                order by started_at desc limit 1)
  returning t.id into v_id;
  if v_id is null then
    insert into public.conversation_timings (contact_id, started_at, last_message_at)
    values (p_contact_id, p_at, p_at) returning id into v_id;
  end if;
  return v_id;
end
$$;
comment on function private.record_conversation_message(uuid, timestamptz) is
  'For the WhatsApp conversation: call on each inbound customer message; opens or continues the customer''s booking conversation (booking-time metric). Returns the conversation''s id.';

-- A confirmed WhatsApp booking (not a reschedule) closes the customer's open conversation.
create or replace function private.bookings_close_conversation_timing() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  update public.conversation_timings t set booking_id = new.id, booked_at = new.created_at
  where t.id = (select id from public.conversation_timings
                where contact_id = new.contact_id and booked_at is null and started_at <= new.created_at
                  and last_message_at >= new.created_at - interval '24 hours'
                order by started_at desc limit 1);
  return null;
end
$$;
comment on function private.bookings_close_conversation_timing() is
  'Trigger: a confirmed WhatsApp booking (not a reschedule) ends the customer''s open booking conversation.';
drop trigger if exists bookings_close_conversation_timing on public.bookings;
create trigger bookings_close_conversation_timing after insert on public.bookings
  for each row when (new.status = 'confirmed' and new.source = 'whatsapp' and new.rescheduled_from_id is null)
  execute function private.bookings_close_conversation_timing();

-- ---------------------------------------------------------------------------------------------
-- Availability query times as the bot saw them.
create table if not exists public.availability_query_log (
  id bigint generated always as identity primary key,
  queried_at timestamptz not null,
  contact_id uuid references public.contacts (id) on delete set null,
  service_id uuid references public.services (id) on delete set null,
  duration_ms numeric(12, 3) not null check (duration_ms >= 0 and duration_ms < 3600000),
  slots_returned integer check (slots_returned >= 0)
);
create index if not exists availability_query_log_queried_idx on public.availability_query_log (queried_at);
create index if not exists availability_query_log_contact_idx on public.availability_query_log (contact_id);
create index if not exists availability_query_log_service_idx on public.availability_query_log (service_id);
comment on table public.availability_query_log is 'One row per availability question the bot asked (booking_options and the like): how long it took.';
comment on column public.availability_query_log.id is 'Query number (increasing).';
comment on column public.availability_query_log.contact_id is 'The customer who asked, if known.';
comment on column public.availability_query_log.service_id is 'The service asked about, if known.';
comment on column public.availability_query_log.queried_at is 'When the question was asked.';
comment on column public.availability_query_log.duration_ms is 'How long the answer took, in milliseconds, measured by the caller.';
comment on column public.availability_query_log.slots_returned is 'How many options or slots the answer had.';

create or replace function private.record_availability_query(
  p_duration_ms numeric, p_slots integer default null, p_contact_id uuid default null, p_service_id uuid default null,
  p_at timestamptz default now()
) returns void
language plpgsql volatile security definer set search_path = ''
as $$
begin
  if p_duration_ms is null or p_duration_ms < 0 or p_duration_ms >= 3600000 or p_at is null or not isfinite(p_at) then
    raise exception 'invalid_request: a duration in milliseconds (0 to 1 hour) and a finite time are needed' using errcode = 'BK004';
  end if;
  insert into public.availability_query_log (queried_at, contact_id, service_id, duration_ms, slots_returned)
  values (p_at, p_contact_id, p_service_id, p_duration_ms, greatest(p_slots, 0));
end
$$;
comment on function private.record_availability_query(numeric, integer, uuid, uuid, timestamptz) is
  'For the WhatsApp conversation: record how long an availability question took (ms) and how many options it returned.';

revoke all on function private.record_conversation_message(uuid, timestamptz),
  private.bookings_close_conversation_timing(),
  private.record_availability_query(numeric, integer, uuid, uuid, timestamptz) from public, anon, authenticated;
grant execute on function private.record_conversation_message(uuid, timestamptz),
  private.record_availability_query(numeric, integer, uuid, uuid, timestamptz) to service_role;

-- ---------------------------------------------------------------------------------------------
-- Ratings after an appointment (the reminders flow asks the customer; admins can record one).
create table if not exists public.booking_ratings (
  id uuid primary key default gen_random_uuid(),
  booking_id uuid not null unique references public.bookings (id) on delete cascade,
  rating smallint not null check (rating between 1 and 5),
  comment text check (length(comment) <= 2000),
  source text not null default 'whatsapp' check (source in ('whatsapp', 'admin')),
  rated_at timestamptz not null default now()
);
create index if not exists booking_ratings_rated_idx on public.booking_ratings (rated_at);
comment on table public.booking_ratings is 'Customer ratings (1-5) given after an appointment, one per booking.';
comment on column public.booking_ratings.id is 'The rating.';
comment on column public.booking_ratings.booking_id is 'The appointment rated (its team member, strategy and preference snapshot are on the booking).';
comment on column public.booking_ratings.rating is '1 (bad) to 5 (excellent).';
comment on column public.booking_ratings.comment is 'What the customer said, if anything (at most 2000 characters).';
comment on column public.booking_ratings.source is 'whatsapp (the customer answered) or admin (recorded by hand).';
comment on column public.booking_ratings.rated_at is 'When the rating was given.';

-- Public on purpose: admins record ratings from Studio, the reminders flow (service role) from
-- WhatsApp answers. A second rating of the same booking replaces the first.
create or replace function public.record_booking_rating(
  p_booking_id uuid, p_rating integer, p_comment text default null, p_source text default 'admin',
  p_now timestamptz default now()
) returns uuid
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_booking public.bookings;
  v_id uuid;
begin
  perform private.require_trusted_caller();
  select * into v_booking from public.bookings where id = p_booking_id;
  if v_booking.id is null then
    raise exception 'not_found: booking % does not exist', p_booking_id using errcode = 'BK003';
  end if;
  if p_rating is null or p_rating not between 1 and 5 then
    raise exception 'invalid_request: a rating is a whole number from 1 to 5' using errcode = 'BK004';
  end if;
  if p_source is null or p_source not in ('whatsapp', 'admin') then
    raise exception 'invalid_request: source must be whatsapp or admin' using errcode = 'BK004';
  end if;
  if length(p_comment) > 2000 then
    raise exception 'invalid_request: a comment has at most 2000 characters' using errcode = 'BK004';
  end if;
  if not (v_booking.status = 'completed' or (v_booking.status = 'confirmed' and v_booking.ends_at <= p_now)) then
    raise exception 'invalid_request: only an appointment that took place can be rated (this booking is %)',
      case when v_booking.status = 'confirmed' then 'still ahead' else v_booking.status end using errcode = 'BK004';
  end if;
  insert into public.booking_ratings as r (booking_id, rating, comment, source, rated_at)
  values (p_booking_id, p_rating, nullif(trim(p_comment), ''), p_source, p_now)
  on conflict (booking_id) do update set rating = excluded.rating, comment = excluded.comment,
    source = excluded.source, rated_at = excluded.rated_at
  returning r.id into v_id;
  return v_id;
end
$$;
comment on function public.record_booking_rating(uuid, integer, text, text, timestamptz) is
  'Admins and the reminders flow: record a customer''s 1-5 rating of an appointment that took place (a second rating replaces the first). Returns the rating''s id.';
revoke all on function public.record_booking_rating(uuid, integer, text, text, timestamptz) from public, anon;
grant execute on function public.record_booking_rating(uuid, integer, text, text, timestamptz) to authenticated, service_role;

-- ---------------------------------------------------------------------------------------------
-- Row-level security: admins read them; they are written only through the functions above (and
-- the service role, which bypasses RLS), so a record of what happened cannot be edited by hand.
do $$
declare
  t text;
begin
  foreach t in array array['calendar_sync_attempts', 'conversation_timings', 'availability_query_log', 'booking_ratings'] loop
    execute format('alter table public.%I enable row level security', t);
    execute format('revoke all on public.%I from anon, authenticated', t);
    execute format('grant select on public.%I to authenticated', t);
    execute format('drop policy if exists "Admins read %s" on public.%I', replace(t, '_', ' '), t);
    execute format('create policy "Admins read %s" on public.%I for select to authenticated using ((select private.is_admin()))',
                   replace(t, '_', ' '), t);
  end loop;
end
$$;
