-- The guide's Examples 1 to 5, replayed on the seed with a fixed "now".
begin;
select plan(32);

-- Names for the seed's ids.
create temporary table ids as select
  '70000000-0000-4000-8000-000000000001'::uuid as weber, '70000000-0000-4000-8000-000000000002'::uuid as schmidt,
  '70000000-0000-4000-8000-000000000003'::uuid as mueller, '70000000-0000-4000-8000-000000000004'::uuid as sarah,
  '70000000-0000-4000-8000-000000000005'::uuid as michael,
  '50000000-0000-4000-8000-000000000001'::uuid as cleaning, '50000000-0000-4000-8000-000000000005'::uuid as massage,
  'c0000000-0000-4000-8000-000000000001'::uuid as marie, 'c0000000-0000-4000-8000-000000000002'::uuid as thomas,
  'c0000000-0000-4000-8000-000000000003'::uuid as anna, 'c0000000-0000-4000-8000-000000000004'::uuid as lisa,
  'c0000000-0000-4000-8000-000000000005'::uuid as marc;

create function tests.busy(p_member uuid, p_from text, p_to text) returns void language sql as $$
  insert into calendar_busy_times (team_member_id, starts_at, ends_at)
  values (p_member, (p_from::timestamp at time zone 'Europe/Zurich'), (p_to::timestamp at time zone 'Europe/Zurich'))
$$;
create function tests.local(p_at timestamptz) returns text language sql as $$
  select to_char(p_at at time zone 'Europe/Zurich', 'Dy YYYY-MM-DD HH24:MI')
$$;

-- Example 1: Marie prefers Dr. Weber, who is free on Tuesday at 2 pm.
select tests.busy(weber, '2026-12-01 08:00', '2026-12-01 14:00') from ids;
select results_eq(
  $$select name, score from rank_team_members((select marie from ids), (select cleaning from ids),
      '2026-12-01 00:00+01', '2026-12-02 00:00+01', p_now => '2026-11-29 12:00+01')$$,
  $$values ('Dr. Sarah Weber', 155), ('Dr. Schmidt', 3), ('Dr. Müller', 2)$$,
  'Example 1: Dr. Weber 155 (100 preference + 50 primary + 5 priority), Dr. Schmidt 3, Dr. Müller 2');
select is((select reasons from rank_team_members((select marie from ids), (select cleaning from ids),
      '2026-12-01 00:00+01', '2026-12-02 00:00+01', p_now => '2026-11-29 12:00+01') limit 1)
          - 'priority_order' - 'mode' - 'preference_bypassed',
  '{"preference": 100, "preference_rank": 1, "primary_provider": 50, "default_priority": 5, "slot_within_24h": 0,
    "recent_bookings": 0, "load_balance": 0}'::jsonb, 'Example 1: the reasons list every component of the score');
select results_eq(
  $$select outcome, kind, team_member_name, tests.local(starts_at) from booking_options((select marie from ids),
      (select cleaning from ids), '2026-12-01 00:00+01', '2026-12-02 00:00+01', p_now => '2026-11-29 12:00+01') limit 1$$,
  $$values ('preferred_available', 'preferred', 'Dr. Sarah Weber', 'Tue 2026-12-01 14:00')$$,
  'Example 1: "Dr. Weber (your preferred dentist) has Tuesday at 2:00 PM"');
select ok((select count(distinct team_member_id) = 1 and count(*) between 1 and 3
           from booking_options((select marie from ids), (select cleaning from ids), '2026-12-01 00:00+01', '2026-12-02 00:00+01',
                                p_now => '2026-11-29 12:00+01')), 'Example 1: every option is with the preferred dentist');
create temporary table example1 as
  select book_appointment(marie, cleaning, weber, '2026-12-01 14:00+01', 'preference', p_now => '2026-11-29 12:00+01') as id from ids;
select results_eq(
  $$select team_member_id, assigned_strategy, preference_snapshot from bookings where id = (select id from example1)$$,
  $$select weber, 'preference'::text, jsonb_build_object('preferred_ids', jsonb_build_array(weber),
          'detected_from', 'conversation_history', 'last_updated', '2025-03-01') from ids$$,
  'Example 1: the booking record matches the guide''s');

