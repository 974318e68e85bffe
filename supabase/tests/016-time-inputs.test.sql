-- Times given by callers (issue #14, items 1 and 3): infinity, far-off years and unbounded
-- windows are refused with BK004 before any work is done; API callers cannot move the clock.
begin;
select plan(24);
-- On a version without the checks these calls loop in generate_series; fail instead of hanging.
set local statement_timeout = '20s';

create temporary table ids as select
  '70000000-0000-4000-8000-000000000001'::uuid as weber, '50000000-0000-4000-8000-000000000001'::uuid as cleaning,
  'c0000000-0000-4000-8000-000000000001'::uuid as marie, '2026-11-29 12:00+01'::timestamptz as now;
grant select on ids to authenticated, service_role;
insert into bookings (id, contact_id, service_id, team_member_id, starts_at, ends_at)
select 'b1600000-0000-4000-8000-000000000001', marie, cleaning, weber, '2026-12-01 10:00+01', '2026-12-01 11:00+01' from ids;

-- Item 1: every time and date input is finite and within 2000..2099.
select throws_ok($$select hold_slot(marie, cleaning, weber, 'infinity', now) from ids$$,
  'BK004', null, 'hold_slot refuses an infinite start');
select throws_ok($$select book_appointment(marie, cleaning, weber, 'infinity', 'auto', p_now => now) from ids$$,
  'BK004', null, 'book_appointment refuses an infinite start');
select throws_ok($$select book_appointment(marie, cleaning, weber, '9999-12-31 10:00+00', 'auto', p_now => now) from ids$$,
  'BK004', null, 'book_appointment refuses the year 9999');
select throws_ok($$select reschedule_booking('b1600000-0000-4000-8000-000000000001', 'infinity', null, now) from ids$$,
  'BK004', null, 'reschedule_booking refuses an infinite new start');
select throws_ok($$select hold_slot(marie, cleaning, weber, '2026-12-02 09:00+01', 'infinity') from ids$$,
  'BK004', null, 'an infinite "now" is refused');
select throws_ok($$select book_appointment(marie, cleaning, weber, '2026-12-02 09:00+01', 'auto', p_now => '-infinity') from ids$$,
  'BK004', null, 'a "now" of -infinity is refused');
select throws_ok($$select * from get_available_slots((select cleaning from ids), '2026-12-01', 'infinity', null, (select now from ids))$$,
  'BK004', null, 'get_available_slots refuses an infinite window end');
select throws_ok($$select * from get_available_slots((select cleaning from ids), '2026-12-01', '2031-12-01', null, (select now from ids))$$,
  'BK004', null, 'get_available_slots refuses a window of five years');
select throws_ok($$select get_availability(weber, cleaning, 'infinity'::date, now) from ids$$,
  'BK004', null, 'get_availability refuses an infinite date');
select throws_ok($$select refresh_availability_cache('infinity'::date, 1)$$,
  'BK004', null, 'refresh_availability_cache refuses an infinite first day');
select throws_ok($$select refresh_availability_cache('9999-01-01'::date, 30)$$,
  'BK004', null, 'refresh_availability_cache refuses the year 9999');
select throws_ok($$select * from rank_team_members((select marie from ids), (select cleaning from ids), '-infinity', '2026-12-02',
                   'auto', null, (select now from ids))$$,
  'BK004', null, 'rank_team_members refuses an infinite window start');
select throws_ok($$select * from booking_options((select marie from ids), (select cleaning from ids), '2026-12-01', 'infinity',
                   'auto', null, (select now from ids))$$,
  'BK004', null, 'booking_options refuses an infinite window end');
select throws_ok($$select replace_busy_times(weber, '2026-11-28', 'infinity', '[]'::jsonb) from ids$$,
  'BK004', null, 'replace_busy_times refuses an infinite window');
select is((select count(*)::int from bookings where contact_id = (select marie from ids) and status = 'confirmed'), 1,
  'nothing was written by the refused calls (the one booking is still there)');

-- Item 3: direct SQL (tests, Studio) may set the clock; API callers may not move it by more than a minute.
select lives_ok($$select hold_slot(marie, cleaning, weber, '2026-12-02 09:00+01', now) from ids$$,
  'direct SQL sets the clock (tests use fixed times)');
select tests.create_supabase_user('clock_admin', '{"role": "admin"}');
select tests.authenticate_as('clock_admin');
select throws_ok($$select hold_slot(marie, cleaning, weber, '2026-12-03 09:00+01', now() - interval '1 day') from ids$$,
  'BK004', null, 'an admin cannot hold with a clock of yesterday (a hold that never expires)');
select throws_ok($$select book_appointment(marie, cleaning, weber, '2026-12-03 09:00+01', 'auto', p_now => now() - interval '1 year') from ids$$,
  'BK004', null, 'an admin cannot book with a clock in the past (a booking in the past)');
select throws_ok($$select cancel_booking('b1600000-0000-4000-8000-000000000001', now() + interval '1 day')$$,
  'BK004', null, 'an admin cannot cancel with a clock of tomorrow');
select throws_ok($$select * from get_available_slots((select cleaning from ids), now(), now() + interval '1 day', null, now() - interval '10 days')$$,
  'BK004', null, 'an admin cannot ask for slots as of another day');
select lives_ok($$select remember_preference(marie, weber, 'admin', now() + interval '30 seconds') from ids$$,
  'an admin''s own clock within a minute of the database is accepted');
select tests.clear_authentication();
select tests.authenticate_as_role('service_role');
select throws_ok($$select hold_slot(marie, cleaning, weber, '2026-12-03 09:00+01', now() + interval '2 minutes') from ids$$,
  'BK004', null, 'the service role through the API cannot move the clock either');
select throws_ok($$select remember_preference(marie, weber, 'admin', null) from ids$$,
  'BK004', null, 'an explicit null clock is refused, not read as the start of time');
select tests.clear_authentication();
select is((select count(*)::int from bookings where contact_id = (select marie from ids)), 2,
  'only the direct-SQL hold was written');

select * from finish();
rollback;
