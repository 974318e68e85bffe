-- Holds, booking, cancelling, rescheduling, bad input, and preference memory.
begin;
select plan(41);

create temporary table ids as select
  '70000000-0000-4000-8000-000000000001'::uuid as weber, '70000000-0000-4000-8000-000000000002'::uuid as schmidt,
  '70000000-0000-4000-8000-000000000003'::uuid as mueller, '70000000-0000-4000-8000-000000000004'::uuid as sarah,
  '50000000-0000-4000-8000-000000000001'::uuid as cleaning, '50000000-0000-4000-8000-000000000005'::uuid as massage,
  'c0000000-0000-4000-8000-000000000001'::uuid as marie, 'c0000000-0000-4000-8000-000000000002'::uuid as thomas,
  'c0000000-0000-4000-8000-000000000004'::uuid as lisa, '2026-11-29 12:00+01'::timestamptz as now;
create function tests.bookings_count() returns int language sql as $$ select count(*)::int from bookings $$;

select ok(exists (select 1 from pg_constraint where conname = 'bookings_no_overlap' and contype = 'x'),
  'an exclusion constraint forbids overlapping held and confirmed bookings');
insert into bookings (contact_id, service_id, team_member_id, starts_at, ends_at)
select marie, cleaning, weber, '2026-12-01 10:00+01', '2026-12-01 11:00+01' from ids;
select throws_ok($$insert into bookings (contact_id, service_id, team_member_id, starts_at, ends_at)
                   select thomas, cleaning, weber, '2026-12-01 10:30+01', '2026-12-01 11:30+01' from ids$$,
  '23P01', null, 'even a direct insert cannot double-book');
select lives_ok($$insert into bookings (contact_id, service_id, team_member_id, starts_at, ends_at, status)
                  select thomas, cleaning, weber, '2026-12-01 10:30+01', '2026-12-01 11:30+01', 'cancelled' from ids$$,
  'cancelled bookings do not block');

-- Holds
create temporary table hold1 as select hold_slot(marie, cleaning, weber, '2026-12-02 09:00+01', now) as id from ids;
select results_eq($$select status, hold_expires_at from bookings where id = (select id from hold1)$$,
  $$values ('held'::text, '2026-11-29 12:10+01'::timestamptz)$$, 'a hold lasts the configured 10 minutes');
select throws_ok($$select hold_slot(thomas, cleaning, weber, '2026-12-02 09:00+01', '2026-11-29 12:05+01') from ids$$,
  'BK001', null, 'a held slot cannot be held by someone else');
select throws_ok($$select book_appointment(thomas, cleaning, weber, '2026-12-02 09:00+01', 'auto', p_now => '2026-11-29 12:05+01') from ids$$,
  'BK001', null, 'nor booked by someone else while the hold lasts');
select throws_ok($$select book_appointment(thomas, cleaning, weber, '2026-12-02 09:00+01', 'auto', null, (select id from hold1),
                   '2026-11-29 12:05+01') from ids$$,
  'BK005', null, 'a customer cannot use another customer''s hold');
select throws_ok($$select book_appointment(marie, cleaning, weber, '2026-12-02 09:00+01', 'preference', null, (select id from hold1),
                   '2026-11-29 12:11+01') from ids$$,
  'BK005', null, 'an expired hold cannot be used');
select lives_ok($$select hold_slot(thomas, cleaning, weber, '2026-12-02 09:00+01', '2026-11-29 12:11+01') from ids$$,
  'once the hold expired, someone else can hold the slot at once');
select is((select count(*)::int from bookings where id = (select id from hold1)), 0, 'the expired hold was removed');

create temporary table hold2 as select hold_slot(lisa, cleaning, mueller, '2026-12-02 09:00+01', now) as id from ids;
create temporary table booked2 as
  select book_appointment(lisa, cleaning, mueller, '2026-12-02 09:00+01', 'auto', null, (select id from hold2), '2026-11-29 12:05+01') as id
  from ids;
select results_eq($$select status, hold_expires_at from bookings where id = (select id from booked2)$$,
  $$values ('confirmed'::text, null::timestamptz)$$, 'a customer''s own hold becomes their confirmed booking');
select is((select count(*)::int from bookings where id = (select id from hold2)), 0, 'and the hold is gone');

-- A taken slot: documented error, nothing written
create temporary table before as select tests.bookings_count() as n;
select throws_ok($$select book_appointment(thomas, cleaning, mueller, '2026-12-02 09:00+01', 'auto', p_now => '2026-11-29 12:06+01') from ids$$,
  'BK001', 'slot_unavailable: Dr. Müller is not free at 2026-12-02 08:00:00+00', 'a taken slot fails with BK001 slot_unavailable');
select throws_ok($$select book_appointment(thomas, cleaning, mueller, '2026-12-02 10:00+01', 'auto', p_now => '2026-11-29 12:06+01') from ids$$,
  'BK001', null, 'the buffer after a booking (10 min) is not free either');

-- Bad input: clear errors, nothing written
select throws_ok($$select book_appointment('c0000000-0000-4000-8000-0000000000ff', cleaning, weber, '2026-12-03 09:00+01', 'auto', p_now => now) from ids$$,
  'BK003', 'not_found: contact c0000000-0000-4000-8000-0000000000ff does not exist', 'an unknown contact');
select throws_ok($$select book_appointment(marie, '50000000-0000-4000-8000-0000000000ff', weber, '2026-12-03 09:00+01', 'auto', p_now => now) from ids$$,
  'BK003', null, 'an unknown service');
select throws_ok($$select book_appointment(marie, cleaning, '70000000-0000-4000-8000-0000000000ff', '2026-12-03 09:00+01', 'auto', p_now => now) from ids$$,
  'BK003', null, 'an unknown team member');