-- Example 2: Thomas prefers Dr. Weber, who is fully booked on Friday morning.
select tests.busy(weber, '2026-12-04 08:00', '2026-12-04 17:00') from ids;
select tests.busy(schmidt, '2026-12-04 08:00', '2026-12-04 10:00') from ids;
select tests.busy(mueller, '2026-12-04 08:00', '2026-12-04 12:00') from ids;
select tests.busy(weber, '2026-12-07 08:00', '2026-12-07 09:00') from ids;
select results_eq(
  $$select option_number, outcome, kind, team_member_name, tests.local(starts_at) from booking_options((select thomas from ids),
      (select cleaning from ids), '2026-12-04 08:00+01', '2026-12-04 12:00+01', p_now => '2026-11-29 12:00+01')$$,
  $$values (1, 'preferred_unavailable', 'alternative', 'Dr. Schmidt', 'Fri 2026-12-04 10:00'),
           (2, 'preferred_unavailable', 'preferred_later', 'Dr. Sarah Weber', 'Mon 2026-12-07 09:00')$$,
  'Example 2: Dr. Schmidt on Friday at 10:00, or Dr. Weber on Monday at 9:00');
create temporary table example2 as
  select book_appointment(thomas, cleaning, schmidt, '2026-12-04 10:00+01', 'availability',
    jsonb_build_object('override_reason', 'preferred_unavailable', 'alternatives_offered', jsonb_build_array(schmidt, weber::text || '-later')),
    p_now => '2026-11-29 12:00+01') as id from ids;
select results_eq(
  $$select team_member_id, assigned_strategy, preference_snapshot from bookings where id = (select id from example2)$$,
  $$select schmidt, 'availability'::text, jsonb_build_object('preferred_ids', jsonb_build_array(weber),
          'override_reason', 'preferred_unavailable', 'alternatives_offered', jsonb_build_array(schmidt, weber::text || '-later')) from ids$$,
  'Example 2: booked with Dr. Schmidt by availability, the preference kept in the snapshot');
select is((select preferred_team_member_ids from contacts where id = (select thomas from ids)),
  (select array[weber] from ids), 'Example 2: choosing another dentist once does not change the preference');

-- Example 3: Lisa (new, no preference) wants a massage; Sarah is free at 2 pm, Michael at 3 pm.
select tests.busy(sarah, '2026-12-01 08:00', '2026-12-01 14:00') from ids;
select tests.busy(michael, '2026-12-01 08:00', '2026-12-01 15:00') from ids;
select results_eq(
  $$select name, score from rank_team_members((select lisa from ids), (select massage from ids),
      '2026-12-01 00:00+01', '2026-12-02 00:00+01', p_now => '2026-11-29 12:00+01')$$,
  $$values ('Sarah', 5), ('Michael', 3)$$, 'Example 3: Sarah 5 points, Michael 3');
select results_eq(
  $$select option_number, outcome, kind, team_member_name, tests.local(starts_at) from booking_options((select lisa from ids),
      (select massage from ids), '2026-12-01 00:00+01', '2026-12-02 00:00+01', p_now => '2026-11-29 12:00+01')$$,
  $$values (1, 'no_preference', 'best_match', 'Sarah', 'Tue 2026-12-01 14:00'),
           (2, 'no_preference', 'best_match', 'Michael', 'Tue 2026-12-01 15:00')$$,
  'Example 3: Sarah before Michael');
create temporary table example3 as
  select book_appointment(lisa, massage, sarah, '2026-12-01 14:00+01', 'auto', p_now => '2026-11-29 12:00+01') as id from ids;
select results_eq(
  $$select team_member_id, status, tests.local(starts_at), tests.local(created_at) from bookings where id = (select id from example3)$$,
  $$select sarah, 'confirmed'::text, 'Tue 2026-12-01 14:00', 'Sun 2026-11-29 12:00' from ids$$,
  'Example 3: booked with Sarah on Tuesday at 2 pm, made at the caller''s "now"');
select is(remember_preference(lisa, sarah, 'conversation_history', '2026-11-29 12:05+01'), (select array[sarah] from ids),
  'Example 3: "Yes, she was great!" stores Sarah as a preference') from ids;
select is((select preference_metadata ->> 'detected_from' from contacts where id = (select lisa from ids)), 'conversation_history',
  'Example 3: and says where it came from');

