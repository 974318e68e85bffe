-- The booking conversation's decisions: one call per inbound message
-- (private.handle_conversation_message) reads the conversation, calls the booking decisions
-- (booking_options, hold_slot, book_appointment, cancel_booking, reschedule_booking,
-- remember_preference), stores the new state and returns what to say as data:
--   {"say": "<what>", "language": "de", "purpose": "reply" | "booking_confirmation", ...facts}
-- The edge function words it in the customer's language and queues it in the same transaction.
-- Understanding (the Intent JSON) comes from _shared/conversation/interpret.ts.

-- Holds exist only while the customer decides; every held slot of a customer is one we offered,
-- except a waitlist offer's hold (it waits for the Accept/Decline tap, whatever else they write).
-- plpgsql so the body may name waitlist_entries, created by a later migration.
create or replace function private.conversation_release_holds(p_contact_id uuid) returns void
language plpgsql volatile security definer set search_path = ''
as $$
begin
  delete from public.bookings b
  where b.contact_id = p_contact_id and b.status = 'held'
    and not exists (select 1 from public.waitlist_entries e where e.offered_hold_id = b.id and e.status = 'offered');
end
$$;

-- Forgets the request and the offer (language, hand-off and opt-out stay).
create or replace function private.conversation_forget(p_contact_id uuid) returns void
language plpgsql volatile security definer set search_path = ''
as $$
begin
  perform private.conversation_release_holds(p_contact_id);
  update public.conversations
  set awaiting = 'nothing', service_id = null, window_from = null, window_to = null, exact_time = false,
      part_of_day = null, mode = 'auto', anyone = false, requested_team_member_id = null, candidate_ids = '{}',
      candidate_team_member_ids = '{}',
      customer_statement = null, outcome = null, offered = '[]', booking_id = null
  where contact_id = p_contact_id;
end
$$;

-- The customer's upcoming confirmed bookings, numbered for picking.
create or replace function private.conversation_upcoming_bookings(p_contact_id uuid, p_now timestamptz) returns jsonb
language sql stable security definer set search_path = ''
as $$
  select coalesce(jsonb_agg(jsonb_build_object(
           'number', n, 'booking_id', id, 'team_member_id', team_member_id, 'team_member_name', member_name,
           'is_general', is_general, 'service_name', service_name, 'starts_at', starts_at) order by n), '[]'::jsonb)
  from (
    select b.id, b.team_member_id, m.name as member_name, m.is_general_calendar as is_general, s.name as service_name,
           b.starts_at, row_number() over (order by b.starts_at) as n
    from public.bookings b
    join public.team_members m on m.id = b.team_member_id
    join public.services s on s.id = b.service_id
    where b.contact_id = p_contact_id and b.status = 'confirmed' and b.starts_at > p_now
    order by b.starts_at
    limit 10
  ) x
$$;

-- Offers slots for the request stored in the conversation: resolves the service and the team
-- member (or asks), picks the mode, asks booking_options, holds what it offers. p_lost says the
-- slot the customer chose was just taken (the reply apologises).
create or replace function private.conversation_offer(p_contact_id uuid, p_now timestamptz, p_lost boolean default false)
returns jsonb
language plpgsql volatile security definer set search_path = '' set jit = off
as $$
declare
  v_settings public.business_settings := private.settings();
  v_contact public.contacts := private.require_contact(p_contact_id);
  v_conv public.conversations;
  v_service public.services;
  v_offering uuid[];
  v_note jsonb := '{}'::jsonb;
  v_from timestamptz;
  v_to timestamptz;
  v_horizon_end timestamptz := p_now + make_interval(days => v_settings.horizon_days);
  v_mode text;
  v_option record;
  v_options jsonb := '[]'::jsonb;
  v_hold uuid;
  v_outcome text;
  v_attempt integer := 0;
  v_preferred jsonb;
  v_asked_at timestamptz;
  v_answered_at timestamptz;
  v_answers integer;
