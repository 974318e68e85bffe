-- Appointments whose end has passed become completed; admins mark no-shows.
begin;
select plan(9);

create temporary table ids as select
  '70000000-0000-4000-8000-000000000001'::uuid as weber, '50000000-0000-4000-8000-000000000001'::uuid as cleaning,
  'c0000000-0000-4000-8000-000000000001'::uuid as marie;
insert into bookings (id, contact_id, service_id, team_member_id, starts_at, ends_at, status)
select v.id::uuid, marie, cleaning, weber, v.s::timestamptz, v.e::timestamptz, v.status
from ids, lateral (values
  ('b8100000-0000-4000-8000-000000000001', '2026-12-01 10:00+01', '2026-12-01 11:00+01', 'confirmed'),
  ('b8100000-0000-4000-8000-000000000002', '2026-12-01 11:00+01', '2026-12-01 12:00+01', 'confirmed'),
  ('b8100000-0000-4000-8000-000000000003', '2026-12-01 13:00+01', '2026-12-01 14:00+01', 'cancelled'),
  ('b8100000-0000-4000-8000-000000000004', '2026-12-01 15:00+01', '2026-12-01 16:00+01', 'confirmed')
) v(id, s, e, status);
create function tests.status_of(p_id text) returns text language sql as $$ select status from bookings where id = p_id::uuid $$;

select private.complete_past_bookings('2026-12-01 10:59+01');
select is(tests.status_of('b8100000-0000-4000-8000-000000000001'), 'confirmed', 'an appointment still running is not completed');
select private.complete_past_bookings('2026-12-01 11:00+01');
select is(tests.status_of('b8100000-0000-4000-8000-000000000001'), 'completed', 'it is completed the moment it ends');

select throws_ok($$select admin_mark_no_show('b8100000-0000-4000-8000-000000000002', '2026-12-01 10:59+01')$$, 'BK004', null,
  'a no-show cannot be marked before the appointment starts');
select admin_mark_no_show('b8100000-0000-4000-8000-000000000002', '2026-12-01 11:20+01');
select private.complete_past_bookings('2026-12-01 13:00+01');
select is(tests.status_of('b8100000-0000-4000-8000-000000000002'), 'no_show', 'a no-show stays a no-show after its end');
select is(tests.status_of('b8100000-0000-4000-8000-000000000003'), 'cancelled', 'a cancelled booking is never completed');

select admin_mark_no_show('b8100000-0000-4000-8000-000000000001', '2026-12-01 13:00+01');
select is(tests.status_of('b8100000-0000-4000-8000-000000000001'), 'no_show', 'an admin can correct a completed appointment to no-show');
select throws_ok($$select admin_mark_no_show('b8100000-0000-4000-8000-000000000003', '2026-12-01 15:00+01')$$, 'BK004', null,
  'a cancelled booking cannot be a no-show');
select throws_ok($$select admin_mark_no_show('b8100000-0000-4000-8000-0000000000ff')$$, 'BK003', null, 'an unknown booking');

select tests.create_supabase_user('not-an-admin');
select tests.authenticate_as('not-an-admin');
select throws_ok($$select admin_mark_no_show('b8100000-0000-4000-8000-000000000004', '2026-12-01 15:30+01')$$, '42501', null,
  'only admins (and the service role) mark no-shows');
select tests.clear_authentication();

select * from finish();
rollback;
