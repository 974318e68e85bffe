-- Holding, booking, cancelling and rescheduling (guide, step [7] and "Booking Conflicts").
-- Every function re-checks availability, and the exclusion constraint bookings_no_overlap makes
-- a double booking impossible even between two calls that both saw the slot free.

-- Is this exact slot (member, start) free right now? Computed fresh from the engine (not the
-- cache, so a booking never waits on cache writes), plus min notice, horizon and live holds.
-- Returns the slot's end; raises BK004 for a time in the past and BK001 when it is not free.
-- Stable: it only reads (its caller, take_slot, runs it as a statement of its own, so it sees
-- the expired holds just removed and everything committed before the calendar lock was taken).
create or replace function private.require_free_slot(
  p_service_id uuid, p_team_member_id uuid, p_starts_at timestamptz, p_now timestamptz
) returns timestamptz
language plpgsql stable security definer set search_path = '' set jit = off
as $$
declare
  v_service public.services := (select s from public.services s where s.id = p_service_id);
  v_settings public.business_settings := private.settings();
  v_day date := (p_starts_at at time zone v_settings.time_zone)::date;
  v_ends_at timestamptz;
begin
  if p_starts_at is null then
    raise exception 'invalid_request: a start time is needed' using errcode = 'BK004';
  end if;
  if p_starts_at <= p_now then
    raise exception 'invalid_request: % is in the past', p_starts_at using errcode = 'BK004';
  end if;
  select s.ends_at into v_ends_at
  from private.compute_slots(p_service_id, array[p_team_member_id], v_day, v_day) s
  where s.starts_at = p_starts_at
    and s.starts_at >= p_now + make_interval(mins => v_service.min_notice_minutes)
    and s.starts_at < private.add_local_days(p_now, v_settings.horizon_days)
    and not exists (
      select 1 from public.bookings b
      where b.team_member_id = p_team_member_id and b.status = 'held' and b.hold_expires_at > p_now
        and b.blocked_during && tstzrange(s.starts_at - make_interval(mins => v_service.buffer_before_minutes),
                                          s.ends_at + make_interval(mins => v_service.buffer_after_minutes)));
  if v_ends_at is null then
    raise exception 'slot_unavailable: % is not free at %', (select name from public.team_members where id = p_team_member_id), p_starts_at
      using errcode = 'BK001', hint = 'Offer the next available slot (booking_options).';
  end if;
  return v_ends_at;
end
$$;

-- Bookers of one team member's calendar take turns (a transaction-scoped advisory lock): the
-- re-check and the insert then see each other, and racers get a clean BK001 instead of the
-- deadlocks that several waiters on one exclusion constraint can run into. Locks are taken in
-- id order when a change touches two calendars.
create or replace function private.lock_calendars(p_team_member_ids uuid[]) returns void
language sql volatile security definer set search_path = ''
as $$
  select pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('team_member_calendar:' || m::text, 0))
  from (select distinct m from unnest(p_team_member_ids) m where m is not null order by m) x
$$;

-- Expired holds stop counting at once: the rows are removed before a new hold or booking needs
-- their time, and by the pg_cron job below.
create or replace function private.drop_expired_holds(p_team_member_id uuid, p_now timestamptz) returns void
language sql volatile security definer set search_path = ''
as $$
  delete from public.bookings
  where team_member_id = p_team_member_id and status = 'held' and hold_expires_at <= p_now
$$;

-- Taking a slot, the same way for holds, bookings and reschedules: take the calendar's turn,
-- let expired holds go, then re-check the slot. Returns its end. (Taking the lock again inside a
-- transaction that already holds it is a no-op.)
create or replace function private.take_slot(
  p_service_id uuid, p_team_member_id uuid, p_starts_at timestamptz, p_now timestamptz
) returns timestamptz
language plpgsql volatile security definer set search_path = ''
as $$
begin
  perform private.lock_calendars(array[p_team_member_id]);
  perform private.drop_expired_holds(p_team_member_id, p_now);
  return private.require_free_slot(p_service_id, p_team_member_id, p_starts_at, p_now);
end
$$;

