-- Waitlist: when nothing fits a customer's window, the bot offers to put them on the waitlist.
-- When a slot frees (a cancellation, a reschedule, a removed absence, busy time a sync removed, a
-- hold that lapsed), the first matching waiting customer in order of joining is offered it with a
-- hold (hold_minutes); no answer in time and the next one is offered it.
--
-- How it runs: triggers record every freed range in private.waitlist_freed_ranges in the freeing
-- transaction (nothing is lost, and the transaction that frees a slot is never slowed down or
-- failed by offering it); private.process_waitlist(p_now), run by pg_cron every minute (and
-- callable by the conversation right after a cancellation), lapses unanswered offers, expires
-- entries whose window ended, and offers freed ranges. Runs take one lock, so two of them never
-- offer to the same customer; a hold is a held booking, so the exclusion constraint
-- bookings_no_overlap makes two customers holding one slot impossible.

create table if not exists public.waitlist_entries (
  id uuid primary key default gen_random_uuid(),
  contact_id uuid not null references public.contacts (id) on delete cascade,
  service_id uuid not null references public.services (id) on delete cascade,
  team_member_id uuid references public.team_members (id) on delete cascade,
  window_start timestamptz not null,
  window_end timestamptz not null,
  status text not null default 'waiting' check (status in ('waiting', 'offered', 'booked', 'declined', 'lapsed', 'expired', 'cancelled')),
  offered_hold_id uuid references public.bookings (id) on delete set null,
  offered_starts_at timestamptz,
  offer_expires_at timestamptz,
  booking_id uuid references public.bookings (id) on delete set null,
  joined_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint waitlist_window_ends_after_start check (window_end > window_start),
  constraint waitlist_offer_has_expiry check ((status = 'offered') = (offer_expires_at is not null))
);
create index if not exists waitlist_entries_waiting_idx on public.waitlist_entries (joined_at, id) where status = 'waiting';
create index if not exists waitlist_entries_offered_idx on public.waitlist_entries (offer_expires_at) where status = 'offered';
create index if not exists waitlist_entries_contact_idx on public.waitlist_entries (contact_id);
create index if not exists waitlist_entries_service_idx on public.waitlist_entries (service_id);
create index if not exists waitlist_entries_team_member_idx on public.waitlist_entries (team_member_id) where team_member_id is not null;
create index if not exists waitlist_entries_hold_idx on public.waitlist_entries (offered_hold_id) where offered_hold_id is not null;
create index if not exists waitlist_entries_booking_idx on public.waitlist_entries (booking_id) where booking_id is not null;
comment on table public.waitlist_entries is
  'Customers waiting for a slot: service, time window, preferred team member (null = anyone). Offered freed slots in order of joining; an entry expires at its window''s end.';
comment on column public.waitlist_entries.id is 'Waitlist entry id (also in the offer''s quick-reply payloads).';
comment on column public.waitlist_entries.contact_id is 'The waiting customer.';
comment on column public.waitlist_entries.service_id is 'The service they want.';
comment on column public.waitlist_entries.team_member_id is 'The team member they want; null = anyone who offers the service.';
comment on column public.waitlist_entries.window_start is 'Earliest start they accept.';
comment on column public.waitlist_entries.window_end is 'Latest end they accept; the entry expires then.';
comment on column public.waitlist_entries.status is
  'waiting, offered (a slot is held for them until offer_expires_at), booked, declined, lapsed (no answer in time), expired (window over) or cancelled.';
comment on column public.waitlist_entries.offered_hold_id is 'The held booking of the current (or last) offer.';
comment on column public.waitlist_entries.offered_starts_at is 'Start of the offered slot.';
comment on column public.waitlist_entries.offer_expires_at is 'When the offer lapses and the slot goes to the next customer (only while offered).';
comment on column public.waitlist_entries.booking_id is 'The confirmed booking once they accepted.';
comment on column public.waitlist_entries.joined_at is 'When they joined: earlier entries are offered first.';
comment on column public.waitlist_entries.updated_at is 'When the entry last changed (set by the database).';
alter table public.waitlist_entries enable row level security;
revoke all on public.waitlist_entries from anon;
drop policy if exists "Admins manage the waitlist" on public.waitlist_entries;
create policy "Admins manage the waitlist" on public.waitlist_entries for all to authenticated
  using ((select private.is_admin())) with check ((select private.is_admin()));
drop trigger if exists waitlist_entries_updated_at on public.waitlist_entries;
create trigger waitlist_entries_updated_at before update on public.waitlist_entries
  for each row execute function private.set_updated_at();

