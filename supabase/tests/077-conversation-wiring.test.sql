-- The conversation wired to the other features, decided in SQL with a fixed clock: a booking
-- conversation shows up in the booking-time metric and the availability query log; nothing free →
-- the waitlist offer (yes joins with the asked window and member, no does not, never for a
-- reschedule); a waitlist offer's hold survives the customer's next request; a reminder's quick
-- reply answered by the conversation (reschedule dialogue, confirm, refused tap, hand-off).
-- Sunday 29 November 2026, 12:00 Zurich unless said.
begin;
select plan(41);

create temporary table ids as select
  '70000000-0000-4000-8000-000000000001'::uuid as weber, '70000000-0000-4000-8000-000000000004'::uuid as sarah,
  '70000000-0000-4000-8000-000000000005'::uuid as michael,
  '50000000-0000-4000-8000-000000000001'::uuid as cleaning, '50000000-0000-4000-8000-000000000005'::uuid as massage,
  'c0000000-0000-4000-8000-0000000009a1'::uuid as wanda, 'c0000000-0000-4000-8000-0000000009a2'::uuid as walt,
  'c0000000-0000-4000-8000-0000000009a3'::uuid as wilma, 'c0000000-0000-4000-8000-0000000009a4'::uuid as wes,
  'c0000000-0000-4000-8000-0000000009a5'::uuid as quinn, 'c0000000-0000-4000-8000-0000000009a6'::uuid as xena,
  'c0000000-0000-4000-8000-0000000009a7'::uuid as olga, '70000000-0000-4000-8000-000000000002'::uuid as schmidt,
  '70000000-0000-4000-8000-000000000003'::uuid as mueller;
insert into contacts (id, whatsapp_id, name, language) values
  ('c0000000-0000-4000-8000-0000000009a1', '+41791190901', 'Wanda Graf', 'en'),
  ('c0000000-0000-4000-8000-0000000009a2', '+41791190902', 'Walt Huber', 'de'),
  ('c0000000-0000-4000-8000-0000000009a3', '+41791190903', 'Wilma Roux', 'fr'),
  ('c0000000-0000-4000-8000-0000000009a4', '+41791190904', 'Wes Moser', 'de'),
  ('c0000000-0000-4000-8000-0000000009a5', '+41791190905', 'Quinn Baker', 'en-GB'),
  ('c0000000-0000-4000-8000-0000000009a6', '+41791190906', 'Xena Vogt', 'de'),
  ('c0000000-0000-4000-8000-0000000009a7', '+41791190907', 'Olga Rey', 'it');

create function tests.at(p_local text) returns timestamptz language sql as $$
  select p_local::timestamp at time zone 'Europe/Zurich'
$$;
create function tests.say(p_contact uuid, p_intent text, p_fields jsonb, p_now text) returns jsonb language sql as $$
  select private.handle_conversation_message(p_contact,
    jsonb_build_object('intent', p_intent, 'language', (select left(language, 2) from contacts where id = p_contact),
                       'service_id', null, 'service_ids', '[]'::jsonb, 'team_member_ids', '[]'::jsonb, 'urgent', false,
                       'anyone', false, 'text', '') || p_fields,
    tests.at(p_now))
$$;
create temporary table r (step text primary key, reply jsonb);

-- 1. Metrics: Wanda asks at 12:00, books at 12:03.
insert into r select 'offer', tests.say(wanda, 'book', jsonb_build_object('service_id', cleaning), '2026-11-29 12:00') from ids;
select is((select reply ->> 'say' from r where step = 'offer'), 'offer', 'Wanda is offered cleanings');
insert into r select 'booked', tests.say(wanda, 'yes', '{}', '2026-11-29 12:03') from ids;
select is((select reply ->> 'say' from r where step = 'booked'), 'booked', 'her yes books the first one');
select results_eq(
  $$select started_at, booked_at, booking_id from conversation_timings where contact_id = (select wanda from ids)$$,
  $$select tests.at('2026-11-29 12:00'), tests.at('2026-11-29 12:03'),
           (select id from bookings where contact_id = (select wanda from ids) and status = 'confirmed')$$,
  'her conversation runs from the first message to the confirmed booking');
select results_eq(
  $$select booked_conversations, booking_minutes_p50 from metrics_booking_time
    where period = 'week' and period_start = '2026-11-23'$$,
  $$values (1::bigint, 3.0::numeric)$$,
  'metrics_booking_time: one booked conversation that week, 3 minutes from first message to booking');