-- Example 4: Anna prefers Dr. Weber but is in severe pain; Dr. Schmidt is free today at 4 pm.
update team_members set working_hours = '{"mon": [{"start": "08:00", "end": "18:00"}], "tue": [{"start": "08:00", "end": "17:00"}]}'
where id = (select schmidt from ids);
select tests.busy(weber, '2026-11-30 12:00', '2026-11-30 17:00') from ids;
select tests.busy(schmidt, '2026-11-30 12:00', '2026-11-30 16:00') from ids;
select tests.busy(mueller, '2026-11-30 12:00', '2026-11-30 17:00') from ids;
select is((select name from rank_team_members((select anna from ids), (select cleaning from ids), '2026-11-30 12:00+01',
            '2026-12-07 12:00+01', 'urgent', p_now => '2026-11-30 12:00+01') limit 1), 'Dr. Schmidt',
  'Example 4: urgent mode ranks the earliest slot first, whoever it is with');
select is((select (reasons ->> 'preference_bypassed')::boolean from rank_team_members((select anna from ids), (select cleaning from ids),
            '2026-11-30 12:00+01', '2026-12-07 12:00+01', 'urgent', p_now => '2026-11-30 12:00+01') r where r.name = 'Dr. Sarah Weber'),
  true, 'Example 4: the preference is bypassed, and the reasons say so');
select results_eq(
  $$select outcome, kind, team_member_name, tests.local(starts_at) from booking_options((select anna from ids),
      (select cleaning from ids), '2026-11-30 12:00+01', '2026-12-07 12:00+01', 'urgent', p_now => '2026-11-30 12:00+01')$$,
  $$values ('urgent', 'earliest', 'Dr. Schmidt', 'Mon 2026-11-30 16:00')$$,
  'Example 4: "The earliest available appointment is with Dr. Schmidt today at 4:00 PM"');
create temporary table example4 as
  select book_appointment(anna, cleaning, schmidt, '2026-11-30 16:00+01', 'manual',
    '{"override_reason": "urgent_request", "customer_statement": "severe pain, earliest possible"}', p_now => '2026-11-30 12:00+01') as id
  from ids;
select results_eq(
  $$select team_member_id, assigned_strategy, preference_snapshot from bookings where id = (select id from example4)$$,
  $$select schmidt, 'manual'::text, jsonb_build_object('preferred_ids', jsonb_build_array(weber),
          'override_reason', 'urgent_request', 'customer_statement', 'severe pain, earliest possible') from ids$$,
  'Example 4: booked with Dr. Schmidt despite the preference, as the guide''s record');

-- Example 5: Marc prefers Sarah but asks for Michael this time.
select tests.busy(michael, '2026-12-02 08:00', '2026-12-02 15:00') from ids;
select results_eq(
  $$select name from rank_team_members((select marc from ids), (select massage from ids), '2026-12-02 00:00+01', '2026-12-03 00:00+01',
      'explicit', (select michael from ids), '2026-11-29 12:00+01')$$,
  $$values ('Michael')$$, 'Example 5: explicit mode considers only the requested team member');
select results_eq(
  $$select outcome, kind, team_member_name, tests.local(starts_at) from booking_options((select marc from ids),
      (select massage from ids), '2026-12-02 00:00+01', '2026-12-03 00:00+01', 'explicit', (select michael from ids), '2026-11-29 12:00+01')
    limit 1$$,
  $$values ('explicit_available', 'requested', 'Michael', 'Wed 2026-12-02 15:00')$$,
  'Example 5: "I have Wednesday at 3pm available with Michael"');
select ok((select count(*) = 2 and bool_and(ends_at <= next_start)
           from (select ends_at, lead(starts_at) over (order by starts_at) as next_start
                 from booking_options((select marc from ids), (select massage from ids), '2026-12-02 00:00+01', '2026-12-04 00:00+01',
                                      'explicit', (select michael from ids), '2026-11-29 12:00+01')) x
           where next_start is not null), 'Example 5: three options that do not overlap each other');
create temporary table example5 as
  select book_appointment(marc, massage, michael, '2026-12-02 15:00+01', 'manual', p_now => '2026-11-29 12:00+01') as id from ids;
select results_eq(
  $$select team_member_id, assigned_strategy, tests.local(starts_at), tests.local(created_at) from bookings
    where id = (select id from example5)$$,
  $$select michael, 'manual'::text, 'Wed 2026-12-02 15:00', 'Sun 2026-11-29 12:00' from ids$$,
  'Example 5: booked with Michael as asked, made at the caller''s "now"');