create table if not exists private.waitlist_freed_ranges (
  id bigint generated always as identity primary key,
  team_member_id uuid not null,
  freed tstzrange not null,
  freed_at timestamptz not null default now()
);
comment on table private.waitlist_freed_ranges is 'Time that became free, recorded by triggers, until process_waitlist offers it to waiting customers.';

create or replace function private.note_freed_range(p_team_member_id uuid, p_freed tstzrange) returns void
language sql volatile security definer set search_path = ''
as $$
  insert into private.waitlist_freed_ranges (team_member_id, freed)
  select p_team_member_id, p_freed
  where p_team_member_id is not null and p_freed is not null and not isempty(p_freed)
    -- Only worth remembering while someone waits.
    and exists (select 1 from public.waitlist_entries where status = 'waiting')
$$;
comment on function private.note_freed_range(uuid, tstzrange) is 'Records time that became free for the waitlist (only while someone is waiting).';

-- A held or confirmed booking that is cancelled, deleted (lapsed hold) or moved frees its old time.
create or replace function private.bookings_note_freed_time() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  if old.status not in ('held', 'confirmed') then
    return null;
  end if;
  if tg_op = 'DELETE' or new.status not in ('held', 'confirmed')
     or new.blocked_during is distinct from old.blocked_during or new.team_member_id is distinct from old.team_member_id then
    perform private.note_freed_range(old.team_member_id, old.blocked_during);
  end if;
  return null;
end
$$;
drop trigger if exists bookings_note_freed_time on public.bookings;
create trigger bookings_note_freed_time after update or delete on public.bookings
  for each row execute function private.bookings_note_freed_time();

-- Row triggers (not statement triggers with transition tables): a sync replaces a member's busy
-- times in one statement, and each removed interval is recorded only while someone is waiting.
create or replace function private.busy_times_note_freed_time() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  if old.ends_at > old.starts_at then
    perform private.note_freed_range(old.team_member_id, tstzrange(old.starts_at, old.ends_at, '[)'));
  end if;
  return null;
end
$$;
drop trigger if exists busy_times_note_freed_time on public.calendar_busy_times;
create trigger busy_times_note_freed_time after delete on public.calendar_busy_times
  for each row execute function private.busy_times_note_freed_time();

-- Absences are whole business-local days.
create or replace function private.absences_note_freed_time() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  v_zone text := (select time_zone from public.business_settings where id);
begin
  perform private.note_freed_range(old.team_member_id,
    tstzrange(old.starts_on::timestamp at time zone v_zone, (old.ends_on + 1)::timestamp at time zone v_zone, '[)'));
  return null;
end
$$;
drop trigger if exists absences_note_freed_time on public.team_member_absences;
create trigger absences_note_freed_time after delete on public.team_member_absences
  for each row execute function private.absences_note_freed_time();

revoke all on function private.note_freed_range(uuid, tstzrange), private.bookings_note_freed_time(),
  private.busy_times_note_freed_time(), private.absences_note_freed_time() from public, anon, authenticated;

-- ENTRY POINT for the conversation (#11) when nothing fits the customer's window (booking_options
-- answered nobody_available): puts them on the waitlist. Public on purpose so admins can add
-- someone from Studio too. Returns the entry id.
create or replace function public.join_waitlist(
  p_contact_id uuid, p_service_id uuid, p_window_start timestamptz, p_window_end timestamptz,
  p_team_member_id uuid default null, p_now timestamptz default now()
) returns uuid
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_service public.services;
  v_id uuid;
begin
  perform private.require_trusted_caller();
  perform private.require_contact(p_contact_id);
  v_service := private.require_service(p_service_id);
  if p_window_start is null or p_window_end is null or not isfinite(p_window_start) or not isfinite(p_window_end)
     or p_window_end <= p_window_start then
    raise exception 'invalid_request: the waitlist window must have a start and an end after it' using errcode = 'BK004';
  end if;
  if p_window_end <= p_now then
    raise exception 'invalid_request: the waitlist window % to % is over', p_window_start, p_window_end using errcode = 'BK004';
  end if;
  if p_window_end > p_now + make_interval(days => (select horizon_days from public.business_settings where id)) + interval '1 day' then
    raise exception 'invalid_request: the waitlist window ends beyond the booking horizon' using errcode = 'BK004';
  end if;
  if p_team_member_id is not null then
    perform private.require_provider(p_team_member_id, v_service);
  end if;
  insert into public.waitlist_entries (contact_id, service_id, team_member_id, window_start, window_end, joined_at)
  values (p_contact_id, p_service_id, p_team_member_id, p_window_start, p_window_end, p_now)
  returning id into v_id;
  return v_id;
end
$$;
comment on function public.join_waitlist(uuid, uuid, timestamptz, timestamptz, uuid, timestamptz) is
  'Puts a customer on the waitlist for a service in a time window (team member or null = anyone). Returns the entry id. Errors: BK002, BK003, BK004, BK006.';
