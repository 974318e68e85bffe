-- The feedback question after completed appointments: when, to whom (not to opted-out customers,
-- not twice in 30 days, never after a no-show), its template, and the rating stored for the metric.
begin;
select plan(16);

create temporary table ids as select
  '70000000-0000-4000-8000-000000000001'::uuid as weber, '50000000-0000-4000-8000-000000000001'::uuid as cleaning,
  'c0000000-0000-4000-8000-000000000001'::uuid as marie, 'c0000000-0000-4000-8000-000000000002'::uuid as thomas,
  'c0000000-0000-4000-8000-000000000003'::uuid as anna;
insert into bookings (id, contact_id, service_id, team_member_id, starts_at, ends_at, status, created_at)
select v.id::uuid, v.who, cleaning, weber, v.s::timestamptz, v.s::timestamptz + interval '1 hour', 'confirmed', '2026-11-01 09:00+01'
from ids, lateral (values
  ('b8300000-0000-4000-8000-000000000001', marie, '2026-12-01 10:00+01'),
  ('b8300000-0000-4000-8000-000000000002', marie, '2026-12-01 14:00+01'),   -- same customer, same day
  ('b8300000-0000-4000-8000-000000000003', thomas, '2026-12-01 08:00+01'),  -- no-show
  ('b8300000-0000-4000-8000-000000000004', anna, '2026-12-01 09:00+01'),    -- opted out
  ('b8300000-0000-4000-8000-000000000005', marie, '2026-12-20 10:00+01'),   -- 19 days after the last question
  ('b8300000-0000-4000-8000-000000000006', marie, '2027-01-05 10:00+01'),   -- 35 days after
  ('b8300000-0000-4000-8000-000000000007', thomas, '2026-11-20 10:00+01')   -- long past when the job first runs
) v(id, who, s);
update contacts set feedback_opt_out = true where id = (select anna from ids);
create function tests.asked(p_id text) returns boolean language sql as $$
  select exists (select 1 from booking_notifications where booking_id = p_id::uuid and kind = 'feedback') $$;

select admin_mark_no_show('b8300000-0000-4000-8000-000000000003', '2026-12-01 08:30+01');
select private.complete_past_bookings('2026-12-01 15:00+01');
select private.send_due_feedback_questions('2026-12-01 12:59+01');
select ok(not tests.asked('b8300000-0000-4000-8000-000000000001'), 'not before feedback_delay_minutes (120) after the end');
select private.send_due_feedback_questions('2026-12-01 13:00+01');
select ok(tests.asked('b8300000-0000-4000-8000-000000000001'), 'asked 120 minutes after the end');
select is((select o.message from booking_notifications n join whatsapp_outbound_messages o on o.id = n.outbound_message_id
           where n.booking_id = 'b8300000-0000-4000-8000-000000000001' and n.kind = 'feedback'),
  jsonb_build_object('type', 'template', 'name', 'appointment_feedback', 'language', 'de', 'components',
    jsonb_build_array(jsonb_build_object('type', 'body', 'parameters', jsonb_build_array(jsonb_build_object('type', 'text', 'text', 'Dr. Sarah Weber'))))
    || (select jsonb_agg(jsonb_build_object('type', 'button', 'sub_type', 'quick_reply', 'index', (r - 1)::text, 'parameters',
          jsonb_build_array(jsonb_build_object('type', 'payload', 'payload', 'feedback:b8300000-0000-4000-8000-000000000001:' || r))) order by r)
        from generate_series(1, 5) r)),
  'the question names the team member and offers 1 to 5');
select private.send_due_feedback_questions('2026-12-01 16:00+01');
select private.send_due_feedback_questions('2026-12-02 16:00+01');
select ok(not tests.asked('b8300000-0000-4000-8000-000000000002'), 'a second appointment the same day brings no second question');
select ok(not tests.asked('b8300000-0000-4000-8000-000000000003'), 'no question after a no-show');
select ok(not tests.asked('b8300000-0000-4000-8000-000000000004'), 'no question to a customer who opted out');
select ok(not tests.asked('b8300000-0000-4000-8000-000000000007'), 'no question about an appointment long past');
select is((select count(*)::int from whatsapp_outbound_messages where purpose = 'feedback'
           and contact_id in (select marie from ids union all select thomas from ids union all select anna from ids)), 1,
  'one question was sent in all');

select private.complete_past_bookings('2026-12-20 11:00+01');
select private.send_due_feedback_questions('2026-12-20 13:00+01');
select ok(not tests.asked('b8300000-0000-4000-8000-000000000005'), 'none within 30 days of the last one');
select private.complete_past_bookings('2027-01-05 11:00+01');
select private.send_due_feedback_questions('2027-01-05 13:00+01');
select ok(tests.asked('b8300000-0000-4000-8000-000000000006'), 'asked again after 30 days');

-- The answer (the conversation calls this with the tapped button's payload).
select is(private.handle_feedback_reply((select marie from ids), 'feedback:b8300000-0000-4000-8000-000000000001:4', '2026-12-01 13:10+01') ->> 'rating',
  '4', 'the tapped rating is taken');
select results_eq($$select rating::int, source, rated_at from booking_ratings where booking_id = 'b8300000-0000-4000-8000-000000000001'$$,
  $$values (4, 'whatsapp'::text, '2026-12-01 13:10+01'::timestamptz)$$, 'and stored for the satisfaction metric');
select is((select reply from booking_notifications where booking_id = 'b8300000-0000-4000-8000-000000000001' and kind = 'feedback'), '4',
  'beside the question');
select throws_ok($$select private.handle_feedback_reply('c0000000-0000-4000-8000-000000000002', 'feedback:b8300000-0000-4000-8000-000000000001:1', now())$$,
  'BK003', null, 'another customer cannot rate someone else''s appointment');
select throws_ok($$select private.handle_feedback_reply('c0000000-0000-4000-8000-000000000001', 'feedback:b8300000-0000-4000-8000-000000000001:9', now())$$,
  'BK004', null, 'a rating outside 1-5 is refused');
select throws_ok($$select private.handle_feedback_reply('c0000000-0000-4000-8000-000000000001', 'feedback:b8300000-0000-4000-8000-000000000002:5', now())$$,
  'BK003', null, 'an appointment nobody asked about cannot be rated this way');

select * from finish();
rollback;
