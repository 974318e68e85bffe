-- Row-level security per role: anon, admin, team member, service role.
begin;
select plan(31);

-- A second team member login, and one booking each for Dr. Weber (Marie) and Dr. Schmidt (Thomas).
select tests.create_supabase_user('schmidt');
update team_members set user_id = tests.get_supabase_uid('schmidt') where name = 'Dr. Schmidt';
insert into bookings (contact_id, service_id, team_member_id, starts_at, ends_at) values
  ('c0000000-0000-4000-8000-000000000001', '50000000-0000-4000-8000-000000000001', '70000000-0000-4000-8000-000000000001',
   '2026-12-01 10:00+01', '2026-12-01 11:00+01'),
  ('c0000000-0000-4000-8000-000000000002', '50000000-0000-4000-8000-000000000001', '70000000-0000-4000-8000-000000000002',
   '2026-12-01 10:00+01', '2026-12-01 11:00+01');
insert into calendar_busy_times (team_member_id, starts_at, ends_at) values
  ('70000000-0000-4000-8000-000000000002', '2026-12-02 10:00+01', '2026-12-02 11:00+01');
insert into auth.users (id, email, raw_user_meta_data)
select id, 'weber-' || email, '{"test_identifier": "weber"}' from auth.users where email = 'sarah.weber@clinic.example'
on conflict (id) do nothing;
update auth.users set raw_user_meta_data = '{"test_identifier": "weber"}' where email = 'sarah.weber@clinic.example';
update auth.users set raw_user_meta_data = '{"test_identifier": "admin"}' where email = 'admin@clinic.example';

select ok((select bool_and(c.relrowsecurity) from pg_class c join pg_namespace n on n.oid = c.relnamespace
           where n.nspname = 'public' and c.relkind = 'r'), 'every table in the exposed schema has RLS on');

-- anon: nothing, anywhere
select tests.authenticate_as_role('anon');
select throws_ok('select * from team_members', '42501', null, 'anon cannot read team_members');
select throws_ok('select * from contacts', '42501', null, 'anon cannot read contacts');
select throws_ok('select * from bookings', '42501', null, 'anon cannot read bookings');
select throws_ok('select * from services', '42501', null, 'anon cannot read services');
select throws_ok('select * from team_member_overview', '42501', null, 'anon cannot read the admin views');
select throws_ok($$insert into contacts (whatsapp_id) values ('+41790000099')$$, '42501', null, 'anon cannot write contacts');
select is((select count(*)::int from unnest(tests.relations_containing('')) r where r like 'public.%'), 0,
  'anon can read no table or view of the public schema');
select tests.clear_authentication();

-- a team member: own profile, own bookings and customers, services they offer
select tests.authenticate_as('weber');
select results_eq('select name::text from team_members', array['Dr. Sarah Weber'], 'a team member sees only their own profile');
select is((select count(*)::int from bookings), 1, 'a team member sees only their own bookings');
select results_eq('select name from contacts', array['Marie Schmidt'], 'a team member sees only their own customers');
select is((select count(*)::int from services), 4, 'a team member sees the services they offer');
select is((select count(*)::int from team_member_services), 4, 'a team member sees their own service links');
select is((select count(*)::int from calendar_busy_times), 0, 'a team member does not see another member''s busy times');
select throws_ok('select calendar_secret_ref from team_members', '42501', null, 'a team member cannot read the secret reference');
select is((select count(*)::int from business_settings), 0, 'a team member sees no business settings');
select throws_ok($$insert into bookings (contact_id, service_id, team_member_id, starts_at, ends_at)
                   values ('c0000000-0000-4000-8000-000000000001', '50000000-0000-4000-8000-000000000001',
                           '70000000-0000-4000-8000-000000000001', '2026-12-03 10:00+01', '2026-12-03 11:00+01')$$,
  '42501', null, 'a team member cannot write bookings directly');
update team_members set name = 'Hacked' where name = 'Dr. Schmidt';
select tests.clear_authentication();
select is((select count(*)::int from team_members where name = 'Dr. Schmidt'), 1, 'a team member cannot change other members');

select tests.authenticate_as('schmidt');
select results_eq('select name from contacts', array['Thomas Becker'], 'the other team member sees only their customer');
select is((select count(*)::int from calendar_busy_times), 1, 'a team member sees their own busy times');
select tests.clear_authentication();

-- an authenticated user who is neither admin nor team member sees nothing
select tests.create_supabase_user('stranger');
select tests.authenticate_as('stranger');
select is((select count(*)::int from unnest(tests.relations_containing('')) r where r like 'public.%'), 0,
  'a plain authenticated user reads nothing');
select tests.clear_authentication();

-- an admin manages everything, except reading the secret reference
select tests.authenticate_as('admin');
select is((select count(*)::int from team_members), 6, 'an admin sees every team member');
select is((select count(*)::int from bookings), 2, 'an admin sees every booking');
select is((select count(*)::int from contacts), 5, 'an admin sees every contact');
select lives_ok($$update business_settings set slot_step_minutes = 30$$, 'an admin can change settings');
select lives_ok($$insert into services (name, duration_minutes) values ('Check-up', 30)$$, 'an admin can add services');
select lives_ok($$insert into team_member_services (team_member_id, service_id)
                  select '70000000-0000-4000-8000-000000000002', id from services where name = 'Check-up'$$,
  'an admin can link services');
select is((select count(*)::int from team_member_overview), 6, 'an admin reads the team member overview');
select throws_ok('select calendar_secret_ref from team_members', '42501', null, 'not even an admin reads the secret reference through the API');
select tests.clear_authentication();
select is((select slot_step_minutes from business_settings), 30, 'the admin''s change was stored');

-- the service role (edge functions) reads everything
update team_members set calendar_secret_ref = 'DR_SCHMIDT_CALENDAR_SECRET' where id = '70000000-0000-4000-8000-000000000002';
select tests.authenticate_as_role('service_role');
select is((select calendar_secret_ref from team_members where id = '70000000-0000-4000-8000-000000000002'), 'DR_SCHMIDT_CALENDAR_SECRET',
  'the service role reads secret references');
select tests.clear_authentication();

select * from finish();
rollback;