revoke all on function public.join_waitlist(uuid, uuid, timestamptz, timestamptz, uuid, timestamptz) from public, anon;
grant execute on function public.join_waitlist(uuid, uuid, timestamptz, timestamptz, uuid, timestamptz) to authenticated, service_role;

-- The offer message: template with service, member, local date and time; quick replies
-- waitlist:accept:<entry> and waitlist:decline:<entry>.
create or replace function private.waitlist_offer_message(p_entry public.waitlist_entries, p_member_id uuid) returns jsonb
language plpgsql stable security definer set search_path = ''
as $$
declare
  v_zone text := (select time_zone from public.business_settings where id);
  v_template public.whatsapp_templates := private.template_for('waitlist_offer',
    (select language from public.contacts where id = p_entry.contact_id));
  v_local timestamp := p_entry.offered_starts_at at time zone v_zone;
begin
  if v_template.purpose is null then
    return null;
  end if;
  return jsonb_build_object('type', 'template', 'name', v_template.template_name, 'language', v_template.template_language,
    'components', jsonb_build_array(
      private.text_parameters(array[
        (select name from public.services where id = p_entry.service_id),
        (select name::text from public.team_members where id = p_member_id),
        to_char(v_local, v_template.date_format), to_char(v_local, v_template.time_format)]),
      private.quick_reply(0, 'waitlist:accept:' || p_entry.id),
      private.quick_reply(1, 'waitlist:decline:' || p_entry.id)));
end
$$;
comment on function private.waitlist_offer_message(public.waitlist_entries, uuid) is 'The WhatsApp offer of a freed slot to a waiting customer (template with Accept/Decline).';

-- Offers the free slots overlapping one freed range to waiting customers, in order of joining:
-- each matching entry gets the earliest free slot in its window that overlaps the range, held
-- for it. Returns how many offers were made.
create or replace function private.offer_freed_range(p_team_member_id uuid, p_freed tstzrange, p_now timestamptz) returns integer
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_entry public.waitlist_entries;
  v_slot record;
  v_hold uuid;
  v_offers integer := 0;
  v_duration interval;
  v_from timestamptz;
  v_to timestamptz;
begin
  for v_entry in
    select e.* from public.waitlist_entries e
    where e.status = 'waiting' and e.window_end > p_now
      and (e.team_member_id is null or e.team_member_id = p_team_member_id)
      and exists (select 1 from public.team_member_services l where l.team_member_id = p_team_member_id and l.service_id = e.service_id)
      and tstzrange(e.window_start, e.window_end, '[)') && p_freed
    order by e.joined_at, e.id
  loop
    v_duration := make_interval(mins => coalesce(
      (select l.custom_duration_minutes from public.team_member_services l
       where l.team_member_id = p_team_member_id and l.service_id = v_entry.service_id),
      (select s.duration_minutes from public.services s where s.id = v_entry.service_id)));
    v_hold := null;
    -- Slots that overlap the freed range start after (its start - duration - buffers) and before its end.
    v_from := greatest(v_entry.window_start, lower(p_freed) - v_duration - interval '12 hours');
    v_to := least(v_entry.window_end, upper(p_freed));
    continue when v_to <= v_from;
    for v_slot in
      select s.starts_at, s.ends_at from public.get_available_slots(v_entry.service_id, v_from, v_to, array[p_team_member_id], p_now) s
      where s.starts_at >= v_entry.window_start and s.ends_at <= v_entry.window_end
        and tstzrange(s.starts_at, s.ends_at, '[)') && p_freed
      order by s.starts_at
    loop
      begin
        v_hold := public.hold_slot(v_entry.contact_id, v_entry.service_id, p_team_member_id, v_slot.starts_at, p_now);
      exception when sqlstate 'BK001' or sqlstate 'BK002' or sqlstate 'BK006' or sqlstate 'BK007' then
        v_hold := null;  -- taken meanwhile (or the member stopped taking bookings): try the next slot
      end;
      exit when v_hold is not null;
    end loop;
    continue when v_hold is null;
    update public.waitlist_entries
    set status = 'offered', offered_hold_id = v_hold, offered_starts_at = (select starts_at from public.bookings where id = v_hold),
        offer_expires_at = (select hold_expires_at from public.bookings where id = v_hold)
    where id = v_entry.id
    returning * into v_entry;
    perform private.queue_whatsapp_message(v_entry.contact_id, private.waitlist_offer_message(v_entry, p_team_member_id), null, 'waitlist_offer')
    where private.waitlist_offer_message(v_entry, p_team_member_id) is not null;
    v_offers := v_offers + 1;
  end loop;
  return v_offers;
