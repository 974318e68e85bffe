-- Phase 2 admin operations on the seed: who offers each service, bulk assignment, a customer's
-- history by team member, preferences set by hand, and the rollout guard.
begin;
select plan(30);

create temporary table ids as select
  '70000000-0000-4000-8000-000000000001'::uuid as weber, '70000000-0000-4000-8000-000000000002'::uuid as schmidt,
  '70000000-0000-4000-8000-000000000003'::uuid as mueller,
  '50000000-0000-4000-8000-000000000001'::uuid as cleaning, 'c0000000-0000-4000-8000-000000000001'::uuid as marie,
  (select id from team_members where is_general_calendar) as general;
grant select on ids to public;

-- Who offers what
select results_eq($$select team_members, team_member_count, bookable_team_members, needs_a_team_member
                   from service_team_members where service = 'Dental Cleaning'$$,
  $$values ('Dr. Sarah Weber (primary) #1, Dr. Schmidt #2, Dr. Müller #3'::text, 3::bigint, 3::bigint, false)$$,
  'each service lists its team members with primary and priority');
insert into services (id, name, duration_minutes, cost_chf) values ('5e000000-0000-4000-8000-000000000001', 'Root Canal', 90, 900);
select results_eq($$select team_members, team_member_count, needs_a_team_member from service_team_members where service = 'Root Canal'$$,
  $$values (''::text, 0::bigint, true)$$, 'an active service nobody offers needs a team member');

-- Rollout guard
update business_settings set require_team_member_assignment = false;
select throws_ok($$update business_settings set require_team_member_assignment = true$$, '23514',
  'require_team_member_assignment cannot be turned on: no bookable team member offers the active service(s) "Root Canal"',
  'turning assignment on is refused while an active service has no bookable team member, naming it');
select is((select require_team_member_assignment from business_settings), false, 'and the flag stays off');

-- Bulk assignment
select is(admin_assign_team_members('5e000000-0000-4000-8000-000000000001', array[schmidt, mueller], mueller), 2,
  'two team members assigned at once') from ids;
select results_eq($$select m.name::text, l.priority_order, l.is_primary from team_member_services l join team_members m on m.id = l.team_member_id
                   where l.service_id = '5e000000-0000-4000-8000-000000000001' order by l.priority_order$$,
  $$values ('Dr. Schmidt'::text, 1, false), ('Dr. Müller', 2, true)$$, 'in the order given, with the primary provider marked');
select lives_ok($$update business_settings set require_team_member_assignment = true$$, 'now the rollout flag can be turned on');
select is(admin_assign_team_members('5e000000-0000-4000-8000-000000000001', array[mueller, weber, schmidt]), 3,
  'a second call reorders and adds') from ids;
select results_eq($$select m.name::text, l.priority_order, l.is_primary from team_member_services l join team_members m on m.id = l.team_member_id
                   where l.service_id = '5e000000-0000-4000-8000-000000000001' order by l.priority_order$$,
  $$values ('Dr. Müller'::text, 1, true), ('Dr. Sarah Weber', 2, false), ('Dr. Schmidt', 3, false)$$,
  'without a new primary the old one stays primary');
select is(admin_assign_team_members('5e000000-0000-4000-8000-000000000001', array[weber], weber, true), 1,
  'p_replace removes whoever is not listed') from ids;
select is((select team_members from service_team_members where service = 'Root Canal'), 'Dr. Sarah Weber (primary) #1',
  'leaving one primary provider');
select throws_ok($$select admin_assign_team_members('5e000000-0000-4000-8000-000000000001', array[schmidt, schmidt]) from ids$$,
  'BK004', 'invalid_request: a team member is listed more than once', 'a duplicate is refused');
select throws_ok($$select admin_assign_team_members('5e000000-0000-4000-8000-000000000001', array[schmidt, gen_random_uuid()]) from ids$$,
  'BK003', null, 'an unknown team member is refused');
select throws_ok($$select admin_assign_team_members('5e000000-0000-4000-8000-000000000001', array[general]) from ids$$,
  'BK004', null, 'the General Calendar is not assigned');
select throws_ok($$select admin_assign_team_members('5e000000-0000-4000-8000-000000000001', array[schmidt], mueller) from ids$$,
  'BK004', 'invalid_request: the primary provider must be one of the team members assigned', 'the primary must be among them');
