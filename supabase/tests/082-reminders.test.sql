-- WhatsApp reminders: once, at the right time (DST days too), none for late, cancelled or moved
-- bookings, template parameters per language, and what the quick replies do.
begin;
select plan(30);

create temporary table ids as select
  '70000000-0000-4000-8000-000000000001'::uuid as weber, '50000000-0000-4000-8000-000000000001'::uuid as cleaning,
  '50000000-0000-4000-8000-000000000002'::uuid as filling,
  'c0000000-0000-4000-8000-000000000001'::uuid as marie, 'c0000000-0000-4000-8000-000000000002'::uuid as thomas;

insert into bookings (id, contact_id, service_id, team_member_id, starts_at, ends_at, status, created_at)
select v.id::uuid, v.who, v.svc, weber, v.s::timestamptz, v.s::timestamptz + interval '1 hour', 'confirmed', v.made::timestamptz
from ids, lateral (values
  ('b8200000-0000-4000-8000-000000000001', marie, cleaning, '2026-12-03 10:00+01', '2026-11-20 09:00+01'),   -- A: normal
  ('b8200000-0000-4000-8000-000000000002', marie, cleaning, '2026-12-03 14:00+01', '2026-12-02 14:01+01'),   -- B: made 23:59 ahead
  ('b8200000-0000-4000-8000-000000000003', marie, cleaning, '2026-12-04 10:00+01', '2026-11-20 09:00+01'),   -- C: will be cancelled
  ('b8200000-0000-4000-8000-000000000004', marie, cleaning, '2026-12-04 14:00+01', '2026-11-20 09:00+01'),   -- D: will be moved
  ('b8200000-0000-4000-8000-000000000005', marie, filling, '2026-12-08 10:00+01', '2026-11-20 09:00+01'),    -- E: service without reminders
  ('b8200000-0000-4000-8000-000000000006', thomas, cleaning, '2026-12-09 10:00+01', '2026-11-20 09:00+01'),  -- F: English customer
  ('b8200000-0000-4000-8000-000000000007', marie, cleaning, '2027-03-28 10:00+02', '2027-03-01 09:00+01'),   -- G: spring DST day
  ('b8200000-0000-4000-8000-000000000008', marie, cleaning, '2027-10-31 10:00+01', '2027-10-01 09:00+02')    -- H: autumn DST day
) v(id, who, svc, s, made);
update services set send_reminders = false where id = (select filling from ids);
update contacts set language = 'en-GB' where id = (select thomas from ids);

create function tests.reminded(p_id text) returns boolean language sql as $$
  select exists (select 1 from booking_notifications where booking_id = p_id::uuid and kind = 'reminder') $$;
create function tests.reminder_message(p_id text) returns jsonb language sql as $$
  select o.message from booking_notifications n join whatsapp_outbound_messages o on o.id = n.outbound_message_id
  where n.booking_id = p_id::uuid and n.kind = 'reminder' $$;

-- A: 24 hours before, not a minute earlier, and once.
select private.send_due_reminders('2026-12-02 09:59+01');
select ok(not tests.reminded('b8200000-0000-4000-8000-000000000001'), 'no reminder 24 h + 1 min before');
select private.send_due_reminders('2026-12-02 10:00+01');
select ok(tests.reminded('b8200000-0000-4000-8000-000000000001'), 'the reminder goes 24 h before');
select private.send_due_reminders('2026-12-02 10:01+01');
select private.send_due_reminders('2026-12-03 09:59+01');
select is((select count(*)::int from whatsapp_outbound_messages
           where purpose = 'reminder' and message::text like '%reminder:confirm:b8200000-0000-4000-8000-000000000001%'), 1,
  'later runs send it no second time');
select is((select contact_id from whatsapp_outbound_messages
           where purpose = 'reminder' and message::text like '%reminder:confirm:b8200000-0000-4000-8000-000000000001%'),
  (select marie from ids), 'it goes to the booking''s customer');
