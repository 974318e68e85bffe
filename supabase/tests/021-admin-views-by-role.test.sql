-- Every admin view as every role that reads it (issue #14, item 15): admins see every row, a
-- team member sees their own, the service role everything, anon nothing; and reading a view
-- writes nothing.
begin;
select plan(20);

create temporary table who as select
  tests.create_supabase_user('views_admin', '{"role": "admin"}') as admin_uid,
  tests.create_supabase_user('views_member') as member_uid;
update team_members set user_id = (select member_uid from who) where id = '70000000-0000-4000-8000-000000000002';
insert into bookings (contact_id, service_id, team_member_id, starts_at, ends_at) values
  ('c0000000-0000-4000-8000-000000000001', '50000000-0000-4000-8000-000000000001', '70000000-0000-4000-8000-000000000001',
   now() + interval '3 days', now() + interval '3 days 1 hour'),
  ('c0000000-0000-4000-8000-000000000002', '50000000-0000-4000-8000-000000000001', '70000000-0000-4000-8000-000000000002',
   now() + interval '3 days', now() + interval '3 days 1 hour');
create function tests.cache_rows() returns bigint language sql security definer as $$ select count(*) from public.availability_cache $$;
grant execute on function tests.cache_rows() to anon, authenticated, service_role;
create temporary table cache_before as select tests.cache_rows() as n;
grant select on cache_before to anon, authenticated, service_role;

-- Admins: every row of every view.
select tests.authenticate_as('views_admin');
select ok((select count(*) from team_member_overview) >= 2, 'an admin reads team_member_overview');
select ok((select count(*) from customer_preferences) >= 2, 'an admin reads customer_preferences');
select ok((select count(*) from bookings_by_team_member) >= 2, 'an admin reads bookings_by_team_member');
select is((select count(*)::int from booking_schedule where starts_at > now()), 2, 'an admin reads booking_schedule (both bookings)');
select lives_ok('select * from calendar_sync_overview', 'an admin reads calendar_sync_overview');
select ok((select count(*) from calendar_sync_overview) >= 2, 'with every team member');
select is((select n from cache_before), tests.cache_rows(), 'reading calendar_sync_overview writes no cache entries');
select tests.clear_authentication();

-- A team member: their own rows, local times included.
select tests.authenticate_as('views_member');
select results_eq($$select id from team_member_overview$$, array['70000000-0000-4000-8000-000000000002'::uuid],
  'a team member reads their own line of team_member_overview');
select results_eq($$select team_member_id from bookings_by_team_member$$, array['70000000-0000-4000-8000-000000000002'::uuid],
  'and of bookings_by_team_member');
select is((select count(*)::int from booking_schedule), 1, 'booking_schedule shows a team member their own booking');
select ok((select local_start is not null and local_start = (starts_at at time zone 'Europe/Zurich') from booking_schedule),
  'in the business''s local time');
select results_eq($$select whatsapp_id from customer_preferences$$, array['+41791110002'],
  'customer_preferences shows a team member the customers they booked with');
select results_eq($$select id from calendar_sync_overview$$, array['70000000-0000-4000-8000-000000000002'::uuid],
  'and calendar_sync_overview their own calendar');
select tests.clear_authentication();
select tests.authenticate_as('views_admin');
select throws_ok('update team_member_overview set name = name', '42501', null,
  'views are read-only through the API (writes go to the tables, where the rules are)');
select tests.clear_authentication();

-- The service role: everything.
select tests.authenticate_as_role('service_role');
select is((select count(*)::int from booking_schedule where starts_at > now()), 2, 'the service role reads booking_schedule');
select lives_ok('select * from calendar_sync_overview', 'the service role reads calendar_sync_overview');
select tests.clear_authentication();

-- anon: nothing.
select tests.authenticate_as_role('anon');
select throws_ok('select * from team_member_overview', '42501', null, 'anon cannot read team_member_overview');
select throws_ok('select * from booking_schedule', '42501', null, 'anon cannot read booking_schedule');
select throws_ok('select * from calendar_sync_overview', '42501', null, 'anon cannot read calendar_sync_overview');
select throws_ok('select * from customer_preferences', '42501', null, 'anon cannot read customer_preferences');
select tests.clear_authentication();

select * from finish();
rollback;