select results_eq(
  $$select queried_at, service_id, slots_returned from availability_query_log where contact_id = (select wanda from ids)$$,
  $$select tests.at('2026-11-29 12:00'), cleaning,
           jsonb_array_length((select reply -> 'options' from r where step = 'offer')) from ids$$,
  'the availability question is logged once, at the message''s time, with as many slots as were offered');
select ok((select availability_queries >= 1 and availability_query_ms_p50 >= 0 from metrics_booking_time
           where period = 'week' and period_start = '2026-11-23'),
  'metrics_booking_time counts the availability question');
select throws_ok($$select tests.say((select xena from ids), 'bogus', '{}', '2026-11-29 12:00')$$, 'BK004', null,
  'a malformed intent is refused');
select is((select count(*)::int from conversation_timings where contact_id = (select xena from ids)), 0,
  '… and records no conversation');

-- 2. Waitlist: nobody offers a massage before the horizon.
insert into calendar_busy_times (team_member_id, starts_at, ends_at)
select m, tests.at('2026-11-29 00:00'), tests.at('2027-06-01 00:00') from ids, unnest(array[sarah, michael]) m;
insert into r select 'walt nothing', tests.say(walt, 'book', jsonb_build_object('service_id', massage), '2026-11-29 13:00') from ids;
select is((select reply ->> 'say' || ' waitlist=' || (reply ->> 'waitlist') from r where step = 'walt nothing'),
  'nothing_available waitlist=true', 'nothing free: the waitlist is offered');
select is((select awaiting from conversations where contact_id = (select walt from ids)), 'waitlist_offer',
  'the conversation waits for the answer');
insert into r select 'walt yes', tests.say(walt, 'yes', '{}', '2026-11-29 13:01') from ids;
select is((select reply ->> 'say' || ' ' || (reply ->> 'service_name') from r where step = 'walt yes'),
  'waitlist_joined Deep Tissue Massage', 'yes: on the waitlist, the reply names the service');
select results_eq(
  $$select service_id, team_member_id, window_start, window_end, status, joined_at from waitlist_entries
    where contact_id = (select walt from ids)$$,
  $$select massage, null::uuid, tests.at('2026-11-29 13:00'), tests.at('2026-11-29 13:00') + interval '7 days', 'waiting'::text,
           tests.at('2026-11-29 13:01') from ids$$,
  'the entry: the service, anyone, the window searched (now to a week ahead), waiting');
select is((select awaiting from conversations where contact_id = (select walt from ids)), 'nothing', 'the question is answered');

insert into r select 'wilma nothing', tests.say(wilma, 'book', jsonb_build_object('service_id', massage,
    'team_member_ids', jsonb_build_array(michael), 'window_from', tests.at('2026-12-01 08:00'),
    'window_to', tests.at('2026-12-01 18:00')), '2026-11-29 13:00') from ids;
insert into r select 'wilma yes', tests.say(wilma, 'yes', '{}', '2026-11-29 13:02') from ids;
select is((select reply ->> 'team_member_name' || ', ' || (reply ->> 'language') from r where step = 'wilma yes'),
  'Michael, fr', 'the reply names the member asked for, in her language');
select results_eq(
  $$select team_member_id, window_start, window_end from waitlist_entries where contact_id = (select wilma from ids)$$,
  $$select michael, tests.at('2026-12-01 08:00'), tests.at('2026-12-01 18:00') from ids$$,
  'a named member and a window: the entry waits for that member in that window');

insert into r select 'wes nothing', tests.say(wes, 'book', jsonb_build_object('service_id', massage), '2026-11-29 13:00') from ids;
insert into r select 'wes no', tests.say(wes, 'no', '{}', '2026-11-29 13:01') from ids;
select is((select reply ->> 'say' from r where step = 'wes no'), 'waitlist_not_joined', 'no: not on the waitlist');
select is((select count(*)::int from waitlist_entries where contact_id = (select wes from ids)), 0, '… and no entry');

-- Answering the waitlist question with a new request: the question and its member are dropped.
insert into r select 'xena nothing', tests.say(xena, 'book', jsonb_build_object('service_id', massage,
    'team_member_ids', jsonb_build_array(michael)), '2026-11-29 13:00') from ids;