select is(remember_preference(marc, michael, 'explicit_request', '2026-11-29 12:10+01'), (select array[sarah, michael] from ids),
  'Example 5: preferences now include Sarah and Michael, Sarah still first') from ids;
select is((select preference_metadata -> 'sources' ->> (select michael::text from ids) from contacts where id = (select marc from ids)),
  'explicit_request', 'Example 5: the expansion is noted in the metadata');
select throws_ok($$select * from rank_team_members((select marc from ids), (select massage from ids), '2026-12-02', '2026-12-03',
                    'explicit', (select weber from ids), '2026-11-29 12:00+01')$$,
  'BK002', 'service_not_offered: Dr. Sarah Weber does not offer Deep Tissue Massage',
  'Example 5: asking for someone who does not offer the service is a clear error');
select results_eq(
  $$select outcome, kind, tests.local(starts_at) from booking_options((select marc from ids), (select massage from ids),
      '2026-12-02 08:00+01', '2026-12-02 12:00+01', 'explicit', (select michael from ids), '2026-11-29 12:00+01') limit 1$$,
  $$values ('explicit_unavailable', 'requested_later', 'Thu 2026-12-03 08:00')$$,
  'an explicit request outside the member''s free time offers their next slots');

-- Scoring details
select is((select (reasons ->> 'slot_within_24h')::int from rank_team_members((select lisa from ids), (select massage from ids),
            '2026-11-30 00:00+01', '2026-12-01 00:00+01', p_now => '2026-11-29 12:00+01') where name = 'Sarah'), 20,
  'a slot within 24 hours adds 20');
insert into bookings (contact_id, service_id, team_member_id, starts_at, ends_at, created_at)
select marie, massage, michael, t, t + interval '1 hour', '2026-11-25 10:00+01'
from ids, (values ('2026-12-08 08:00+01'::timestamptz), ('2026-12-08 10:00+01')) v(t);
select results_eq(
  $$select score, (reasons ->> 'recent_bookings')::int from rank_team_members((select lisa from ids), (select massage from ids),
      '2026-12-03 00:00+01', '2026-12-04 00:00+01', p_now => '2026-11-29 12:00+01') where name = 'Michael'$$,
  $$values (3 - 2 * 10 - 10, 3)$$, 'each booking in the recent window takes 10 points off (two made now, one in Example 5)');
update team_members set default_priority = 3 where id = (select sarah from ids);
delete from bookings where team_member_id in (select sarah from ids union all select michael from ids);
select is((select array_agg(name order by ordinality) from rank_team_members((select marie from ids), (select massage from ids),
            '2026-12-03 00:00+01', '2026-12-04 00:00+01', p_now => '2026-11-29 12:00+01') with ordinality),
  array['Sarah', 'Michael'], 'equal scores: the service link''s priority order decides (Sarah 1, Michael 2)');
update team_member_services set priority_order = 5 where team_member_id = (select sarah from ids) and service_id = (select massage from ids);
select is((select array_agg(name order by ordinality) from rank_team_members((select marie from ids), (select massage from ids),
            '2026-12-03 00:00+01', '2026-12-04 00:00+01', p_now => '2026-11-29 12:00+01') with ordinality),
  array['Michael', 'Sarah'], 'and changes with it');
select throws_ok($$select * from rank_team_members((select lisa from ids), (select massage from ids), '2026-12-03', '2026-12-02')$$,
  'BK004', 'invalid_request: the time window must end after it starts', 'a window ending before it starts is refused');
select throws_ok($$select * from rank_team_members((select lisa from ids), (select massage from ids), '2026-12-02', '2026-12-03', 'fastest')$$,
  'BK004', 'invalid_request: mode must be auto, urgent or explicit', 'an unknown mode is refused');

-- Nobody available in the window
select tests.busy(sarah, '2026-12-09 08:00', '2026-12-09 17:00') from ids;
select tests.busy(michael, '2026-12-09 08:00', '2026-12-09 17:00') from ids;
select results_eq(
  $$select outcome, kind, tests.local(starts_at) from booking_options((select marie from ids), (select massage from ids),
      '2026-12-09 00:00+01', '2026-12-10 00:00+01', p_now => '2026-11-29 12:00+01')$$,
  $$values ('nobody_available', 'next_available', 'Thu 2026-12-10 08:00'), ('nobody_available', 'next_available', 'Thu 2026-12-10 08:00')$$,
  'nobody free in the window: the next date anyone is');

select * from finish();
rollback;