begin
  perform private.conversation_release_holds(p_contact_id);
  select * into v_conv from public.conversations where contact_id = p_contact_id;

  -- Which service. A candidate the customer booked before, a single candidate, the one service a
  -- named team member offers, the business's only service; otherwise ask.
  if v_conv.service_id is null then
    v_conv.service_id := (
      select b.service_id from public.bookings b join public.services s on s.id = b.service_id
      where b.contact_id = p_contact_id and b.status in ('confirmed', 'completed') and s.is_active
        and (b.service_id = any (v_conv.candidate_ids)
             or (cardinality(v_conv.candidate_ids) = 0 and (v_conv.mode = 'urgent' or v_conv.anyone)))
      order by b.starts_at desc limit 1);
    if v_conv.service_id is null and cardinality(v_conv.candidate_ids) = 1 then
      v_conv.service_id := v_conv.candidate_ids[1];
    end if;
    if v_conv.service_id is null and (v_conv.requested_team_member_id is not null
                                      or cardinality(v_conv.candidate_team_member_ids) = 1) then
      v_conv.service_id := (select max(l.service_id::text)::uuid from public.team_member_services l
                            join public.services s on s.id = l.service_id and s.is_active
                            where l.team_member_id = coalesce(v_conv.requested_team_member_id,
                                                              v_conv.candidate_team_member_ids[1])
                            having count(*) = 1);
    end if;
    if v_conv.service_id is null and (select count(*) from public.services where is_active) = 1 then
      v_conv.service_id := (select id from public.services where is_active);
    end if;
    if v_conv.service_id is null then
      update public.conversations c set awaiting = 'service', offered = x.list,
             candidate_ids = x.ids
      from (select jsonb_agg(jsonb_build_object('number', n, 'service_id', id, 'name', name, 'description', description,
                                                'cost_chf', cost_chf, 'duration_minutes', duration_minutes) order by n) as list,
                   array_agg(id order by n) as ids
            from (select s.id, s.name, s.description, s.cost_chf, s.duration_minutes,
                         row_number() over (order by s.name) as n
                  from public.services s
                  where s.is_active and (cardinality(v_conv.candidate_ids) < 2 or s.id = any (v_conv.candidate_ids))
                  order by s.name limit 10) s) x
      where c.contact_id = p_contact_id
      returning c.offered into v_options;
      return jsonb_build_object('say', 'ask_service', 'services', coalesce(v_options, '[]'::jsonb));
    end if;
  end if;
  select * into v_service from public.services where id = v_conv.service_id;
  if not coalesce(v_service.is_active, false) then
    perform private.conversation_forget(p_contact_id);
    return jsonb_build_object('say', 'service_unavailable', 'service_name', v_service.name);
  end if;

  -- Which team member, when the customer named one (or several with one name).
  if v_conv.anyone then
    v_conv.requested_team_member_id := null;
  elsif v_conv.requested_team_member_id is null and cardinality(v_conv.candidate_team_member_ids) > 0 then
    v_offering := array(select m.id from public.team_members m
                        where m.id = any (v_conv.candidate_team_member_ids) and m.is_active
                          and exists (select 1 from public.team_member_services l
                                      where l.team_member_id = m.id and l.service_id = v_service.id)
                        order by m.display_order, m.name);
    if cardinality(v_offering) = 1 then
      v_conv.requested_team_member_id := v_offering[1];
    elsif cardinality(v_offering) > 1 then
      update public.conversations c set awaiting = 'team_member', service_id = v_service.id, candidate_ids = '{}',
             candidate_team_member_ids = v_offering,
             offered = (select jsonb_agg(jsonb_build_object('number', n, 'team_member_id', id, 'name', name, 'role', role)
                                         order by n)
                        from (select m.id, m.name, m.role, array_position(v_offering, m.id) as n
                              from public.team_members m where m.id = any (v_offering)) x)
      where c.contact_id = p_contact_id
      returning c.offered into v_options;
      return jsonb_build_object('say', 'ask_team_member', 'service_name', v_service.name, 'team_members', v_options);
    else
      v_note := jsonb_build_object('note', 'team_member_does_not_offer',
        'named', (select jsonb_agg(name order by name) from public.team_members where id = any (v_conv.candidate_team_member_ids)));
    end if;
  end if;
  if v_conv.requested_team_member_id is not null and not exists (
       select 1 from public.team_members m where m.id = v_conv.requested_team_member_id and m.is_active and m.is_bookable) then
    v_note := jsonb_build_object('note', 'team_member_unavailable',
      'named', jsonb_build_array((select name from public.team_members where id = v_conv.requested_team_member_id)));
    v_conv.requested_team_member_id := null;
  end if;

  v_mode := case when v_conv.requested_team_member_id is not null then 'explicit'
                 when v_conv.mode = 'urgent' or v_conv.anyone then 'urgent'
                 else 'auto' end;
  v_from := greatest(coalesce(v_conv.window_from, p_now), p_now);
  v_to := coalesce(v_conv.window_to, p_now + case when v_mode = 'urgent' then interval '14 days' else interval '7 days' end);
  if v_from >= v_horizon_end then
    perform private.conversation_forget(p_contact_id);
    return jsonb_build_object('say', 'beyond_horizon', 'horizon_days', v_settings.horizon_days);
  end if;
  v_to := least(v_to, v_horizon_end);
  if v_to <= v_from then
    v_to := least(v_from + interval '1 day', v_horizon_end);
  end if;

  update public.conversations
  set service_id = v_service.id, requested_team_member_id = v_conv.requested_team_member_id, mode = v_mode,
      candidate_ids = '{}', candidate_team_member_ids = '{}'
  where contact_id = p_contact_id;

  -- Offer and hold; an option someone takes between the two is skipped, and if all are, ask again.
  loop
    v_attempt := v_attempt + 1;
    v_options := '[]'::jsonb;
    v_outcome := null;
    -- The availability question's time (metrics): booking_options answers in full before the
    -- first row arrives, so the clock stops there, before any hold is taken.
    v_asked_at := clock_timestamp();
    v_answered_at := null;
    v_answers := 0;
    for v_option in
      select o.*, m.role, m.bio, m.is_general_calendar
      from public.booking_options(p_contact_id, v_service.id, v_from, v_to, v_mode, v_conv.requested_team_member_id, p_now) o
      left join public.team_members m on m.id = o.team_member_id
      order by o.option_number
    loop
      v_answered_at := coalesce(v_answered_at, clock_timestamp());
      v_outcome := v_option.outcome;
      -- An outcome-only row (nobody, or the named member with nothing before the horizon) has no slot.
      continue when v_option.team_member_id is null or v_option.starts_at is null;
      v_answers := v_answers + 1;
      begin
        v_hold := public.hold_slot(p_contact_id, v_service.id, v_option.team_member_id, v_option.starts_at, p_now);
      exception when sqlstate 'BK001' or sqlstate 'BK006' then
        continue;
      end;
      v_options := v_options || jsonb_build_object(
        'number', jsonb_array_length(v_options) + 1, 'kind', v_option.kind, 'team_member_id', v_option.team_member_id,
        'team_member_name', v_option.team_member_name, 'role', v_option.role, 'bio', v_option.bio,
        'is_general', v_option.is_general_calendar, 'starts_at', v_option.starts_at, 'ends_at', v_option.ends_at,
        'hold_id', v_hold);
    end loop;
    perform private.record_availability_query(
      extract(epoch from coalesce(v_answered_at, clock_timestamp()) - v_asked_at) * 1000, v_answers, p_contact_id,
      v_service.id, p_now);
    exit when jsonb_array_length(v_options) > 0 or v_attempt >= 2;
  end loop;

  if jsonb_array_length(v_options) = 0 then
    perform private.conversation_forget(p_contact_id);
    -- A new request (not a reschedule) that nothing fits: offer the waitlist for the same window
    -- and member (or anyone); the answer is handled in handle_conversation_message.
    if v_conv.booking_id is null then
      update public.conversations
      set awaiting = 'waitlist_offer', service_id = v_service.id, window_from = v_from, window_to = v_to,
          requested_team_member_id = v_conv.requested_team_member_id
      where contact_id = p_contact_id;
    end if;
    return jsonb_build_object('say', 'nothing_available', 'service_name', v_service.name, 'lost', p_lost,
                              'waitlist', v_conv.booking_id is null);
  end if;

  v_preferred := (select jsonb_build_object('team_member_id', m.id, 'name', m.name, 'role', m.role)
                  from public.team_members m where m.id = v_contact.preferred_team_member_ids[1]);
  update public.conversations set awaiting = 'offer', offered = v_options, outcome = v_outcome
  where contact_id = p_contact_id;
  return jsonb_build_object(
    'say', 'offer', 'outcome', v_outcome, 'lost', p_lost, 'mode', v_mode, 'urgent', v_conv.mode = 'urgent',
    'rescheduling', v_conv.booking_id is not null,
    'service_name', v_service.name, 'preferred', v_preferred,
    'window_from', v_conv.window_from, 'window_to', v_conv.window_to, 'part_of_day', v_conv.part_of_day,
    'options', v_options) || v_note;