select is((select reply ->> 'say' from r where step = 'xena nothing'), 'nothing_available', 'Xena: no massage with Michael');
insert into r select 'xena cleaning', tests.say(xena, 'book', jsonb_build_object('service_id', cleaning), '2026-11-29 13:01') from ids;
select is((select reply ->> 'say' || ' ' || (reply ->> 'mode') from r where step = 'xena cleaning'), 'offer auto',
  'she asks for a cleaning instead: offered by whoever fits, not tied to Michael');

-- Nobody free in the window asked for (later times offered): "another time" also offers the waitlist.
insert into calendar_busy_times (team_member_id, starts_at, ends_at)
select m, tests.at('2026-12-03 00:00'), tests.at('2026-12-03 13:00') from ids, unnest(array[weber, schmidt, mueller]) m;
insert into r select 'olga offer', tests.say(olga, 'book', jsonb_build_object('service_id', cleaning,
    'window_from', tests.at('2026-12-03 08:00'), 'window_to', tests.at('2026-12-03 12:00'), 'part_of_day', 'morning'),
    '2026-11-29 13:00') from ids;
select is((select reply ->> 'outcome' from r where step = 'olga offer'), 'nobody_available', 'Olga: nobody free on Thursday morning');
insert into r select 'olga other', tests.say(olga, 'no', '{}', '2026-11-29 13:01') from ids;
select is((select reply ->> 'say' || ' waitlist=' || (reply ->> 'waitlist') from r where step = 'olga other'),
  'ask_other_time waitlist=true', '"another time": asked for one, and offered the waitlist for Thursday morning');
insert into r select 'olga yes', tests.say(olga, 'yes', '{}', '2026-11-29 13:02') from ids;
select results_eq(
  $$select service_id, team_member_id, window_start, window_end from waitlist_entries where contact_id = (select olga from ids)$$,
  $$select cleaning, null::uuid, tests.at('2026-12-03 08:00'), tests.at('2026-12-03 12:00') from ids$$,
  'yes: on the waitlist for exactly the morning she asked for');
select is((select count(*)::int from bookings where contact_id = (select olga from ids) and status = 'held'), 0,
  'the later times offered are released');
insert into r select 'wanda other', tests.say(wanda, 'book', jsonb_build_object('service_id', cleaning), '2026-11-29 13:10') from ids;
insert into r select 'wanda no', tests.say(wanda, 'no', '{}', '2026-11-29 13:11') from ids;
select is((select reply ->> 'say' || ' waitlist=' || (reply ->> 'waitlist') from r where step = 'wanda no'),
  'ask_other_time waitlist=false', 'slots were free in her window: "another time" offers no waitlist');

-- A reschedule that finds nothing offers no waitlist (the booking stays as it is).
insert into bookings (contact_id, service_id, team_member_id, starts_at, ends_at, status, created_at)
select wes, massage, sarah, tests.at('2026-12-10 10:00'), tests.at('2026-12-10 11:00'), 'confirmed', tests.at('2026-11-01 10:00')
from ids;
insert into r select 'wes move', tests.say(wes, 'reschedule', '{}', '2026-11-29 13:05') from ids;
select is((select reply ->> 'say' || ' waitlist=' || (reply ->> 'waitlist') from r where step = 'wes move'),
  'nothing_available waitlist=false', 'rescheduling into nothing: no waitlist offer');
select is((select awaiting from conversations where contact_id = (select wes from ids)), 'nothing', '… and no question open');

-- 3. A waitlist offer's hold is not one of the conversation's: a new request keeps it.
insert into bookings (id, contact_id, service_id, team_member_id, starts_at, ends_at, status, hold_expires_at, created_at)
select 'b9000000-0000-4000-8000-000000000001', wilma, massage, michael, tests.at('2026-12-01 10:00'), tests.at('2026-12-01 11:00'),
       'held', tests.at('2026-11-29 14:10'), tests.at('2026-11-29 14:00') from ids;
update waitlist_entries set status = 'offered', offered_hold_id = 'b9000000-0000-4000-8000-000000000001',
       offered_starts_at = tests.at('2026-12-01 10:00'), offer_expires_at = tests.at('2026-11-29 14:10')
where contact_id = (select wilma from ids);
insert into r select 'wilma cleaning', tests.say(wilma, 'book', jsonb_build_object('service_id', cleaning), '2026-11-29 14:01') from ids;
select is((select reply ->> 'say' from r where step = 'wilma cleaning'), 'offer', 'Wilma, offered a waitlist slot, asks for a cleaning');
select is((select status from bookings where id = 'b9000000-0000-4000-8000-000000000001'), 'held',
  'the waitlist slot stays held for her Accept');
