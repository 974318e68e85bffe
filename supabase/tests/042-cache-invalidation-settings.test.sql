-- The availability cache follows changes to services and business settings at once (README:
-- "invalidated by triggers in the same transaction as every change that matters").
begin;
select plan(7);

create temporary table ids as select '70000000-0000-4000-8000-000000000001'::uuid as weber,
  '50000000-0000-4000-8000-000000000001'::uuid as cleaning, '50000000-0000-4000-8000-000000000002'::uuid as filling;
-- Fresh = current in the versioned cache (a change bumps the version the entry must carry).
create function tests.is_fresh(p_service uuid) returns boolean language sql as $$
  select private.cache_entry_is_current((select weber from ids), p_service, '2026-12-07')
$$;
create function tests.first_slot(p_service uuid) returns text language sql as $$
  select (get_availability((select weber from ids), p_service, '2026-12-07', '2026-12-01 12:00+01') -> 0 ->> 'start') || '-' ||
         (get_availability((select weber from ids), p_service, '2026-12-07', '2026-12-01 12:00+01') -> 0 ->> 'end')
$$;
create function tests.starts(p_service uuid) returns text[] language sql as $$
  select array_agg(s ->> 'start' order by s ->> 'start')
  from jsonb_array_elements(get_availability((select weber from ids), p_service, '2026-12-07', '2026-12-01 12:00+01')) s
  where s ->> 'start' < '10:00'
$$;

select refresh_availability_cache('2026-12-07', 1, array[weber]) from ids;
select ok(tests.is_fresh(cleaning) and tests.is_fresh(filling), 'Monday''s cache entries are fresh') from ids;

update services set duration_minutes = 90 where id = (select cleaning from ids);
select ok(not tests.is_fresh(cleaning) and tests.is_fresh(filling),
  'lengthening a service invalidates its entries and only its entries') from ids;
select is(tests.first_slot(cleaning), '08:00-09:30', 'and customers are offered the longer appointment at once') from ids;

select refresh_availability_cache('2026-12-07', 1, array[weber]) from ids;
update business_settings set slot_step_minutes = 60;
select ok(not tests.is_fresh(cleaning) and not tests.is_fresh(filling), 'changing the slot step invalidates every entry') from ids;
select is(tests.starts(filling), array['08:00', '09:00'], 'and slots start on the new grid') from ids;

select refresh_availability_cache('2026-12-07', 1, array[weber]) from ids;
update business_settings set hold_minutes = hold_minutes + 5;
select ok(tests.is_fresh(filling), 'a setting availability does not depend on leaves the cache alone') from ids;

-- A stray cache row without a team member (the guide's table allows it) must not make everyone
-- look fresh.
update services set duration_minutes = 30 where id = (select cleaning from ids);
insert into availability_cache (team_member_id, service_id, date, time_slots, last_synced, cache_version)
select null, cleaning, '2026-12-07', '[]', now(), 1 from ids;
select is((select min(ends_at - starts_at) from get_available_slots((select cleaning from ids), '2026-12-07 00:00+01', '2026-12-07 18:00+01',
             (select array[weber] from ids), '2026-12-01 12:00+01')), interval '30 minutes',
  'the invalidated entries are recomputed even next to a row without a team member');

select * from finish();
rollback;