select throws_ok($$select admin_assign_team_members('5e000000-0000-4000-8000-000000000001', '{}')$$, 'BK004', null, 'an empty list is refused');
select throws_ok($$select admin_assign_team_members(gen_random_uuid(), array[schmidt]) from ids$$, 'BK003', null, 'an unknown service too');
select is((select team_members from service_team_members where service = 'Root Canal'), 'Dr. Sarah Weber (primary) #1',
  'refused calls changed nothing');

-- A customer's booking history by team member
insert into bookings (contact_id, service_id, team_member_id, starts_at, ends_at, status)
select marie, cleaning, weber, '2025-03-03 09:00+01'::timestamptz, '2025-03-03 10:00+01'::timestamptz, 'completed' from ids union all
select marie, cleaning, weber, '2025-06-02 09:00+02', '2025-06-02 10:00+02', 'completed' from ids union all
select marie, cleaning, weber, '2025-07-07 09:00+02', '2025-07-07 10:00+02', 'cancelled' from ids union all
select marie, cleaning, schmidt, '2025-09-01 09:00+02', '2025-09-01 10:00+02', 'no_show' from ids;
select results_eq($$select team_member, preference_rank, bookings, completed, no_shows, cancelled, first_booking_at, last_visit_at
                   from customer_booking_history where contact_id = (select marie from ids)$$,
  $$values ('Dr. Sarah Weber'::text, 1, 2::bigint, 2::bigint, 0::bigint, 1::bigint, '2025-03-03 09:00+01'::timestamptz, '2025-06-02 09:00+02'::timestamptz),
           ('Dr. Schmidt', null, 1, 0, 1, 0, '2025-09-01 09:00+02', '2025-09-01 09:00+02')$$,
  'Marie''s history per team member, with where each is in her preferences');

-- Preferences set by hand
select is(admin_set_preferred_team_members(marie, array[schmidt, weber], '2026-11-30 10:00+01'), array[schmidt, weber],
  'an admin sets Marie''s preferences, most preferred first') from ids;
select results_eq($$select preferred_staff_member::text, preference_metadata ->> 'detected_from', preference_metadata ->> 'last_updated',
                          preference_metadata -> 'ranking' = to_jsonb(array[schmidt, weber])
                   from contacts, ids where id = marie$$,
  $$values ('Dr. Schmidt'::text, 'admin'::text, '2026-11-30'::text, true)$$,
  'recorded as detected_from = admin; the legacy field and ranking follow');
select is((select summary from customer_preferences where id = (select marie from ids)), 'Prefers Dr. Schmidt (set by an admin)',
  'Studio shows who set it');
select is((select (reasons ->> 'preference_rank')::int from rank_team_members((select marie from ids), (select cleaning from ids),
      '2026-12-01 00:00+01', '2026-12-02 00:00+01', p_now => '2026-11-29 12:00+01') where name = 'Dr. Schmidt'), 1,
  'the bot ranks the new first choice as her first preference');
select throws_ok($$select admin_set_preferred_team_members(marie, array[weber, weber]) from ids$$, 'BK004', null, 'duplicates are refused');
select throws_ok($$select admin_set_preferred_team_members(marie, array[general]) from ids$$, 'BK004', null, 'so is the General Calendar');
select throws_ok($$select admin_set_preferred_team_members(marie, array[gen_random_uuid()]) from ids$$, 'BK003', null, 'and an unknown member');
select throws_ok($$select admin_set_preferred_team_members(gen_random_uuid(), '{}')$$, 'BK003', null, 'and an unknown customer');
select is((select preferred_team_member_ids from contacts, ids where id = marie), (select array[schmidt, weber] from ids),
  'refused edits changed nothing');
select is(admin_set_preferred_team_members(marie, '{}'), '{}'::uuid[], 'an empty list clears the preferences') from ids;

-- Only admins
select tests.create_supabase_user('ops_stranger');
select tests.authenticate_as('ops_stranger');
select throws_ok($$select admin_assign_team_members('5e000000-0000-4000-8000-000000000001', array['70000000-0000-4000-8000-000000000002'::uuid])$$,
  '42501', null, 'a signed-in non-admin cannot assign team members');
select tests.clear_authentication();

select * from finish();
rollback;