insert into r select 'wilma no', tests.say(wilma, 'no', '{}', '2026-11-29 14:02') from ids;
select is((select count(*)::int from bookings where contact_id = (select wilma from ids) and status = 'held'), 1,
  'declining the cleaning offer releases its holds but not the waitlist one');

-- 4. A reminder's quick replies, answered by the conversation.
insert into bookings (id, contact_id, service_id, team_member_id, starts_at, ends_at, status, created_at)
select 'b9000000-0000-4000-8000-000000000002'::uuid, quinn, cleaning, weber, tests.at('2026-12-03 10:00'), tests.at('2026-12-03 11:00'),
       'confirmed', tests.at('2026-11-20 09:00') from ids;
select private.send_due_reminders(tests.at('2026-12-02 10:00'));
create function tests.tap(p_contact uuid, p_payload text, p_now text) returns jsonb language sql as $$
  select private.conversation_quick_reply(p_contact, private.handle_reminder_reply(p_contact, p_payload, tests.at(p_now)), tests.at(p_now))
$$;
insert into r select 'quinn confirm', tests.tap(quinn, 'reminder:confirm:b9000000-0000-4000-8000-000000000002', '2026-12-02 10:05')
from ids;
select is((select reply ->> 'say' || ' ' || (reply ->> 'language') || ' ' || (reply #>> '{booking,team_member_name}')
           from r where step = 'quinn confirm'),
  'reminder_confirmed en Dr. Sarah Weber', 'Confirm: thanks, in English (en-GB), naming the appointment');
insert into r select 'quinn move', tests.tap(quinn, 'reminder:reschedule:b9000000-0000-4000-8000-000000000002', '2026-12-02 10:06')
from ids;
select is((select reply ->> 'say' || ' rescheduling=' || (reply ->> 'rescheduling') from r where step = 'quinn move'),
  'offer rescheduling=true', 'Reschedule: the conversation offers new times for that booking');
select ok((select bool_and(o ->> 'team_member_name' = 'Dr. Sarah Weber') from r, jsonb_array_elements(reply -> 'options') o
           where step = 'quinn move'),
  '… with the same dentist');
insert into r select 'quinn pick', tests.say(quinn, 'choose', '{"choice": 1}', '2026-12-02 10:07') from ids;
select is((select reply ->> 'say' || ' rescheduled=' || (reply ->> 'rescheduled') from r where step = 'quinn pick'),
  'booked rescheduled=true', 'choosing one moves the appointment');
select is((select count(*)::int from bookings where rescheduled_from_id = 'b9000000-0000-4000-8000-000000000002' and status = 'confirmed'),
  1, 'the new booking replaces the reminded one');
select is((select status from bookings where id = 'b9000000-0000-4000-8000-000000000002'), 'cancelled',
  'the reminded booking is no longer confirmed');
insert into r select 'quinn late', tests.tap(quinn, 'reminder:cancel:b9000000-0000-4000-8000-000000000002', '2026-12-02 10:08')
from ids;
select is((select reply ->> 'say' || ' ' || (reply #>> '{booking,booking_id}') from r where step = 'quinn late'),
  'booking_changed ' || (select id::text from bookings where rescheduled_from_id = 'b9000000-0000-4000-8000-000000000002'),
  'Cancel on the old reminder: the reply says the booking changed and shows the current one');
select is((select count(*)::int from bookings where rescheduled_from_id = 'b9000000-0000-4000-8000-000000000002' and status = 'confirmed'),
  1, '… and cancels nothing');
select is(private.conversation_quick_reply((select quinn from ids), null, tests.at('2026-12-02 10:09')) ->> 'say',
  'quick_reply_invalid', 'a refused tap gets "this button no longer applies"');
select throws_ok($$select private.conversation_quick_reply((select quinn from ids), '{"action": "explode"}', now())$$, 'BK004', null,
  'an unknown outcome is refused');
update conversations set handed_off_at = tests.at('2026-12-02 10:10') where contact_id = (select quinn from ids);
select is(private.conversation_quick_reply((select quinn from ids), '{"action": "declined"}', tests.at('2026-12-02 10:11')), null,
  'handed off to staff: the bot stays silent');
select is((select last_message_at from conversations where contact_id = (select quinn from ids)), tests.at('2026-12-02 10:11'),
  '… but the tap is noted');

select * from finish();
rollback;