-- The team member a booking goes to: the given one, or the General Calendar while
-- require_team_member_assignment is off (BK007 when it is on).
create or replace function private.resolve_team_member(p_team_member_id uuid) returns uuid
language plpgsql stable security definer set search_path = ''
as $$
begin
  if p_team_member_id is not null then
    return p_team_member_id;
  end if;
  if (select require_team_member_assignment from public.business_settings where id) then
    raise exception 'assignment_required: every booking needs a team member (require_team_member_assignment is on)'
      using errcode = 'BK007';
  end if;
  return (select id from public.team_members where is_general_calendar);
end
$$;

-- created_at is the caller's clock (p_now), not the transaction's: the recent-bookings score counts
-- bookings made up to p_now, so a booking made "at p_now" must say so.
create or replace function private.insert_booking(
  p_contact public.contacts, p_service public.services, p_member public.team_members, p_starts_at timestamptz,
  p_ends_at timestamptz, p_status text, p_hold_expires_at timestamptz, p_strategy text, p_snapshot jsonb,
  p_source text, p_rescheduled_from uuid, p_now timestamptz
) returns uuid
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_id uuid;
begin
  insert into public.bookings (contact_id, service_id, team_member_id, starts_at, ends_at, buffer_before_minutes,
                               buffer_after_minutes, status, hold_expires_at, assigned_strategy, preference_snapshot,
                               source, rescheduled_from_id, created_at)
  values (p_contact.id, p_service.id, p_member.id, p_starts_at, p_ends_at, p_service.buffer_before_minutes,
          p_service.buffer_after_minutes, p_status, p_hold_expires_at, p_strategy, p_snapshot, p_source, p_rescheduled_from,
          p_now)
  returning id into v_id;
  return v_id;
exception when exclusion_violation then
  raise exception 'slot_unavailable: % was just taken at %', p_member.name, p_starts_at
    using errcode = 'BK001', hint = 'Offer the next available slot (booking_options).';
end
$$;

create or replace function public.hold_slot(
  p_contact_id uuid, p_service_id uuid, p_team_member_id uuid, p_starts_at timestamptz, p_now timestamptz default now()
) returns uuid
language plpgsql volatile security definer set search_path = '' set jit = off
as $$
declare
  v_contact public.contacts;
  v_service public.services;
  v_member public.team_members;
  v_ends_at timestamptz;
begin
  perform private.require_trusted_caller();
  perform private.require_own_clock(p_now);
  perform private.require_sane_time(p_starts_at, 'the start time');
  v_contact := private.require_contact(p_contact_id);
  v_service := private.require_service(p_service_id);
  v_member := private.require_provider(private.resolve_team_member(p_team_member_id), v_service);
  v_ends_at := private.take_slot(v_service.id, v_member.id, p_starts_at, p_now);
  return private.insert_booking(v_contact, v_service, v_member, p_starts_at, v_ends_at, 'held',
    p_now + make_interval(mins => (select hold_minutes from public.business_settings where id)), null, null, 'whatsapp', null, p_now);
end
$$;
comment on function public.hold_slot(uuid, uuid, uuid, timestamptz, timestamptz) is
  'Holds an offered slot for a customer while they decide (expires after business_settings.hold_minutes). Returns the hold''s booking id; BK001 if the slot is not free.';

-- The preference snapshot as the guide's booking records show it: preferred_ids always, the
-- detection details for a booking by preference, and what the caller adds (override_reason,
-- alternatives_offered, customer_statement).
create or replace function private.preference_snapshot(p_contact public.contacts, p_strategy text, p_extra jsonb)
returns jsonb
language plpgsql stable security definer set search_path = ''
as $$
declare
  v_unknown text;
begin
  if p_extra is not null and jsonb_typeof(p_extra) <> 'object' then
    raise exception 'invalid_request: the preference snapshot must be a JSON object' using errcode = 'BK004';
  end if;
  -- Size limits (also CHECK constraints on bookings): a clear BK004 instead of a constraint error.
  if octet_length(p_extra::text) > 8192 then
    raise exception 'invalid_request: the preference snapshot is larger than 8 KB' using errcode = 'BK004';
  end if;
  if length(p_extra ->> 'customer_statement') > 2000 then
    raise exception 'invalid_request: customer_statement is longer than 2000 characters' using errcode = 'BK004';
  end if;
  select k into v_unknown from jsonb_object_keys(coalesce(p_extra, '{}'::jsonb)) k
  where k not in ('preferred_ids', 'detected_from', 'last_updated', 'override_reason', 'alternatives_offered', 'customer_statement')
  limit 1;
  if v_unknown is not null then
    raise exception 'invalid_request: unknown preference snapshot field "%" (allowed: preferred_ids, detected_from, last_updated, override_reason, alternatives_offered, customer_statement)', v_unknown
      using errcode = 'BK004';
  end if;
  return jsonb_build_object('preferred_ids', to_jsonb(p_contact.preferred_team_member_ids))
    || case when p_strategy = 'preference' then
         jsonb_strip_nulls(jsonb_build_object('detected_from', p_contact.preference_metadata -> 'detected_from',
                                              'last_updated', p_contact.preference_metadata -> 'last_updated'))
       else '{}'::jsonb end
    || coalesce(p_extra, '{}'::jsonb);
