-- The booking conversation's decisions (private.handle_conversation_message), message by message
-- with a fixed clock: the guide's Examples 1-5, a slot lost between offer and yes, nobody free,
-- cancel, reschedule, preference change, hand-off, STOP, information, idle expiry, the
-- single-calendar mode and bad input. Sunday 29 November 2026, 12:00 Zurich unless said.
begin;
select plan(91);

create temporary table ids as select
  '70000000-0000-4000-8000-000000000001'::uuid as weber, '70000000-0000-4000-8000-000000000002'::uuid as schmidt,
  '70000000-0000-4000-8000-000000000003'::uuid as mueller, '70000000-0000-4000-8000-000000000004'::uuid as sarah,
  '70000000-0000-4000-8000-000000000005'::uuid as michael,
  '50000000-0000-4000-8000-000000000001'::uuid as cleaning, '50000000-0000-4000-8000-000000000005'::uuid as massage,
  'c0000000-0000-4000-8000-000000000001'::uuid as marie, 'c0000000-0000-4000-8000-000000000002'::uuid as thomas,
  'c0000000-0000-4000-8000-000000000003'::uuid as anna, 'c0000000-0000-4000-8000-000000000004'::uuid as lisa,
  'c0000000-0000-4000-8000-000000000005'::uuid as marc,
  'c0000000-0000-4000-8000-0000000000e1'::uuid as eva, 'c0000000-0000-4000-8000-0000000000e2'::uuid as paul,
  'c0000000-0000-4000-8000-0000000000e3'::uuid as rita;
insert into contacts (id, whatsapp_id, name, language) values
  ('c0000000-0000-4000-8000-0000000000e1', '+41791110101', 'Eva Keller', 'de'),
  ('c0000000-0000-4000-8000-0000000000e2', '+41791110102', 'Paul Frei', 'en'),
  ('c0000000-0000-4000-8000-0000000000e3', '+41791110103', 'Rita Blum', 'fr');

create function tests.busy(p_member uuid, p_from text, p_to text) returns void language sql as $$
  insert into calendar_busy_times (team_member_id, starts_at, ends_at)
  values (p_member, (p_from::timestamp at time zone 'Europe/Zurich'), (p_to::timestamp at time zone 'Europe/Zurich'))
$$;
create function tests.at(p_local text) returns timestamptz language sql as $$
  select p_local::timestamp at time zone 'Europe/Zurich'