select throws_ok($$select book_appointment(marie, massage, weber, '2026-12-03 09:00+01', 'auto', p_now => now) from ids$$,
  'BK002', 'service_not_offered: Dr. Sarah Weber does not offer Deep Tissue Massage', 'a service the member does not offer');
select throws_ok($$select book_appointment(marie, cleaning, weber, '2026-11-28 09:00+01', 'auto', p_now => now) from ids$$,
  'BK004', null, 'a time in the past');
select throws_ok($$select book_appointment(marie, cleaning, weber, '2026-12-03 09:07+01', 'auto', p_now => now) from ids$$,
  'BK001', null, 'a time off the slot grid');
select throws_ok($$select book_appointment(marie, cleaning, weber, '2026-12-03 07:00+01', 'auto', p_now => now) from ids$$,
  'BK001', null, 'a time outside working hours');
select throws_ok($$select book_appointment(marie, cleaning, weber, '2026-11-29 13:00+01', 'auto', p_now => now) from ids$$,
  'BK001', null, 'a time within the minimum notice');
select throws_ok($$select book_appointment(marie, cleaning, weber, '2026-12-03 09:00+01', 'random', p_now => now) from ids$$,
  'BK004', null, 'an unknown strategy');
select throws_ok($$select book_appointment(marie, cleaning, weber, '2026-12-03 09:00+01', 'auto', '{"mood": "happy"}', p_now => now) from ids$$,
  'BK004', null, 'an unknown preference snapshot field');
update team_members set is_active = false where id = (select schmidt from ids);
select throws_ok($$select book_appointment(marie, cleaning, schmidt, '2026-12-03 09:00+01', 'auto', p_now => now) from ids$$,
  'BK006', null, 'an inactive team member');
update team_members set is_active = true where id = (select schmidt from ids);
select is(tests.bookings_count(), (select n from before), 'none of the failures wrote anything');

-- Cancel and reschedule
create temporary table b3 as select book_appointment(thomas, cleaning, schmidt, '2026-12-03 09:00+01', 'auto', p_now => now) as id from ids;
select lives_ok($$select cancel_booking((select id from b3), '2026-11-29 12:30+01')$$, 'a booking can be cancelled');
select lives_ok($$select book_appointment(marie, cleaning, schmidt, '2026-12-03 09:00+01', 'auto', p_now => '2026-11-29 12:31+01') from ids$$,
  'its slot is free at once');
select throws_ok($$select cancel_booking((select id from b3))$$, 'BK004', 'invalid_request: a cancelled booking cannot be cancelled',
  'a cancelled booking cannot be cancelled again');

create temporary table b4 as select book_appointment(thomas, cleaning, schmidt, '2026-12-04 09:00+01', 'auto', p_now => now) as id from ids;
create temporary table b5 as select reschedule_booking((select id from b4), '2026-12-04 09:30+01', null, '2026-11-29 12:40+01') as id;
select results_eq($$select status, starts_at, rescheduled_from_id from bookings where id = (select id from b5)$$,
  $$select 'confirmed'::text, '2026-12-04 09:30+01'::timestamptz, (select id from b4)$$,
  'rescheduling into an overlapping time of the same booking works (its old slot does not block it)');
select is((select status from bookings where id = (select id from b4)), 'cancelled', 'the old booking is cancelled');
select throws_ok($$select reschedule_booking((select id from b5), '2026-12-03 09:00+01', null, '2026-11-29 12:41+01')$$,
  'BK001', null, 'rescheduling into a taken slot fails');
select is((select status from bookings where id = (select id from b5)), 'confirmed', 'and the booking keeps its old slot (atomic)');
select lives_ok($$select reschedule_booking((select id from b5), '2026-12-04 14:00+01', (select mueller from ids), '2026-11-29 12:42+01')$$,
  'a booking can move to another team member who offers the service');

-- The General Calendar (backward compatibility)
select throws_ok($$select book_appointment(marie, cleaning, null, '2026-12-07 09:00+01', 'auto', p_now => now) from ids$$,
  'BK007', null, 'with require_team_member_assignment on, a booking needs a team member');
update business_settings set require_team_member_assignment = false;
create temporary table general as
  select book_appointment(marie, cleaning, null, '2026-12-07 09:00+01', 'auto', p_now => now) as id from ids;
select is((select team_member_id from bookings where id = (select id from general)), (select id from team_members where is_general_calendar),
  'with it off, a booking without a team member goes to the General Calendar');
update business_settings set require_team_member_assignment = true;

-- Preference memory
select is(remember_preference(thomas, schmidt, 'explicit_request', now), (select array[weber, schmidt] from ids),
  'remember_preference adds after the existing preferences') from ids;
select is(remember_preference(thomas, schmidt, 'admin', now), (select array[weber, schmidt] from ids),
  'and never twice') from ids;
select is((select preferred_staff_member from contacts where id = (select thomas from ids)), 'Dr. Sarah Weber',
  'the legacy field follows the first preference');
select throws_ok($$select remember_preference(thomas, schmidt, 'guess') from ids$$, 'BK004', null, 'an unknown source is refused');

-- Detected from history: three bookings with the same team member
select book_appointment(lisa, cleaning, mueller, t, 'auto', p_now => now)
from ids, (values ('2026-12-08 09:00+01'::timestamptz), ('2026-12-09 09:00+01')) v(t);
select results_eq($$select preferred_team_member_ids, preference_metadata ->> 'detected_from' from contacts where id = (select lisa from ids)$$,
  $$select array[mueller], 'booking_history' from ids$$, 'after three bookings with Dr. Müller he becomes Lisa''s preference');

select * from finish();
rollback;