select is(tests.reminder_message('b8200000-0000-4000-8000-000000000001'),
  jsonb_build_object('type', 'template', 'name', 'appointment_reminder', 'language', 'de', 'components', jsonb_build_array(
    jsonb_build_object('type', 'body', 'parameters', jsonb_build_array(
      jsonb_build_object('type', 'text', 'text', 'Dental Cleaning'), jsonb_build_object('type', 'text', 'text', 'Dr. Sarah Weber'),
      jsonb_build_object('type', 'text', 'text', '03.12.2026'), jsonb_build_object('type', 'text', 'text', '10:00'))),
    jsonb_build_object('type', 'button', 'sub_type', 'quick_reply', 'index', '0', 'parameters',
      jsonb_build_array(jsonb_build_object('type', 'payload', 'payload', 'reminder:confirm:b8200000-0000-4000-8000-000000000001'))),
    jsonb_build_object('type', 'button', 'sub_type', 'quick_reply', 'index', '1', 'parameters',
      jsonb_build_array(jsonb_build_object('type', 'payload', 'payload', 'reminder:reschedule:b8200000-0000-4000-8000-000000000001'))),
    jsonb_build_object('type', 'button', 'sub_type', 'quick_reply', 'index', '2', 'parameters',
      jsonb_build_array(jsonb_build_object('type', 'payload', 'payload', 'reminder:cancel:b8200000-0000-4000-8000-000000000001'))))),
  'a German customer gets the German template with service, member, local date and time, and three quick replies');

-- B: made less than 24 h ahead.
select private.send_due_reminders('2026-12-02 14:01+01');
select private.send_due_reminders('2026-12-03 09:00+01');
select ok(not tests.reminded('b8200000-0000-4000-8000-000000000002'), 'a booking made less than 24 h ahead gets no reminder');

-- C cancelled, D moved before their reminders were due.
select cancel_booking('b8200000-0000-4000-8000-000000000003', '2026-12-01 08:00+01');
create temporary table moved as
  select reschedule_booking('b8200000-0000-4000-8000-000000000004', '2026-12-07 09:00+01', null, '2026-12-01 08:00+01') as id;