$$;
create function tests.local(p_at jsonb) returns text language sql as $$
  select to_char((p_at #>> '{}')::timestamptz at time zone 'Europe/Zurich', 'Dy YYYY-MM-DD HH24:MI')
$$;
-- One inbound message: the intent as the interpreter would give it.
create function tests.say(p_contact uuid, p_intent text, p_fields jsonb, p_now text) returns jsonb language sql as $$
  select private.handle_conversation_message(p_contact,
    jsonb_build_object('intent', p_intent, 'language', 'en', 'service_id', null, 'service_ids', '[]'::jsonb,
                       'team_member_ids', '[]'::jsonb, 'urgent', false, 'anyone', false, 'text', '') || p_fields,
    tests.at(p_now))
$$;
create function tests.option_line(p_reply jsonb, p_number int) returns text language sql as $$
  select o ->> 'kind' || ' ' || (o ->> 'team_member_name') || ' ' || tests.local(o -> 'starts_at')
  from jsonb_array_elements(p_reply -> 'options') o where (o ->> 'number')::int = p_number
$$;
create temporary table r (step text primary key, reply jsonb);

-- Example 1: Marie prefers Dr. Weber, free on Tuesday at 2 pm. "I need a dental cleaning" → yes.
select tests.busy(weber, '2026-11-30 08:00', '2026-11-30 17:00') from ids;
select tests.busy(weber, '2026-12-01 08:00', '2026-12-01 14:00') from ids;
insert into r select 'e1 offer', tests.say(marie, 'book', jsonb_build_object('service_id', cleaning, 'text', 'I need a dental cleaning'),
                                          '2026-11-29 12:00') from ids;
select is((select reply ->> 'outcome' from r where step = 'e1 offer'), 'preferred_available', 'Example 1: the preferred dentist is free');
select is((select tests.option_line(reply, 1) from r where step = 'e1 offer'), 'preferred Dr. Sarah Weber Tue 2026-12-01 14:00',
  'Example 1: Dr. Weber on Tuesday at 2:00 PM is offered first');
select is((select reply -> 'preferred' ->> 'role' from r where step = 'e1 offer'), 'Dentist', 'Example 1: the reply knows she is "your preferred dentist"');
select is((select count(*)::int from bookings where contact_id = (select marie from ids) and status = 'held'
             and starts_at = tests.at('2026-12-01 14:00') and hold_expires_at = tests.at('2026-11-29 12:10')),
  1, 'Example 1: the offered slot is held for Marie for 10 minutes');
insert into r select 'e1 yes', tests.say(marie, 'yes', '{"text": "yes"}', '2026-11-29 12:02') from ids;
select is((select reply ->> 'say' || '/' || (reply ->> 'purpose') from r where step = 'e1 yes'), 'booked/booking_confirmation',
  'Example 1: yes books it, and the reply is a booking confirmation');
select results_eq(
  $$select team_member_id, assigned_strategy, preference_snapshot from bookings
    where contact_id = (select marie from ids) and status = 'confirmed'$$,
  $$select weber, 'preference'::text, jsonb_build_object('preferred_ids', jsonb_build_array(weber),
          'detected_from', 'conversation_history', 'last_updated', '2025-03-01') from ids$$,
  'Example 1: the booking record is the guide''s');
select is((select count(*)::int from bookings where contact_id = (select marie from ids) and status = 'held'), 0,
  'Example 1: the other offered slots are released');

-- Example 2: Thomas prefers Dr. Weber, fully booked on Friday morning.
select tests.busy(weber, '2026-12-04 08:00', '2026-12-04 17:00') from ids;
select tests.busy(schmidt, '2026-12-04 08:00', '2026-12-04 10:00') from ids;
select tests.busy(mueller, '2026-12-04 08:00', '2026-12-04 12:00') from ids;
select tests.busy(weber, '2026-12-07 08:00', '2026-12-07 09:00') from ids;
insert into r select 'e2 offer', tests.say(thomas, 'book', jsonb_build_object('service_ids', jsonb_build_array(cleaning),
    'window_from', tests.at('2026-12-04 07:00'), 'window_to', tests.at('2026-12-04 12:00'), 'part_of_day', 'morning',
    'text', 'Dental appointment Friday morning'), '2026-11-29 12:00') from ids;
select is((select reply ->> 'outcome' from r where step = 'e2 offer'), 'preferred_unavailable',
  'Example 2: the preferred dentist is booked in that window');
select is((select array[tests.option_line(reply, 1), tests.option_line(reply, 2)] from r where step = 'e2 offer'),
  array['alternative Dr. Schmidt Fri 2026-12-04 10:00', 'preferred_later Dr. Sarah Weber Mon 2026-12-07 09:00'],
  'Example 2: Dr. Schmidt on Friday at 10:00 or Dr. Weber on Monday at 9:00');
select is((select reply ->> 'part_of_day' from r where step = 'e2 offer'), 'morning', 'Example 2: the reply can say "Friday morning"');
insert into r select 'e2 choose', tests.say(thomas, 'choose', '{"choice": 1, "text": "Dr. Schmidt"}', '2026-11-29 12:03') from ids;
select results_eq(
  $$select team_member_id, assigned_strategy, preference_snapshot from bookings
    where contact_id = (select thomas from ids) and status = 'confirmed'$$,
  $$select schmidt, 'availability'::text, jsonb_build_object('preferred_ids', jsonb_build_array(weber),
          'override_reason', 'preferred_unavailable', 'alternatives_offered', jsonb_build_array(schmidt, weber::text || '-later')) from ids$$,
  'Example 2: booked with Dr. Schmidt by availability; the snapshot lists the alternatives offered');
select is((select preferred_team_member_ids from contacts where id = (select thomas from ids)), (select array[weber] from ids),
  'Example 2: the preference stays Dr. Weber');

-- Example 3: Lisa, no preference, wants a massage; Sarah free at 2 pm, Michael at 3 pm.
select tests.busy(sarah, '2026-11-30 08:00', '2026-11-30 17:00') from ids;
select tests.busy(michael, '2026-11-30 08:00', '2026-11-30 17:00') from ids;
select tests.busy(sarah, '2026-12-01 08:00', '2026-12-01 14:00') from ids;
select tests.busy(michael, '2026-12-01 08:00', '2026-12-01 15:00') from ids;
insert into r select 'e3 offer', tests.say(lisa, 'book', jsonb_build_object('service_id', massage, 'text', 'I need a massage'),
                                          '2026-11-29 12:00') from ids;
select is((select array[reply ->> 'outcome', tests.option_line(reply, 1), tests.option_line(reply, 2)] from r where step = 'e3 offer'),
  array['no_preference', 'best_match Sarah Tue 2026-12-01 14:00', 'best_match Michael Tue 2026-12-01 15:00'],
  'Example 3: Sarah (priority 5) before Michael (priority 3)');
select is((select reply -> 'options' -> 0 ->> 'bio' from r where step = 'e3 offer'), 'Excellent with deep tissue massage.',
  'Example 3: Sarah''s bio line comes with the offer');
insert into r select 'e3 yes', tests.say(lisa, 'yes', '{"text": "yes"}', '2026-11-29 12:01') from ids;
select is((select (reply ->> 'ask_preference')::boolean from r where step = 'e3 yes'), true,
  'Example 3: after booking the bot asks whether to book with Sarah in future');
select is((select assigned_strategy from bookings where contact_id = (select lisa from ids) and status = 'confirmed'), 'auto',
  'Example 3: booked by score');
insert into r select 'e3 keep', tests.say(lisa, 'yes', '{"text": "Yes, she was great!"}', '2026-11-29 12:02') from ids;
select is((select reply ->> 'say' from r where step = 'e3 keep'), 'preference_saved', 'Example 3: "Yes, she was great!" is understood');
select is((select array[preferred_team_member_ids::text, preference_metadata ->> 'detected_from'] from contacts where id = (select lisa from ids)),
  (select array[array[sarah]::text, 'conversation_history'] from ids), 'Example 3: Sarah is stored as Lisa''s preference');

-- After the preference question, a new request is a new booking (not a move of the last one).
insert into r select 'after e3', tests.say(lisa, 'book', jsonb_build_object('service_id', massage,
    'window_from', tests.at('2026-12-03 00:00'), 'window_to', tests.at('2026-12-04 00:00')), '2026-11-29 12:03') from ids;
select is((select (reply ->> 'rescheduling')::boolean from r where step = 'after e3'), false, 'a request after a booking is a new booking');
select tests.say(lisa, 'no', '{}', '2026-11-29 12:04') from ids;

-- Example 4: Anna prefers Dr. Weber but is in severe pain; Dr. Schmidt is free today at 4 pm.
-- (Monday 30 November, 12:00; Anna has had cleanings before, so "an appointment" means one.)
update team_members set working_hours = '{"mon": [{"start": "08:00", "end": "18:00"}], "tue": [{"start": "08:00", "end": "17:00"}], "fri": [{"start": "08:00", "end": "17:00"}]}'
where id = (select schmidt from ids);
select tests.busy(schmidt, '2026-11-30 12:00', '2026-11-30 16:00') from ids;
select tests.busy(mueller, '2026-11-30 12:00', '2026-11-30 17:00') from ids;
insert into bookings (contact_id, service_id, team_member_id, starts_at, ends_at, status, assigned_strategy, created_at)
select anna, cleaning, weber, tests.at('2026-06-02 09:00'), tests.at('2026-06-02 10:00'), 'completed', 'preference', tests.at('2026-05-20 10:00')
from ids;
insert into r select 'e4 offer', tests.say(anna, 'book', jsonb_build_object('urgent', true,
    'customer_statement', 'severe pain, earliest possible', 'text', 'I''m in severe pain, need earliest appointment possible!'),
  '2026-11-30 12:00') from ids;
select is((select array[reply ->> 'outcome', tests.option_line(reply, 1), reply ->> 'urgent'] from r where step = 'e4 offer'),
  array['urgent', 'earliest Dr. Schmidt Mon 2026-11-30 16:00', 'true'],
  'Example 4: the earliest appointment, with Dr. Schmidt today at 4:00 PM, preferences bypassed');
insert into r select 'e4 yes', tests.say(anna, 'yes', '{"text": "Yes please!"}', '2026-11-30 12:01') from ids;
select results_eq(
  $$select team_member_id, assigned_strategy, preference_snapshot from bookings
    where contact_id = (select anna from ids) and status = 'confirmed'$$,
  $$select schmidt, 'manual'::text, jsonb_build_object('preferred_ids', jsonb_build_array(weber),
          'override_reason', 'urgent_request', 'customer_statement', 'severe pain, earliest possible') from ids$$,
  'Example 4: the booking record is the guide''s, with the customer''s own words');

-- Example 5: Marc prefers Sarah but asks for Michael; Michael is free on Wednesday at 3 pm.
select tests.busy(michael, '2026-12-01 15:00', '2026-12-01 17:00') from ids;
select tests.busy(michael, '2026-12-02 08:00', '2026-12-02 15:00') from ids;
insert into r select 'e5 offer', tests.say(marc, 'book', jsonb_build_object('service_id', massage, 'team_member_ids', jsonb_build_array(michael),
    'text', 'Can I try a massage with Michael this time? I''ve heard good things'), '2026-11-29 12:00') from ids;
select is((select array[reply ->> 'outcome', tests.option_line(reply, 1)] from r where step = 'e5 offer'),
  array['explicit_available', 'requested Michael Wed 2026-12-02 15:00'], 'Example 5: Michael''s first free slot, Wednesday at 3 pm');
select ok((select bool_and(o ->> 'team_member_name' = 'Michael') from r, jsonb_array_elements(reply -> 'options') o where step = 'e5 offer'),
  'Example 5: only Michael is offered');
insert into r select 'e5 yes', tests.say(marc, 'yes', '{"text": "Perfect!"}', '2026-11-29 12:01') from ids;
select is((select array[team_member_id::text, assigned_strategy] from bookings where contact_id = (select marc from ids) and status = 'confirmed'),
  (select array[michael::text, 'manual'] from ids), 'Example 5: booked with Michael as asked');
select is((select preferred_team_member_ids from contacts where id = (select marc from ids)), (select array[sarah, michael] from ids),
  'Example 5: Michael is added to the preferences, Sarah stays first');
select is((select preference_metadata -> 'sources' ->> (select michael::text from ids) from contacts where id = (select marc from ids)),
  'explicit_request', 'Example 5: the expansion is noted in the metadata');
select is((select (reply ->> 'preference_added')::boolean from r where step = 'e5 yes'), true, 'Example 5: and the reply says so');

-- Phase 4, several preferences: Marc now prefers Sarah, then Michael. On a day Sarah is busy,
-- Michael (his second preference) is offered and the booking is by preference.
select tests.busy(sarah, '2026-12-08 00:00', '2026-12-09 00:00') from ids;
insert into r select 'two prefs', tests.say(marc, 'book', jsonb_build_object('service_id', massage,
    'window_from', tests.at('2026-12-08 00:00'), 'window_to', tests.at('2026-12-09 00:00')), '2026-11-29 12:30') from ids;
select is((select array[reply ->> 'outcome', tests.option_line(reply, 1)] from r where step = 'two prefs'),
  array['preferred_available', 'preferred Michael Tue 2026-12-08 08:00'], 'several preferences: the second one is offered when the first is busy');
select tests.say(marc, 'yes', '{}', '2026-11-29 12:31') from ids;
select is((select assigned_strategy from bookings where contact_id = (select marc from ids) and status = 'confirmed'
             and starts_at = tests.at('2026-12-08 08:00')), 'preference', 'several preferences: booked by preference');

-- A slot lost between offer and yes: Eva is offered Tuesday 8:00 with Dr. Müller, thinks for 15
-- minutes (her hold lapses), someone else books it; her "yes" gets an apology and the next slot.
select tests.busy(mueller, '2026-12-01 00:00', '2026-12-01 08:00') from ids;
insert into r select 'lost offer', tests.say(eva, 'book', jsonb_build_object('service_id', cleaning, 'team_member_ids', jsonb_build_array(mueller),
    'window_from', tests.at('2026-12-01 00:00'), 'window_to', tests.at('2026-12-02 00:00')), '2026-11-29 12:00') from ids;
select is((select tests.option_line(reply, 1) from r where step = 'lost offer'), 'requested Dr. Müller Tue 2026-12-01 08:00',
  'lost slot: Dr. Müller on Tuesday at 8:00 is offered');
select isnt(book_appointment(paul, cleaning, mueller, tests.at('2026-12-01 08:00'), 'auto', p_now => tests.at('2026-11-29 12:15')), null,
  'lost slot: after Eva''s hold lapsed, Paul books it') from ids;
insert into r select 'lost yes', tests.say(eva, 'yes', '{}', '2026-11-29 12:16') from ids;
select is((select array[reply ->> 'say', reply ->> 'lost'] from r where step = 'lost yes'), array['offer', 'true'],
  'lost slot: Eva''s yes is answered with an apology and new options');
select isnt((select tests.option_line(reply, 1) from r where step = 'lost yes'), 'requested Dr. Müller Tue 2026-12-01 08:00',
  'lost slot: the lost time is not offered again');
select is((select count(*)::int from bookings where contact_id = (select eva from ids) and status = 'confirmed'), 0,
  'lost slot: nothing was booked for Eva');
select is((select count(*)::int from bookings where contact_id = (select eva from ids) and status = 'held'
             and starts_at > tests.at('2026-12-01 08:00')),
          (select jsonb_array_length(reply -> 'options') from r where step = 'lost yes'),
  'lost slot: the new options are held for her');
insert into r select 'lost yes 2', tests.say(eva, 'yes', '{}', '2026-11-29 12:17') from ids;
select is((select reply ->> 'say' from r where step = 'lost yes 2'), 'booked', 'lost slot: her next yes books the new option');

-- Nobody free in the window → the next days anyone is.
select tests.busy(weber, '2026-12-03 00:00', '2026-12-04 00:00') from ids;
select tests.busy(schmidt, '2026-12-03 00:00', '2026-12-04 00:00') from ids;
select tests.busy(mueller, '2026-12-03 00:00', '2026-12-04 00:00') from ids;
insert into r select 'nobody', tests.say(paul, 'book', jsonb_build_object('service_id', cleaning,
    'window_from', tests.at('2026-12-03 00:00'), 'window_to', tests.at('2026-12-04 00:00')), '2026-11-29 12:00') from ids;
select is((select reply ->> 'outcome' from r where step = 'nobody'), 'nobody_available', 'nobody free on Thursday: said so');
select ok((select bool_and((o ->> 'starts_at')::timestamptz >= tests.at('2026-12-04 00:00')) and count(*) > 0
           from r, jsonb_array_elements(reply -> 'options') o where step = 'nobody'),
  'nobody free on Thursday: the next slots after it are offered');
select tests.say(paul, 'no', '{}', '2026-11-29 12:01') from ids;
select is((select count(*)::int from bookings where contact_id = (select paul from ids) and status = 'held'), 0,
  '"no" releases the held slots');

-- Cancel: pick (one booking: straight to confirm) → yes → cancel_booking.
insert into r select 'cancel', tests.say(marie, 'cancel', '{}', '2026-11-29 13:00') from ids;
select is((select reply ->> 'say' || ' ' || (reply -> 'booking' ->> 'team_member_name') from r where step = 'cancel'),
  'confirm_cancel Dr. Sarah Weber', 'cancel: the one booking is named and confirmation asked');
select tests.say(marie, 'yes', '{}', '2026-11-29 13:01') from ids;
select is((select status from bookings where contact_id = (select marie from ids) and starts_at = tests.at('2026-12-01 14:00')),
  'cancelled', 'cancel: yes cancels the booking');
select is((select tests.say(marie, 'cancel', '{}', '2026-11-29 13:02') ->> 'say' from ids), 'no_bookings',
  'cancel with nothing booked says so');
-- Several bookings: a list to pick from; "no" keeps the booking.
select book_appointment(eva, massage, sarah, tests.at('2026-12-02 10:00'), 'auto', p_now => tests.at('2026-11-29 12:00')) from ids;
insert into r select 'cancel pick', tests.say(eva, 'cancel', '{}', '2026-11-29 13:00') from ids;
select is((select reply ->> 'say' || ' ' || jsonb_array_length(reply -> 'bookings') from r where step = 'cancel pick'), 'pick_booking 2',
  'cancel with two bookings lists them');
select is((select tests.say(eva, 'choose', '{"choice": 2}', '2026-11-29 13:01') -> 'booking' ->> 'service_name' from ids),
  'Deep Tissue Massage', 'cancel: the second is picked (in time order)');
select tests.say(eva, 'no', '{}', '2026-11-29 13:02') from ids;
select is((select status from bookings where contact_id = (select eva from ids) and service_id = (select massage from ids)), 'confirmed',
  'cancel: "no" keeps the booking');

-- Reschedule: Thomas moves his Friday booking with Dr. Schmidt to Tuesday; atomic.
insert into r select 'resched', tests.say(thomas, 'reschedule', jsonb_build_object('window_from', tests.at('2026-12-01 00:00'),
    'window_to', tests.at('2026-12-02 00:00')), '2026-11-29 14:00') from ids;
select is((select reply ->> 'say' || ' ' || (reply ->> 'rescheduling') || ' ' || tests.option_line(reply, 1) from r where step = 'resched'),
  'offer true requested Dr. Schmidt Tue 2026-12-01 08:00', 'reschedule: new times with the same dentist are offered');
insert into r select 'resched yes', tests.say(thomas, 'yes', '{}', '2026-11-29 14:01') from ids;
select is((select reply ->> 'say' || ' ' || (reply ->> 'rescheduled') from r where step = 'resched yes'), 'booked true',
  'reschedule: yes moves the booking');
select results_eq(
  $$select status, tests.local(to_jsonb(starts_at)), assigned_strategy, rescheduled_from_id is not null from bookings
    where contact_id = (select thomas from ids) order by starts_at$$,
  $$values ('confirmed', 'Tue 2026-12-01 08:00', 'availability', true), ('cancelled', 'Fri 2026-12-04 10:00', 'availability', false)$$,
  'reschedule: the old booking is cancelled, the new one keeps strategy and snapshot');

-- Changing the preferred team member.
insert into r select 'pref', tests.say(lisa, 'change_preference', jsonb_build_object('team_member_ids', jsonb_build_array(michael)),
  '2026-11-29 15:00') from ids;
select is((select reply ->> 'say' || ' ' || (reply ->> 'team_member_name') from r where step = 'pref'), 'preference_changed Michael',
  'preference change is confirmed');
select is((select preferred_team_member_ids from contacts where id = (select lisa from ids)), (select array[michael, sarah] from ids),
  'preference change: Michael first, Sarah kept');
select is((select tests.say(lisa, 'change_preference', '{}', '2026-11-29 15:01') ->> 'say' from ids), 'ask_preference_member',
  'preference change without a name asks who');
select is((select tests.say(lisa, 'choose', '{"choice": 2}', '2026-11-29 15:02') ->> 'team_member_name' from ids), 'Dr. Schmidt',
  'preference change: picked from the list');

-- Hand-off: flagged, admin alert, the bot is silent until an admin releases it.
insert into r select 'human', tests.say(rita, 'human', '{"text": "je veux parler à une personne", "language": "fr"}', '2026-11-29 12:00') from ids;
select is((select reply ->> 'say' || ' ' || (reply ->> 'language') from r where step = 'human'), 'handoff fr', 'hand-off is confirmed in French');
select isnt((select handed_off_at from conversations where contact_id = (select rita from ids)), null, 'hand-off: the conversation is flagged');
select is((select count(*)::int from admin_alerts where kind = 'conversation_handoff' and contact_id = (select rita from ids) and resolved_at is null),
  1, 'hand-off: an admin alert is open');
select is((select tests.say(rita, 'book', jsonb_build_object('service_id', cleaning), '2026-11-29 12:05') from ids), null,
  'hand-off: the bot stays silent');
select is((select count(*)::int from bookings where contact_id = (select rita from ids)), 0, 'hand-off: and decides nothing');
select is((select tests.say(rita, 'stop', '{}', '2026-11-29 12:06') from ids), null, 'hand-off: a STOP gets no bot reply either');
select isnt((select opted_out_at from conversations where contact_id = (select rita from ids)), null, 'hand-off: but the STOP is recorded');
select lives_ok($$select admin_release_conversation((select rita from ids))$$, 'an admin releases the conversation');
select is((select count(*)::int from admin_alerts where kind = 'conversation_handoff' and contact_id = (select rita from ids) and resolved_at is null),
  0, 'release resolves the alert');
select is((select tests.say(rita, 'greeting', '{}', '2026-11-29 12:10') ->> 'say' from ids), 'greeting', 'after release the bot answers again');

-- STOP: opted out until they write again.
select is((select tests.say(paul, 'stop', '{}', '2026-11-29 16:00') ->> 'say' from ids), 'stopped', 'STOP is confirmed');
select isnt((select opted_out_at from conversations where contact_id = (select paul from ids)), null, 'STOP: the opt-out is recorded');
select tests.say(paul, 'greeting', '{}', '2026-11-29 16:05') from ids;
select is((select opted_out_at from conversations where contact_id = (select paul from ids)), null, 'writing again ends the opt-out');

-- Information from the database.
select is((select tests.say(paul, 'opening_hours', '{}', '2026-11-29 16:06') -> 'hours' from ids),
  (select default_working_hours from business_settings), 'opening hours come from the settings');
select is((select tests.say(paul, 'price', jsonb_build_object('service_id', cleaning), '2026-11-29 16:07') -> 'services' from ids),
  '[{"name": "Dental Cleaning", "cost_chf": 160.00, "duration_minutes": 60}]'::jsonb, 'the price of a cleaning');
select is((select tests.say(paul, 'who_does', jsonb_build_object('service_id', massage), '2026-11-29 16:08') -> 'services' -> 0 -> 'team_members' from ids),
  '["Sarah", "Michael"]'::jsonb, 'who does massages');
select is((select tests.say(paul, 'my_bookings', '{}', '2026-11-29 16:09') -> 'bookings' -> 0 ->> 'team_member_name' from ids),
  'Dr. Müller', 'my bookings lists Paul''s appointment');

-- Idle for more than 30 minutes: the offer is forgotten and its holds released.
select tests.say(paul, 'book', jsonb_build_object('service_id', cleaning), '2026-11-29 17:00') from ids;
select is((select count(*)::int from bookings where contact_id = (select paul from ids) and status = 'held') > 0, true, 'idle: an offer holds slots');
insert into r select 'idle yes', tests.say(paul, 'yes', '{}', '2026-11-29 17:31') from ids;
select is((select reply ->> 'say' from r where step = 'idle yes'), 'not_understood', 'idle: a yes after 31 minutes confirms nothing');
select is((select count(*)::int from bookings where contact_id = (select paul from ids) and status = 'held'), 0, 'idle: the holds are released');
select is((select awaiting from conversations where contact_id = (select paul from ids)), 'nothing', 'idle: the conversation starts afresh');

-- Ambiguous name: "bei Sarah" without a service → which service? → massage → Sarah (not Dr. Sarah Weber).
insert into r select 'ambiguous', tests.say(rita, 'book', jsonb_build_object('team_member_ids', jsonb_build_array(weber, sarah)),
  '2026-11-29 18:00') from ids;
select is((select reply ->> 'say' from r where step = 'ambiguous'), 'ask_service', 'ambiguous name, no service: the bot asks which service');
insert into r select 'ambiguous 2', tests.say(rita, 'choose', '{"choice": 1}', '2026-11-29 18:01') from ids;
select is((select array[reply ->> 'outcome', reply -> 'options' -> 0 ->> 'team_member_name'] from r where step = 'ambiguous 2'),
  array['explicit_available', 'Sarah'], 'the service settles which Sarah is meant');
-- With a service that both could mean: asked back.
update team_member_services set service_id = (select massage from ids)
where team_member_id = (select weber from ids) and service_id = '50000000-0000-4000-8000-000000000004';
insert into r select 'ambiguous 3', tests.say(rita, 'book', jsonb_build_object('service_id', massage, 'team_member_ids', jsonb_build_array(weber, sarah)),
  '2026-11-29 18:02') from ids;
select is((select reply ->> 'say' || ' ' || jsonb_array_length(reply -> 'team_members') from r where step = 'ambiguous 3'), 'ask_team_member 2',
  'two Sarahs offering the service: the bot asks which');
update team_member_services set service_id = '50000000-0000-4000-8000-000000000004'
where team_member_id = (select weber from ids) and service_id = (select massage from ids);

-- A team member who does not offer the service: said, and the usual choice offered.
insert into r select 'not offered', tests.say(paul, 'book', jsonb_build_object('service_id', massage, 'team_member_ids', jsonb_build_array(schmidt)),
  '2026-11-29 18:00') from ids;
select is((select reply ->> 'note' || ' ' || (reply ->> 'outcome') from r where step = 'not offered'), 'team_member_does_not_offer no_preference',
  'a named member who does not offer the service is mentioned and others offered');

-- Bad input changes nothing.
select throws_ok($$select tests.say((select paul from ids), 'hack', '{}', '2026-11-29 19:00')$$, 'BK004', null, 'an unknown intent is refused');
select throws_ok($$select tests.say((select paul from ids), 'book', '{"service_id": "not-a-uuid"}', '2026-11-29 19:00')$$, 'BK004', null,
  'a malformed field is refused');
select throws_ok($$select private.handle_conversation_message((select paul from ids), '[1]', now())$$, 'BK004', null, 'an intent that is no object is refused');
select is((select tests.say(paul, 'book', jsonb_build_object('service_id', cleaning, 'window_from', 'infinity', 'window_to', 'infinity'),
  '2026-11-29 19:00') ->> 'say' from ids), 'offer', 'an infinite window is ignored, not obeyed');
select is((select tests.say(paul, 'book', jsonb_build_object('service_id', cleaning, 'window_from', '9999-12-31T00:00:00Z', 'window_to', '9999-12-31T23:00:00Z'),
  '2026-11-29 19:01') ->> 'say' from ids), 'beyond_horizon', 'a date in year 9999 is beyond the booking horizon');

-- The LLM interpreter's prompt, hydrated from the tables.
create temporary table prompt as
  select private.conversation_llm_prompt((select marc from ids), tests.at('2026-11-29 12:00')) as text;
select ok((select text like '%Today is Sunday, 2026-11-29 12:00 Europe/Zurich%' and text like '%Praxis am See%' from prompt),
  'the prompt names the business and today in its time zone');
select ok((select text like '%' || (select michael from ids) || ': Michael, Massage therapist, offers Deep Tissue Massage%'
           and text like '%: Dental Cleaning (%' from prompt), 'the prompt lists team members with their services, and the services');
select ok((select text like E'%most preferred first:\n1. Sarah (' || (select sarah from ids) || E')\n2. Michael (%' and text not like '%{{%' from prompt),
  'the prompt lists the customer''s preferences in order, and no placeholder is left');

-- Phase 4, a single team member (assignment required): only Dr. Schmidt works (Mon, Tue, Fri since Example 4).
update team_members set is_active = false where id in (select weber from ids union all select mueller from ids);
insert into r select 'single member', tests.say(rita, 'book', jsonb_build_object('service_id', cleaning,
    'window_from', tests.at('2026-12-11 00:00'), 'window_to', tests.at('2026-12-12 00:00')), '2026-11-29 19:30') from ids;
select is((select array[reply ->> 'outcome', tests.option_line(reply, 1)] from r where step = 'single member'),
  array['no_preference', 'best_match Dr. Schmidt Fri 2026-12-11 08:00'], 'a single team member: their slots are offered');
select is((select tests.say(rita, 'yes', '{}', '2026-11-29 19:31') ->> 'team_member_name' from ids), 'Dr. Schmidt',
  'a single team member: booked with them');
update team_members set is_active = true where id in (select weber from ids union all select mueller from ids);

-- Single-calendar mode (require_team_member_assignment off, only the General Calendar).
update business_settings set require_team_member_assignment = false;
update team_members set is_active = false where not is_general_calendar;
insert into r select 'single', tests.say(eva, 'book', jsonb_build_object('service_id', cleaning), '2026-11-29 20:00') from ids;
select is((select array[reply ->> 'say', reply -> 'options' -> 0 ->> 'is_general'] from r where step = 'single'), array['offer', 'true'],
  'single calendar: the General Calendar''s slots are offered');
select tests.say(eva, 'yes', '{}', '2026-11-29 20:01') from ids;
select is((select count(*)::int from bookings b join team_members m on m.id = b.team_member_id
           where b.contact_id = (select eva from ids) and b.status = 'confirmed' and m.is_general_calendar and b.assigned_strategy = 'auto'),
  1, 'single calendar: booked on the General Calendar');

-- The interpreter's context: catalogue and the open question.
select is((select jsonb_array_length(private.conversation_context((select lisa from ids), tests.at('2026-11-29 20:00')) -> 'services')), 5,
  'the interpreter gets the active services');
select is((select private.conversation_context((select lisa from ids), tests.at('2026-11-29 20:00')) ->> 'time_zone'), 'Europe/Zurich',
  'and the business time zone');

select * from finish();
rollback;