end
$$;

create or replace function public.book_appointment(
  p_contact_id uuid, p_service_id uuid, p_team_member_id uuid, p_starts_at timestamptz, p_assigned_strategy text,
  p_preference_snapshot jsonb default null, p_hold_id uuid default null, p_now timestamptz default now(),
  p_source text default 'whatsapp'
) returns uuid
language plpgsql volatile security definer set search_path = '' set jit = off
as $$
declare
  v_contact public.contacts;
  v_service public.services;
  v_member public.team_members;
  v_hold public.bookings;
  v_ends_at timestamptz;
  v_id uuid;
  v_with_member integer;
begin
  perform private.require_trusted_caller();
  perform private.require_own_clock(p_now);
  perform private.require_sane_time(p_starts_at, 'the start time');
  v_contact := private.require_contact(p_contact_id);
  v_service := private.require_service(p_service_id);
  if p_assigned_strategy is null or p_assigned_strategy not in ('preference', 'availability', 'manual', 'auto') then
    raise exception 'invalid_request: assigned_strategy must be preference, availability, manual or auto' using errcode = 'BK004';
  end if;
  if p_source is null or p_source not in ('whatsapp', 'admin', 'api', 'import') then
    raise exception 'invalid_request: source must be whatsapp, admin, api or import' using errcode = 'BK004';
  end if;
  v_member := private.require_provider(private.resolve_team_member(p_team_member_id), v_service);
  perform private.lock_calendars(array[v_member.id]);

  -- The customer's own hold on this slot is turned into the booking; it must still be theirs.
  if p_hold_id is not null then
    select * into v_hold from public.bookings where id = p_hold_id for update;
    if v_hold.id is null or v_hold.status <> 'held' or v_hold.contact_id <> v_contact.id
       or v_hold.team_member_id <> v_member.id or v_hold.service_id <> v_service.id or v_hold.starts_at <> p_starts_at then
      raise exception 'hold_invalid: hold % is not this customer''s hold on this slot', p_hold_id using errcode = 'BK005';
    end if;
    if v_hold.hold_expires_at <= p_now then
      raise exception 'hold_invalid: hold % expired at %', p_hold_id, v_hold.hold_expires_at using errcode = 'BK005';
    end if;
    delete from public.bookings where id = v_hold.id;
  end if;

  v_ends_at := private.take_slot(v_service.id, v_member.id, p_starts_at, p_now);
  v_id := private.insert_booking(v_contact, v_service, v_member, p_starts_at, v_ends_at, 'confirmed', null,
    p_assigned_strategy, private.preference_snapshot(v_contact, p_assigned_strategy, p_preference_snapshot), p_source, null, p_now);

  -- Detected from history: after N bookings with the same team member, they become a preference.
  select count(*) into v_with_member from public.bookings
  where contact_id = v_contact.id and team_member_id = v_member.id and status in ('confirmed', 'completed');
  if not v_member.is_general_calendar and not (v_member.id = any (v_contact.preferred_team_member_ids))
     and v_with_member >= (select preference_history_threshold from public.business_settings where id) then
    perform public.remember_preference(v_contact.id, v_member.id, 'booking_history', p_now);
  end if;
  return v_id;
end
$$;
comment on function public.book_appointment(uuid, uuid, uuid, timestamptz, text, jsonb, uuid, timestamptz, text) is
  'Confirms a booking after re-checking availability; records assigned_strategy and the preference snapshot. Returns the confirmed booking''s id. Errors: BK001 slot_unavailable, BK002, BK003, BK004, BK005 hold_invalid, BK006, BK007. A failure changes nothing.';