end
$$;

-- How a chosen option is recorded (guide's booking records): strategy and snapshot fields.
create or replace function private.conversation_strategy(
  p_conv public.conversations, p_option jsonb, p_contact public.contacts
) returns table (strategy text, snapshot jsonb)
language plpgsql stable security definer set search_path = ''
as $$
declare
  v_member uuid := (p_option ->> 'team_member_id')::uuid;
  v_alternatives jsonb;
begin
  if p_conv.outcome = 'preferred_available' then
    return query select 'preference'::text, '{}'::jsonb;
  elsif p_conv.outcome = 'preferred_unavailable' then
    -- Example 2: the alternatives as offered, the preferred member's later slot marked "-later".
    v_alternatives := (select jsonb_agg((o ->> 'team_member_id') || case when o ->> 'kind' = 'preferred_later' then '-later' else '' end
                                        order by (o ->> 'number')::int)
                       from jsonb_array_elements(p_conv.offered) o);
    return query select case when p_option ->> 'kind' = 'preferred_later' then 'preference' else 'availability' end,
                        jsonb_build_object('override_reason', 'preferred_unavailable', 'alternatives_offered', v_alternatives);
  elsif p_conv.outcome = 'urgent' and p_conv.customer_statement is not null then
    -- Example 4: booked by hand-picked availability, the customer's words kept.
    return query select 'manual'::text,
                        jsonb_build_object('override_reason', 'urgent_request', 'customer_statement', p_conv.customer_statement);
  elsif p_conv.outcome = 'urgent' then
    return query select 'availability'::text, jsonb_build_object('override_reason', 'anyone_available');
  elsif p_conv.outcome in ('explicit_available', 'explicit_unavailable') then
    return query select 'manual'::text,
                        case when v_member = any (p_contact.preferred_team_member_ids) then '{}'::jsonb
                             else jsonb_build_object('override_reason', 'explicit_request') end;
  elsif v_member = any (p_contact.preferred_team_member_ids) then
    return query select 'preference'::text, '{}'::jsonb;
  elsif p_conv.outcome = 'nobody_available' then
    return query select 'availability'::text,
                        case when cardinality(p_contact.preferred_team_member_ids) > 0
                             then jsonb_build_object('override_reason', 'nobody_available_in_window') else '{}'::jsonb end;
  else
    return query select 'auto'::text, '{}'::jsonb;
  end if;
end
$$;

-- The customer chose option p_number (or said yes to the first): book it (or move the booking
-- being rescheduled there). A slot lost meanwhile → apologise and offer the next.
create or replace function private.conversation_book(p_contact_id uuid, p_number integer, p_now timestamptz)
returns jsonb
language plpgsql volatile security definer set search_path = '' set jit = off
as $$
declare
  v_contact public.contacts := private.require_contact(p_contact_id);
  v_conv public.conversations;
  v_option jsonb;
  v_strategy text;
  v_snapshot jsonb;
  v_booking_id uuid;
  v_member public.team_members;
  v_ask_preference boolean := false;
  v_preference_added boolean := false;
  v_rescheduled boolean;
begin
  select * into v_conv from public.conversations where contact_id = p_contact_id;
  select o into v_option from jsonb_array_elements(v_conv.offered) o where (o ->> 'number')::int = p_number;
  if v_option is null then
    return jsonb_build_object('say', 'choose_again', 'options', v_conv.offered, 'service_name',
                              (select name from public.services where id = v_conv.service_id));
  end if;
  select * into v_member from public.team_members where id = (v_option ->> 'team_member_id')::uuid;
  select s.strategy, s.snapshot into v_strategy, v_snapshot from private.conversation_strategy(v_conv, v_option, v_contact) s;
  v_rescheduled := v_conv.booking_id is not null;

  begin
    if v_rescheduled then
      -- Our own hold on the new slot must not stand in the way of moving the booking there.
      delete from public.bookings where id = (v_option ->> 'hold_id')::uuid and status = 'held';
      v_booking_id := public.reschedule_booking(v_conv.booking_id, (v_option ->> 'starts_at')::timestamptz, v_member.id, p_now);
    else
      begin
        v_booking_id := public.book_appointment(p_contact_id, v_conv.service_id, v_member.id,
          (v_option ->> 'starts_at')::timestamptz, v_strategy, v_snapshot, (v_option ->> 'hold_id')::uuid, p_now, 'whatsapp');
      exception when sqlstate 'BK005' then
        -- The hold lapsed while they thought about it; the slot may still be free.
        v_booking_id := public.book_appointment(p_contact_id, v_conv.service_id, v_member.id,
          (v_option ->> 'starts_at')::timestamptz, v_strategy, v_snapshot, null, p_now, 'whatsapp');
      end;
    end if;
  exception when sqlstate 'BK001' or sqlstate 'BK006' then
    return private.conversation_offer(p_contact_id, p_now, true);
  end;

  perform private.conversation_release_holds(p_contact_id);
  -- Example 5: a team member asked for by name joins the preferences (after the existing ones).
  if v_conv.outcome in ('explicit_available', 'explicit_unavailable') and not v_member.is_general_calendar
     and not (v_member.id = any (v_contact.preferred_team_member_ids)) then
    perform public.remember_preference(p_contact_id, v_member.id, 'explicit_request', p_now);
    v_preference_added := true;
  end if;
  -- Example 3: a first booking by score → ask whether to keep this team member.
  v_ask_preference := not v_rescheduled and v_conv.outcome = 'no_preference' and not v_member.is_general_calendar
    and cardinality((select preferred_team_member_ids from public.contacts where id = p_contact_id)) = 0;

  perform private.conversation_forget(p_contact_id);
  if v_ask_preference then
    update public.conversations set awaiting = 'remember_preference', requested_team_member_id = v_member.id,
           booking_id = v_booking_id, service_id = v_conv.service_id
    where contact_id = p_contact_id;
  end if;
  return jsonb_build_object(
    'say', 'booked', 'purpose', 'booking_confirmation', 'rescheduled', v_rescheduled,
    'booking_id', v_booking_id, 'service_name', (select name from public.services where id = v_conv.service_id),
    'team_member_name', v_member.name, 'role', v_member.role, 'is_general', v_member.is_general_calendar,
    'starts_at', v_option -> 'starts_at', 'ask_preference', v_ask_preference,
    'preference_added', v_preference_added, 'strategy', v_strategy);
end
$$;

-- Facts for "when are you open", "how much is ...", "who does ...", straight from the tables.
create or replace function private.conversation_info(p_kind text, p_service_id uuid, p_now timestamptz) returns jsonb
language sql stable security definer set search_path = ''
as $$
  select case p_kind
    when 'opening_hours' then jsonb_build_object(
      'say', 'opening_hours', 'hours', (select default_working_hours from public.business_settings where id),
      'closures', coalesce((select jsonb_agg(jsonb_build_object('from', c.starts_on, 'to', c.ends_on) order by c.starts_on)
                            from public.business_closures c
                            where c.ends_on >= (p_now at time zone (select time_zone from public.business_settings where id))::date
                              and c.starts_on <= (p_now at time zone (select time_zone from public.business_settings where id))::date + 30),
                           '[]'::jsonb))
    when 'price' then jsonb_build_object(
      'say', 'prices', 'services', coalesce((select jsonb_agg(jsonb_build_object('name', s.name, 'cost_chf', s.cost_chf,
                                                                        'duration_minutes', s.duration_minutes) order by s.name)
                                   from public.services s
                                   where s.is_active and (p_service_id is null or s.id = p_service_id)), '[]'::jsonb))
    else jsonb_build_object(
      'say', 'who_does', 'services', coalesce((select jsonb_agg(jsonb_build_object('name', s.name, 'team_members',
                                        coalesce((select jsonb_agg(m.name order by l.priority_order, m.name)
                                                  from public.team_member_services l
                                                  join public.team_members m on m.id = l.team_member_id
                                                  where l.service_id = s.id and m.is_active), '[]'::jsonb)) order by s.name)
                                   from public.services s
                                   where s.is_active and (p_service_id is null or s.id = p_service_id)), '[]'::jsonb))
  end
$$;

-- Puts one team member first in the customer's preferences ("from now on Dr. Müller, please").
create or replace function private.conversation_set_preference(p_contact_id uuid, p_team_member_id uuid, p_now timestamptz)
returns jsonb
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_contact public.contacts;
begin
  select * into v_contact from public.contacts where id = p_contact_id for no key update;
  update public.contacts
  set preferred_team_member_ids = p_team_member_id || array_remove(v_contact.preferred_team_member_ids, p_team_member_id),
      preference_metadata = v_contact.preference_metadata || jsonb_build_object(
        'detected_from', 'explicit_request',
        'last_updated', to_char(p_now at time zone (select time_zone from public.business_settings where id), 'YYYY-MM-DD'),
        'sources', coalesce(v_contact.preference_metadata -> 'sources', '{}'::jsonb)
                   || jsonb_build_object(p_team_member_id::text, 'explicit_request'))
  where id = p_contact_id;
  return jsonb_build_object('say', 'preference_changed',
    'team_member_name', (select name from public.team_members where id = p_team_member_id));
end
$$;

-- The one decision per inbound message. p_intent is the Intent JSON (see intent.ts); p_now is
-- when the customer wrote. Returns what to say, or null when the bot must stay silent (handed
-- off to staff). Bad intent → BK004, nothing changed.
create or replace function private.handle_conversation_message(p_contact_id uuid, p_intent jsonb, p_now timestamptz default now())
returns jsonb
language plpgsql volatile security definer set search_path = '' set jit = off
as $$
declare
  v_settings public.business_settings := private.settings();
  v_contact public.contacts := private.require_contact(p_contact_id);
  v_conv public.conversations;
  v_kind text;
  v_language text;
  v_service uuid;
  v_services uuid[];
  v_members uuid[];
  v_from timestamptz;
  v_to timestamptz;
  v_choice integer;
  v_urgent boolean;
  v_anyone boolean;
  v_statement text;
  v_text text;
  v_list jsonb;
  v_picked jsonb;
  v_reply jsonb;
  v_waitlist boolean;
begin
  if p_intent is null or jsonb_typeof(p_intent) <> 'object' then
    raise exception 'invalid_request: the intent must be a JSON object' using errcode = 'BK004';
  end if;
  v_kind := p_intent ->> 'intent';
  if v_kind is null or v_kind not in ('book', 'yes', 'no', 'choose', 'cancel', 'reschedule', 'my_bookings', 'opening_hours',
      'price', 'who_does', 'change_preference', 'human', 'stop', 'greeting', 'thanks', 'unknown') then
    raise exception 'invalid_request: unknown intent "%"', left(v_kind, 40) using errcode = 'BK004';
  end if;
  begin
    v_language := coalesce(p_intent ->> 'language', v_contact.language);
    v_service := (p_intent ->> 'service_id')::uuid;
    v_services := coalesce(array(select jsonb_array_elements_text(p_intent -> 'service_ids')::uuid), '{}');
    v_members := coalesce(array(select jsonb_array_elements_text(p_intent -> 'team_member_ids')::uuid), '{}');
    v_from := (p_intent ->> 'window_from')::timestamptz;
    v_to := (p_intent ->> 'window_to')::timestamptz;
    v_choice := (p_intent ->> 'choice')::integer;
    v_urgent := coalesce((p_intent ->> 'urgent')::boolean, false);
    v_anyone := coalesce((p_intent ->> 'anyone')::boolean, false);
    v_statement := left(p_intent ->> 'customer_statement', 300);
    v_text := left(p_intent ->> 'text', 1000);
  exception when others then
    raise exception 'invalid_request: the intent has a malformed field (%)', sqlerrm using errcode = 'BK004';
  end;
  if v_language not in ('de', 'en', 'fr', 'it') then
    v_language := 'de';
  end if;
  if not isfinite(v_from) or not isfinite(v_to) or v_to <= v_from then
    v_from := null;
    v_to := null;
  end if;

  -- Every valid inbound message counts for the booking-time metric (first message → booking).
  perform private.record_conversation_message(p_contact_id, p_now);
  insert into public.conversations (contact_id, language) values (p_contact_id, v_language) on conflict (contact_id) do nothing;
  select * into v_conv from public.conversations where contact_id = p_contact_id for update;

  -- Handed off to staff: the bot stays silent until an admin releases the conversation (a STOP
  -- is still recorded).
  if v_conv.handed_off_at is not null then
    update public.conversations
    set last_message_at = p_now, opted_out_at = case when v_kind = 'stop' then p_now else opted_out_at end
    where contact_id = p_contact_id;
    return null;
  end if;
  -- Quiet for too long: start afresh, let the held slots go.
  if v_conv.last_message_at is not null
     and v_conv.last_message_at < p_now - make_interval(mins => v_settings.conversation_idle_minutes) then
    perform private.conversation_forget(p_contact_id);
    select * into v_conv from public.conversations where contact_id = p_contact_id;
  end if;
  -- Asked whether to join the waitlist but answered with something else: the question (and the
  -- member it was about) is dropped, the message is taken as new.
  if v_conv.awaiting = 'waitlist_offer' and v_kind not in ('yes', 'no') then
    perform private.conversation_forget(p_contact_id);
    select * into v_conv from public.conversations where contact_id = p_contact_id;
  end if;
  -- Writing again ends an opt-out; STOP starts one.
  update public.conversations
  set last_message_at = p_now, language = v_language,
      opted_out_at = case when v_kind = 'stop' then p_now end
  where contact_id = p_contact_id;
  update public.contacts set language = v_language where id = p_contact_id and language is distinct from v_language;

  if v_kind = 'stop' then
    perform private.conversation_forget(p_contact_id);
    v_reply := jsonb_build_object('say', 'stopped');

  elsif v_kind = 'human' then
    perform private.conversation_forget(p_contact_id);
    update public.conversations set handed_off_at = p_now where contact_id = p_contact_id;
    insert into public.admin_alerts (kind, contact_id, message)
    values ('conversation_handoff', p_contact_id,
            format('%s asked to talk to a person on WhatsApp: "%s". Answer them, then run select admin_release_conversation(''%s'').',
                   coalesce(v_contact.name, 'A customer'), left(v_text, 200), p_contact_id))
    on conflict do nothing;
    v_reply := jsonb_build_object('say', 'handoff');

  elsif v_kind in ('cancel', 'reschedule') then
    perform private.conversation_forget(p_contact_id);
    v_list := private.conversation_upcoming_bookings(p_contact_id, p_now);
    if jsonb_array_length(v_list) = 0 then
      v_reply := jsonb_build_object('say', 'no_bookings', 'for', v_kind);
    elsif jsonb_array_length(v_list) = 1 and v_kind = 'cancel' then
      update public.conversations set awaiting = 'cancel_confirm', booking_id = (v_list -> 0 ->> 'booking_id')::uuid
      where contact_id = p_contact_id;
      v_reply := jsonb_build_object('say', 'confirm_cancel', 'booking', v_list -> 0);
    elsif jsonb_array_length(v_list) = 1 then
      update public.conversations
      set booking_id = (v_list -> 0 ->> 'booking_id')::uuid, service_id = (select service_id from public.bookings where id = (v_list -> 0 ->> 'booking_id')::uuid),
          requested_team_member_id = case when v_anyone then null
                                          when cardinality(v_members) = 1 then v_members[1]
                                          else (v_list -> 0 ->> 'team_member_id')::uuid end,
          window_from = v_from, window_to = v_to, part_of_day = p_intent ->> 'part_of_day', anyone = v_anyone
      where contact_id = p_contact_id;
      v_reply := private.conversation_offer(p_contact_id, p_now);
    else
      update public.conversations
      set awaiting = case v_kind when 'cancel' then 'cancel_pick' else 'reschedule_pick' end, offered = v_list,
          window_from = v_from, window_to = v_to, part_of_day = p_intent ->> 'part_of_day'
      where contact_id = p_contact_id;
      v_reply := jsonb_build_object('say', 'pick_booking', 'for', v_kind, 'bookings', v_list);
    end if;

  elsif v_kind = 'my_bookings' then
    v_reply := jsonb_build_object('say', 'bookings', 'bookings', private.conversation_upcoming_bookings(p_contact_id, p_now));

  elsif v_kind in ('opening_hours', 'price', 'who_does') then
    v_reply := private.conversation_info(v_kind, v_service, p_now);

  elsif v_kind = 'change_preference' or (v_conv.awaiting = 'preference_pick' and v_kind in ('choose', 'book')) then
    if v_kind = 'choose' then
      v_members := array[(select (o ->> 'team_member_id')::uuid from jsonb_array_elements(v_conv.offered) o
                          where (o ->> 'number')::int = v_choice)];
    end if;
    v_members := array(select m from unnest(v_members) m where m is not null);
    if cardinality(v_members) = 1 then
      perform private.conversation_forget(p_contact_id);
      v_reply := private.conversation_set_preference(p_contact_id, v_members[1], p_now);
    else
      update public.conversations c set awaiting = 'preference_pick', offered = x.list
      from (select jsonb_agg(jsonb_build_object('number', n, 'team_member_id', id, 'name', name, 'role', role) order by n) as list
            from (select m.id, m.name, m.role, row_number() over (order by m.display_order, m.name) as n
                  from public.team_members m
                  where m.is_active and not m.is_general_calendar and (cardinality(v_members) = 0 or m.id = any (v_members))
                  order by m.display_order, m.name limit 10) y) x
      where c.contact_id = p_contact_id
      returning c.offered into v_list;
      v_reply := jsonb_build_object('say', 'ask_preference_member', 'team_members', coalesce(v_list, '[]'::jsonb));
    end if;

  elsif v_conv.awaiting = 'offer' and v_kind in ('yes', 'choose') then
    v_reply := private.conversation_book(p_contact_id, case when v_kind = 'yes' then 1 else v_choice end, p_now);

  elsif v_conv.awaiting = 'offer' and v_kind = 'no' then
    perform private.conversation_release_holds(p_contact_id);
    -- Nobody (or not the member named) was free in the window the customer asked for, and the
    -- later times offered do not suit: besides another time, the waitlist for that window.
    v_waitlist := v_conv.outcome in ('nobody_available', 'explicit_unavailable') and v_conv.booking_id is null
                  and v_conv.window_to > p_now;
    update public.conversations
    set awaiting = case when v_waitlist then 'waitlist_offer' else 'nothing' end, offered = '[]',
        window_from = case when v_waitlist then greatest(coalesce(window_from, p_now), p_now) end,
        window_to = case when v_waitlist then least(window_to, p_now + make_interval(days => v_settings.horizon_days)) end
    where contact_id = p_contact_id;
    v_reply := jsonb_build_object('say', 'ask_other_time', 'waitlist', v_waitlist,
                                  'service_name', (select name from public.services where id = v_conv.service_id));

  elsif v_conv.awaiting = 'remember_preference' and v_kind in ('yes', 'no') then
    if v_kind = 'yes' then
      perform public.remember_preference(p_contact_id, v_conv.requested_team_member_id, 'conversation_history', p_now);
    end if;
    perform private.conversation_forget(p_contact_id);
    v_reply := jsonb_build_object('say', case when v_kind = 'yes' then 'preference_saved' else 'preference_not_saved' end,
      'team_member_name', (select name from public.team_members where id = v_conv.requested_team_member_id));

  elsif v_conv.awaiting = 'waitlist_offer' and v_kind in ('yes', 'no') then
    -- Nothing was free: "yes" puts them on the waitlist for the window they asked about.
    if v_kind = 'yes' then
      perform public.join_waitlist(p_contact_id, v_conv.service_id, v_conv.window_from, v_conv.window_to,
                                   v_conv.requested_team_member_id, p_now);
    end if;
    perform private.conversation_forget(p_contact_id);
    v_reply := jsonb_build_object('say', case when v_kind = 'yes' then 'waitlist_joined' else 'waitlist_not_joined' end,
      'service_name', (select name from public.services where id = v_conv.service_id),
      'team_member_name', (select name from public.team_members where id = v_conv.requested_team_member_id),
      'window_from', v_conv.window_from, 'window_to', v_conv.window_to);

  elsif v_conv.awaiting in ('cancel_pick', 'reschedule_pick') and v_kind = 'choose' then
    select o into v_picked from jsonb_array_elements(v_conv.offered) o where (o ->> 'number')::int = v_choice;
    if v_picked is null then
      v_reply := jsonb_build_object('say', 'pick_booking', 'for', replace(v_conv.awaiting, '_pick', ''), 'bookings', v_conv.offered);
    elsif v_conv.awaiting = 'cancel_pick' then
      update public.conversations set awaiting = 'cancel_confirm', booking_id = (v_picked ->> 'booking_id')::uuid, offered = '[]'
      where contact_id = p_contact_id;
      v_reply := jsonb_build_object('say', 'confirm_cancel', 'booking', v_picked);
    else
      update public.conversations
      set booking_id = (v_picked ->> 'booking_id')::uuid, offered = '[]',
          service_id = (select service_id from public.bookings where id = (v_picked ->> 'booking_id')::uuid),
          requested_team_member_id = (v_picked ->> 'team_member_id')::uuid
      where contact_id = p_contact_id;
      v_reply := private.conversation_offer(p_contact_id, p_now);
    end if;

  elsif v_conv.awaiting = 'cancel_confirm' and v_kind in ('yes', 'no') then
    v_picked := (select o from jsonb_array_elements(private.conversation_upcoming_bookings(p_contact_id, p_now)) o
                 where (o ->> 'booking_id')::uuid = v_conv.booking_id);
    if v_kind = 'yes' and v_picked is not null then
      perform public.cancel_booking(v_conv.booking_id, p_now);
      v_reply := jsonb_build_object('say', 'cancelled', 'booking', v_picked);
    else
      v_reply := jsonb_build_object('say', 'cancel_kept', 'booking', v_picked);
    end if;
    perform private.conversation_forget(p_contact_id);

  elsif v_conv.awaiting in ('service', 'team_member') and v_kind = 'choose' then
    v_picked := (select o from jsonb_array_elements(v_conv.offered) o where (o ->> 'number')::int = v_choice);
    if v_picked is null then
      v_reply := jsonb_build_object('say', 'not_understood', 'awaiting', v_conv.awaiting);
    else
      update public.conversations
      set service_id = coalesce((v_picked ->> 'service_id')::uuid, service_id),
          requested_team_member_id = coalesce((v_picked ->> 'team_member_id')::uuid, requested_team_member_id),
          candidate_ids = '{}',
          candidate_team_member_ids = case when v_picked ? 'team_member_id' then '{}' else candidate_team_member_ids end
      where contact_id = p_contact_id;
      v_reply := private.conversation_offer(p_contact_id, p_now);
    end if;

  elsif v_kind = 'book'
        or (v_conv.awaiting in ('service', 'team_member') and (v_service is not null or cardinality(v_members) > 0)) then
    -- A request, or more detail for the one on the table: what is new replaces what was there.
    update public.conversations
    set service_id = coalesce(v_service, case when cardinality(v_services) > 0 and not (service_id = any (v_services)) then null
                                              else service_id end),
        candidate_ids = case when v_service is null and cardinality(v_services) > 0 then v_services else '{}' end,
        candidate_team_member_ids = case when cardinality(v_members) > 0 then v_members
                                         when v_conv.awaiting in ('service', 'team_member') then candidate_team_member_ids
                                         else '{}' end,
        requested_team_member_id = case when v_anyone or cardinality(v_members) > 0 then null else requested_team_member_id end,
        window_from = coalesce(v_from, case when v_conv.awaiting = 'offer' and v_from is null then window_from end),
        window_to = coalesce(v_to, case when v_conv.awaiting = 'offer' and v_from is null then window_to end),
        exact_time = case when v_from is not null then coalesce((p_intent ->> 'exact_time')::boolean, false) else exact_time end,
        part_of_day = case when v_from is not null then p_intent ->> 'part_of_day' else part_of_day end,
        mode = case when v_urgent then 'urgent' when v_anyone then mode else 'auto' end,
        anyone = v_anyone or (anyone and cardinality(v_members) = 0),
        customer_statement = coalesce(v_statement, customer_statement),
        -- Only a reschedule in progress keeps its booking; after a booking a new request is new.
        booking_id = case when v_conv.awaiting = 'offer' then booking_id end
    where contact_id = p_contact_id;
    v_reply := private.conversation_offer(p_contact_id, p_now);

  elsif v_kind = 'greeting' then
    v_reply := jsonb_build_object('say', 'greeting', 'business_name', v_settings.business_name,
                                  'customer_name', v_contact.name);
  elsif v_kind = 'thanks' then
    v_reply := jsonb_build_object('say', 'thanks');
  else
    v_reply := jsonb_build_object('say', 'not_understood', 'awaiting', v_conv.awaiting,
                                  'options', case when v_conv.awaiting = 'offer' then v_conv.offered end);
  end if;

  return v_reply || jsonb_build_object('language', v_language, 'purpose', coalesce(v_reply ->> 'purpose', 'reply'));
end
$$;

-- What the interpreter needs to know besides the message (one round trip): the catalogue, the
-- open question and its options, the time zone and the customer's language.
create or replace function private.conversation_context(p_contact_id uuid, p_now timestamptz default now()) returns jsonb
language sql stable security definer set search_path = ''
as $$
  with s as (select * from public.business_settings where id),
       conv as (
         select c.* from public.conversations c, s
         where c.contact_id = p_contact_id and c.handed_off_at is null
           and (c.last_message_at is null or c.last_message_at >= p_now - make_interval(mins => s.conversation_idle_minutes)))
  select jsonb_build_object(
    'time_zone', (select time_zone from s),
    'language', coalesce((select language from conv), (select language from public.contacts where id = p_contact_id)),
    'awaiting', (select nullif(awaiting, 'nothing') from conv),
    'offered', coalesce((select offered from conv), '[]'::jsonb),
    'handed_off', exists (select 1 from public.conversations where contact_id = p_contact_id and handed_off_at is not null),
    'services', coalesce((select jsonb_agg(jsonb_build_object('id', id, 'name', name, 'synonyms', synonyms) order by name)
                          from public.services where is_active), '[]'::jsonb),
    'team_members', coalesce((select jsonb_agg(jsonb_build_object('id', m.id, 'name', m.name, 'service_ids',
                                 coalesce((select jsonb_agg(l.service_id) from public.team_member_services l
                                           where l.team_member_id = m.id), '[]'::jsonb)) order by m.display_order)
                              from public.team_members m where m.is_active and not m.is_general_calendar), '[]'::jsonb))
$$;

comment on function private.handle_conversation_message(uuid, jsonb, timestamptz) is
  'The booking conversation''s one decision per inbound WhatsApp message: reads the conversation, calls the booking decisions, stores the new state, returns what to say ({"say": ...}) or null (handed off).';
comment on function private.conversation_context(uuid, timestamptz) is
  'What the message interpreter needs: services with synonyms, team members with their services, the open question and offered options, time zone, language.';
comment on function private.conversation_offer(uuid, timestamptz, boolean) is
  'Offers (and holds) slots for the request stored in the conversation, or asks which service / team member.';
comment on function private.conversation_book(uuid, integer, timestamptz) is
  'Books (or reschedules to) the offered option the customer chose, with the guide''s strategy and snapshot; a lost slot is re-offered.';
comment on function private.conversation_strategy(public.conversations, jsonb, public.contacts) is
  'assigned_strategy and preference snapshot fields for a chosen option, as the guide''s booking records show.';
comment on function private.conversation_info(text, uuid, timestamptz) is 'Opening hours, prices or who offers what, from the tables.';
comment on function private.conversation_set_preference(uuid, uuid, timestamptz) is 'Puts one team member first in a customer''s preferences.';
comment on function private.conversation_upcoming_bookings(uuid, timestamptz) is 'A customer''s upcoming confirmed bookings, numbered.';
comment on function private.conversation_forget(uuid) is 'Forgets a conversation''s request and offer and releases its holds.';
comment on function private.conversation_release_holds(uuid) is 'Releases the slots held for a customer while they decide.';

revoke all on function private.handle_conversation_message(uuid, jsonb, timestamptz),
  private.conversation_context(uuid, timestamptz),
  private.conversation_offer(uuid, timestamptz, boolean),
  private.conversation_book(uuid, integer, timestamptz),
  private.conversation_strategy(public.conversations, jsonb, public.contacts),
  private.conversation_info(text, uuid, timestamptz),
  private.conversation_set_preference(uuid, uuid, timestamptz),
  private.conversation_upcoming_bookings(uuid, timestamptz),
  private.conversation_forget(uuid),
  private.conversation_release_holds(uuid) from public, anon, authenticated;
-- The WhatsApp webhook (service role) runs the conversation.
grant execute on function private.handle_conversation_message(uuid, jsonb, timestamptz),
  private.conversation_context(uuid, timestamptz) to service_role;

-- The LLM interpreter's prompt for one customer, its placeholders filled from the tables
-- (guide, Phase 3: TEAM_MEMBERS_LIST and CUSTOMER_PREFERRED_TEAM_MEMBERS).
create or replace function private.conversation_llm_prompt(p_contact_id uuid, p_now timestamptz default now()) returns text
language sql stable security definer set search_path = ''
as $$
  select replace(replace(replace(replace(replace(s.llm_prompt_template,
    '{{BUSINESS_NAME}}', s.business_name),
    '{{TODAY}}', to_char(p_now at time zone s.time_zone, 'FMDay, YYYY-MM-DD HH24:MI') || ' ' || s.time_zone),
    '{{SERVICES_LIST}}', coalesce((select string_agg(format('- %s: %s (%s)', v.id, v.name, array_to_string(v.synonyms, ', ')), E'\n' order by v.name)
                                   from public.services v where v.is_active), '(none)')),
    '{{TEAM_MEMBERS_LIST}}', coalesce((select string_agg(format('- %s: %s, %s, offers %s', m.id, m.name, coalesce(m.role, 'team member'),
                                        coalesce((select string_agg(v.name, ', ' order by v.name) from public.team_member_services l
                                                  join public.services v on v.id = l.service_id where l.team_member_id = m.id), 'nothing')),
                                        E'\n' order by m.display_order)
                                       from public.team_members m where m.is_active and not m.is_general_calendar), '(none)')),
    '{{CUSTOMER_PREFERRED_TEAM_MEMBERS}}', coalesce((select string_agg(format('%s. %s (%s)', p.rank, m.name, m.id), E'\n' order by p.rank)
                                                     from public.contacts c,
                                                          unnest(c.preferred_team_member_ids) with ordinality p(id, rank)
                                                     join public.team_members m on m.id = p.id
                                                     where c.id = p_contact_id), '(none)'))
  from public.business_settings s where s.id
$$;
comment on function private.conversation_llm_prompt(uuid, timestamptz) is
  'The LLM interpreter''s prompt (business_settings.llm_prompt_template) with its placeholders filled for one customer.';
revoke all on function private.conversation_llm_prompt(uuid, timestamptz) from public, anon, authenticated;
grant execute on function private.conversation_llm_prompt(uuid, timestamptz) to service_role;

-- Is this team member's calendar older than business_settings.calendar_fresh_minutes (by the real
-- clock: it is about when we last read it)? Then it is read again before a booking is confirmed.
create or replace function private.conversation_calendar_stale(p_team_member_id uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
  select coalesce((
    select m.calendar_provider is not null and not m.is_general_calendar
           and (m.calendar_last_synced is null
                or m.calendar_last_synced < now() - make_interval(mins => s.calendar_fresh_minutes))
    from public.team_members m, public.business_settings s
    where m.id = p_team_member_id and s.id), false)
$$;
comment on function private.conversation_calendar_stale(uuid) is
  'True when a team member''s calendar was last read longer ago than business_settings.calendar_fresh_minutes (read it before confirming a booking).';
revoke all on function private.conversation_calendar_stale(uuid) from public, anon, authenticated;
grant execute on function private.conversation_calendar_stale(uuid) to service_role;