end
$$;
comment on function private.offer_freed_range(uuid, tstzrange, timestamptz) is
  'Offers free slots overlapping a freed range to matching waiting customers in order of joining, each with a hold. Returns the number of offers.';

-- pg_cron, every minute (and after a cancellation if the caller wants the offer at once).
create or replace function private.process_waitlist(p_now timestamptz default now()) returns integer
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_range record;
  v_lapsed record;
  v_offers integer := 0;
begin
  -- One run at a time: every run sees what the previous one offered.
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('waitlist', 0));

  -- Unanswered offers lapse; their hold goes (the delete records the freed time for the next customer).
  for v_lapsed in
    update public.waitlist_entries set status = 'lapsed', offer_expires_at = null
    where status = 'offered' and offer_expires_at <= p_now
    returning offered_hold_id
  loop
    delete from public.bookings where id = v_lapsed.offered_hold_id and status = 'held';
  end loop;
  update public.waitlist_entries set status = 'expired' where status = 'waiting' and window_end <= p_now;

  for v_range in
    with taken as (delete from private.waitlist_freed_ranges returning team_member_id, freed, id)
    select team_member_id, range_agg(freed) as freed, min(id) as first_id from taken group by team_member_id order by first_id
  loop
    v_offers := v_offers + (select coalesce(sum(private.offer_freed_range(v_range.team_member_id, r, p_now)), 0)::int
                            from unnest(v_range.freed) r);
  end loop;
  return v_offers;
end
$$;
comment on function private.process_waitlist(timestamptz) is
  'pg_cron: lapses unanswered waitlist offers, expires entries whose window ended, and offers freed time to waiting customers. Returns how many offers were made.';

-- ENTRY POINT for the conversation (#11): a tapped offer quick reply (waitlist:accept:<entry> or
-- waitlist:decline:<entry>). Accept books the held slot (book_appointment with the hold);
-- decline releases it for the next customer. Returns
--   {"action": "booked", "booking_id": ..., "starts_at": ..., "team_member_id": ...} | {"action": "declined"}
--   | {"action": "offer_over", "status": ...} (lapsed, or answered before)
-- Errors: BK003 (not this customer's entry), BK004 (payload not a waitlist reply).
create or replace function private.handle_waitlist_reply(p_contact_id uuid, p_payload text, p_now timestamptz default now())
returns jsonb
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_parts text[] := regexp_match(coalesce(p_payload, ''), '^waitlist:(accept|decline):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$');
  v_entry public.waitlist_entries;
  v_hold public.bookings;
  v_booking uuid;
begin
  if v_parts is null then
    raise exception 'invalid_request: not a waitlist reply' using errcode = 'BK004';
  end if;
  select * into v_entry from public.waitlist_entries where id = v_parts[2]::uuid and contact_id = p_contact_id for update;
  if v_entry.id is null then
    raise exception 'not_found: waitlist entry % is not this customer''s', v_parts[2] using errcode = 'BK003';
  end if;
  select * into v_hold from public.bookings where id = v_entry.offered_hold_id;
  if v_entry.status <> 'offered' or v_entry.offer_expires_at <= p_now or v_hold.id is null or v_hold.status <> 'held' then
    return jsonb_build_object('action', 'offer_over', 'status', case when v_entry.status = 'offered' then 'lapsed' else v_entry.status end);
  end if;
  if v_parts[1] = 'decline' then
    update public.waitlist_entries set status = 'declined', offer_expires_at = null where id = v_entry.id;
    delete from public.bookings where id = v_hold.id;
    return jsonb_build_object('action', 'declined');
  end if;
  v_booking := public.book_appointment(p_contact_id, v_hold.service_id, v_hold.team_member_id, v_hold.starts_at, 'availability',
    null, v_hold.id, p_now);
  update public.waitlist_entries set status = 'booked', offer_expires_at = null, booking_id = v_booking where id = v_entry.id;
  return jsonb_build_object('action', 'booked', 'booking_id', v_booking, 'starts_at', v_hold.starts_at,
                            'team_member_id', v_hold.team_member_id);
end
$$;
comment on function private.handle_waitlist_reply(uuid, text, timestamptz) is
  'Conversation entry point: a tapped waitlist offer quick reply (waitlist:accept|decline:<entry>). Books or releases the held slot; returns {"action": ...}.';

revoke all on function private.waitlist_offer_message(public.waitlist_entries, uuid), private.offer_freed_range(uuid, tstzrange, timestamptz),
  private.process_waitlist(timestamptz), private.handle_waitlist_reply(uuid, text, timestamptz) from public, anon, authenticated;
grant execute on function private.process_waitlist(timestamptz), private.handle_waitlist_reply(uuid, text, timestamptz) to service_role;