select private.send_due_reminders('2026-12-03 10:00+01');
select private.send_due_reminders('2026-12-03 14:00+01');
select ok(not tests.reminded('b8200000-0000-4000-8000-000000000003'), 'a cancelled booking never gets its reminder');
select ok(not tests.reminded('b8200000-0000-4000-8000-000000000004'), 'a moved booking never gets the old reminder');
select ok(not exists (select 1 from booking_notifications where booking_id = (select id from moved)), 'nor the new one early');
select private.send_due_reminders('2026-12-06 08:59+01');
select ok(not exists (select 1 from booking_notifications where booking_id = (select id from moved)), 'the new one not before its time');
select private.send_due_reminders('2026-12-06 09:00+01');
select ok(exists (select 1 from booking_notifications where booking_id = (select id from moved)), 'the reschedule gets its own reminder, 24 h before the new time');
select is(tests.reminder_message((select id::text from moved)) #>> '{components,0,parameters,2,text}', '07.12.2026', 'for the new date');

-- E: the service has reminders off.
select private.send_due_reminders('2026-12-07 10:00+01');
select ok(not tests.reminded('b8200000-0000-4000-8000-000000000005'), 'no reminder for a service with reminders off');

-- F: English (en-GB falls back to en).
select private.send_due_reminders('2026-12-08 10:00+01');
select is(tests.reminder_message('b8200000-0000-4000-8000-000000000006') ->> 'language', 'en', 'an en-GB customer gets the English template');
select is(tests.reminder_message('b8200000-0000-4000-8000-000000000006') #> '{components,0,parameters}',
  '[{"type": "text", "text": "Dental Cleaning"}, {"type": "text", "text": "Dr. Sarah Weber"}, {"type": "text", "text": "09/12/2026"}, {"type": "text", "text": "10:00 AM"}]'::jsonb,
  'with the English date and time format');
update contacts set language = 'pt' where id = (select thomas from ids);
select is(private.reminder_message('b8200000-0000-4000-8000-000000000006') ->> 'language', 'de', 'a language without a template gets the * one');

-- G: 28 March 2027, clocks go forward at 02:00. 24 elapsed hours before 10:00 CEST is 09:00 CET the day before.
select private.send_due_reminders('2027-03-27 08:59+01');
select ok(not tests.reminded('b8200000-0000-4000-8000-000000000007'), 'DST spring: not at 08:59 local the day before');
select private.send_due_reminders('2027-03-27 09:00+01');
select ok(tests.reminded('b8200000-0000-4000-8000-000000000007'), 'DST spring: at 09:00 local the day before (24 elapsed hours)');
select is(tests.reminder_message('b8200000-0000-4000-8000-000000000007') #>> '{components,0,parameters,3,text}', '10:00',
  'the message says the appointment''s local time (10:00 summer time)');
-- H: 31 October 2027, clocks go back at 03:00. 24 hours before 10:00 CET is 11:00 CEST the day before.
select private.send_due_reminders('2027-10-30 10:59+02');
select ok(not tests.reminded('b8200000-0000-4000-8000-000000000008'), 'DST autumn: not at 10:59 local the day before');
select private.send_due_reminders('2027-10-30 11:00+02');
select ok(tests.reminded('b8200000-0000-4000-8000-000000000008'), 'DST autumn: at 11:00 local the day before');

-- Quick replies (the conversation calls these with the tapped button's payload).
select is(private.handle_reminder_reply((select marie from ids), 'reminder:confirm:b8200000-0000-4000-8000-000000000001', '2026-12-02 10:05+01') ->> 'action',
  'confirmed', 'Confirm confirms');
select is((select reply from booking_notifications where booking_id = 'b8200000-0000-4000-8000-000000000001'), 'confirm', 'and the answer is recorded');
select is(private.handle_reminder_reply((select marie from ids), 'reminder:reschedule:b8200000-0000-4000-8000-000000000001', '2026-12-02 10:06+01'),
  '{"action": "reschedule", "booking_id": "b8200000-0000-4000-8000-000000000001", "service_id": "50000000-0000-4000-8000-000000000001", "team_member_id": "70000000-0000-4000-8000-000000000001", "starts_at": "2026-12-03T09:00:00+00:00"}'::jsonb,
  'Reschedule hands the booking to the reschedule dialogue, unchanged');
select is(private.handle_reminder_reply((select marie from ids), 'reminder:cancel:b8200000-0000-4000-8000-000000000001', '2026-12-02 10:07+01') ->> 'action',
  'cancelled', 'Cancel cancels');
select is((select status from bookings where id = 'b8200000-0000-4000-8000-000000000001'), 'cancelled', 'the booking is cancelled and its time free');
select is(private.handle_reminder_reply((select marie from ids), 'reminder:confirm:b8200000-0000-4000-8000-000000000001', '2026-12-02 10:08+01') ->> 'action',
  'booking_changed', 'a reply to an out-of-date reminder says the booking changed');
select throws_ok($$select private.handle_reminder_reply('c0000000-0000-4000-8000-000000000002', 'reminder:cancel:b8200000-0000-4000-8000-000000000007', now())$$,
  'BK003', null, 'another customer cannot answer someone''s reminder');
select throws_ok($$select private.handle_reminder_reply('c0000000-0000-4000-8000-000000000001', E'reminder:cancel:b8200000-0000-4000-8000-000000000007\n', now())$$,
  'BK004', null, 'a forged payload is refused');
select is((select status from bookings where id = 'b8200000-0000-4000-8000-000000000007'), 'confirmed', 'and changes nothing');

select * from finish();
rollback;