create or replace function public.cancel_booking(p_booking_id uuid, p_now timestamptz default now()) returns void
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_booking public.bookings;
begin
  perform private.require_trusted_caller();
  perform private.require_own_clock(p_now);
  select * into v_booking from public.bookings where id = p_booking_id;
  if v_booking.id is null then
    raise exception 'not_found: booking % does not exist', p_booking_id using errcode = 'BK003';
  end if;
  perform private.lock_calendars(array[v_booking.team_member_id]);
  select * into v_booking from public.bookings where id = p_booking_id for update;
  if v_booking.status not in ('held', 'confirmed') then
    raise exception 'invalid_request: a % booking cannot be cancelled', v_booking.status using errcode = 'BK004';
  end if;
  update public.bookings set status = 'cancelled', hold_expires_at = null, cancelled_at = p_now where id = p_booking_id;
end
$$;
comment on function public.cancel_booking(uuid, timestamptz) is 'Cancels a held or confirmed booking; its time is free at once.';

-- Atomic: the old booking is cancelled and the new one written in one transaction; if the new
-- slot is not free, the error undoes the cancellation too.
create or replace function public.reschedule_booking(
  p_booking_id uuid, p_new_starts_at timestamptz, p_new_team_member_id uuid default null, p_now timestamptz default now()
) returns uuid
language plpgsql volatile security definer set search_path = '' set jit = off
as $$
declare
  v_old public.bookings;
  v_contact public.contacts;
  v_service public.services;
  v_member public.team_members;
  v_ends_at timestamptz;
begin
  perform private.require_trusted_caller();
  perform private.require_own_clock(p_now);
  perform private.require_sane_time(p_new_starts_at, 'the new start time');
  select * into v_old from public.bookings where id = p_booking_id;
  if v_old.id is null then
    raise exception 'not_found: booking % does not exist', p_booking_id using errcode = 'BK003';
  end if;
  if v_old.status <> 'confirmed' then
    raise exception 'invalid_request: only a confirmed booking can be rescheduled (this one is %)', v_old.status using errcode = 'BK004';
  end if;
  select * into v_contact from public.contacts where id = v_old.contact_id;
  v_service := private.require_service(v_old.service_id);
  v_member := private.require_provider(coalesce(p_new_team_member_id, v_old.team_member_id), v_service);
  perform private.lock_calendars(array[v_old.team_member_id, v_member.id]);

  select * into v_old from public.bookings where id = p_booking_id for update;
  if v_old.status <> 'confirmed' then
    raise exception 'invalid_request: booking % changed meanwhile (now %)', p_booking_id, v_old.status using errcode = 'BK004';
  end if;
  update public.bookings set status = 'cancelled', cancelled_at = p_now where id = v_old.id;
  v_ends_at := private.take_slot(v_service.id, v_member.id, p_new_starts_at, p_now);
  return private.insert_booking(v_contact, v_service, v_member, p_new_starts_at, v_ends_at, 'confirmed', null,
    v_old.assigned_strategy, v_old.preference_snapshot, v_old.source, v_old.id, p_now);
end
$$;
comment on function public.reschedule_booking(uuid, timestamptz, uuid, timestamptz) is
  'Moves a confirmed booking to a new time (and optionally team member) atomically: the old slot is released only if the new one is taken. Returns the new booking id.';

revoke all on function public.hold_slot(uuid, uuid, uuid, timestamptz, timestamptz),
  public.book_appointment(uuid, uuid, uuid, timestamptz, text, jsonb, uuid, timestamptz, text),
  public.cancel_booking(uuid, timestamptz),
  public.reschedule_booking(uuid, timestamptz, uuid, timestamptz) from public, anon;
grant execute on function public.hold_slot(uuid, uuid, uuid, timestamptz, timestamptz),
  public.book_appointment(uuid, uuid, uuid, timestamptz, text, jsonb, uuid, timestamptz, text),
  public.cancel_booking(uuid, timestamptz),
  public.reschedule_booking(uuid, timestamptz, uuid, timestamptz) to authenticated, service_role;

-- pg_cron removes expired holds every minute (schedule: 20261127000000_cron_jobs.sql).
create or replace function private.release_expired_holds() returns integer
language sql volatile security definer set search_path = ''
as $$
  with gone as (delete from public.bookings where status = 'held' and hold_expires_at <= now() returning 1)
  select count(*)::int from gone
$$;
revoke all on function private.release_expired_holds(), private.take_slot(uuid, uuid, timestamptz, timestamptz)
  from public, anon, authenticated;
