-- Availability and selection on the edges (issue #12): each numbered wrong answer as a named
-- test. DST nights of 2026 in Europe/Zurich: spring forward 2026-03-29 02:00 -> 03:00
-- (01:00 UTC), fall back 2026-10-25 03:00 -> 02:00 (01:00 UTC).
begin;
select plan(34);

insert into services (id, name, duration_minutes, buffer_before_minutes, buffer_after_minutes, min_notice_minutes) values
  ('5e000000-0000-4000-8000-000000000001', 'Edge hour', 60, 0, 0, 0),
  ('5e000000-0000-4000-8000-000000000002', 'Edge two hours', 120, 0, 0, 0),
  ('5e000000-0000-4000-8000-000000000003', 'Edge quarter', 15, 0, 0, 0),
  ('5e000000-0000-4000-8000-000000000004', 'Edge hour with cleanup', 60, 0, 15, 0);
insert into team_members (id, name, calendar_provider, calendar_source_url, working_hours) values
  ('7e000000-0000-4000-8000-000000000001', 'Edge gap', 'ical', 'https://feeds.example/e1.ics', '{"sun": [{"start": "02:30", "end": "03:00"}]}'),
  ('7e000000-0000-4000-8000-000000000002', 'Edge day', 'ical', 'https://feeds.example/e2.ics',
   '{"sun": [{"start": "08:00", "end": "12:00"}], "mon": [{"start": "08:00", "end": "12:00"}]}'),
  ('7e000000-0000-4000-8000-000000000003', 'Edge fall', 'ical', 'https://feeds.example/e3.ics', '{"sun": [{"start": "00:00", "end": "03:30"}]}'),
  ('7e000000-0000-4000-8000-000000000004', 'Edge spring', 'ical', 'https://feeds.example/e4.ics', '{"sun": [{"start": "01:30", "end": "02:30"}]}'),
  ('7e000000-0000-4000-8000-000000000005', 'Edge twice', 'ical', 'https://feeds.example/e5.ics', '{"sun": [{"start": "02:00", "end": "02:30"}]}'),
  ('7e000000-0000-4000-8000-000000000006', 'Edge touching', 'ical', 'https://feeds.example/e6.ics',
   '{"mon": [{"start": "08:00", "end": "12:00"}, {"start": "12:00", "end": "13:00"}]}'),
  ('7e000000-0000-4000-8000-000000000007', 'Edge midnight', 'ical', 'https://feeds.example/e7.ics',
   '{"sat": [{"start": "22:00", "end": "24:00"}], "sun": [{"start": "00:00", "end": "02:00"}]}');
insert into team_member_services (team_member_id, service_id) values
  ('7e000000-0000-4000-8000-000000000001', '5e000000-0000-4000-8000-000000000001'),
  ('7e000000-0000-4000-8000-000000000002', '5e000000-0000-4000-8000-000000000001'),
  ('7e000000-0000-4000-8000-000000000003', '5e000000-0000-4000-8000-000000000002'),
  ('7e000000-0000-4000-8000-000000000004', '5e000000-0000-4000-8000-000000000003'),
  ('7e000000-0000-4000-8000-000000000005', '5e000000-0000-4000-8000-000000000003'),
  ('7e000000-0000-4000-8000-000000000006', '5e000000-0000-4000-8000-000000000004'),
  ('7e000000-0000-4000-8000-000000000007', '5e000000-0000-4000-8000-000000000002');
-- Their calendars were read in full once (a member is bookable only then, issue #14).
update team_members set calendar_last_synced = '2026-01-01 00:00+01' where id::text like '7e000000-%';
insert into contacts (id, whatsapp_id, name, preferred_team_member_ids) values
  ('ce000000-0000-4000-8000-000000000001', '+41790000001', 'Edge customer',
   array['7e000000-0000-4000-8000-000000000002', '7e000000-0000-4000-8000-000000000001']::uuid[]);

-- Start instants (UTC text) of one member for a service over one local day.
create function tests.utc_starts(p_service uuid, p_member uuid, p_day date, p_now timestamptz) returns text[]
language sql as $$
  select coalesce(array_agg(to_char(s.starts_at at time zone 'UTC', 'MM-DD HH24:MI') order by s.starts_at), '{}')
  from get_available_slots(p_service, p_day::timestamp at time zone 'Europe/Zurich',
                           (p_day + 1)::timestamp at time zone 'Europe/Zurich', array[p_member], p_now) s
$$;

-- 1. Spring-forward night: an interval inside the gap is no time, and never an error.
select lives_ok($$select * from get_available_slots('5e000000-0000-4000-8000-000000000001', '2026-03-29 00:00+01',
                    '2026-03-30 00:00+02', null, '2026-03-20 00:00+01')$$,
  '#1 spring gap: working hours 02:30-03:00 on 2026-03-29 do not break the team''s availability');
select is(tests.utc_starts('5e000000-0000-4000-8000-000000000001', '7e000000-0000-4000-8000-000000000001', '2026-03-29', '2026-03-20 00:00+01'),
  '{}'::text[], '#1 spring gap: 02:30-03:00 does not exist that night, so that member has no slot');
select is(cardinality(tests.utc_starts('5e000000-0000-4000-8000-000000000001', '7e000000-0000-4000-8000-000000000002', '2026-03-29',
                                       '2026-03-20 00:00+01')), 13, '#1 spring gap: everybody else keeps their slots (08:00-11:00)');
select lives_ok($$select * from rank_team_members('ce000000-0000-4000-8000-000000000001', '5e000000-0000-4000-8000-000000000001',
                    '2026-03-29 00:00+01', '2026-03-30 00:00+02', p_now => '2026-03-20 00:00+01')$$,
  '#1 spring gap: rank_team_members works');
select lives_ok($$select * from booking_options('ce000000-0000-4000-8000-000000000001', '5e000000-0000-4000-8000-000000000001',
                    '2026-03-29 00:00+01', '2026-03-30 00:00+02', p_now => '2026-03-20 00:00+01')$$,
  '#1 spring gap: booking_options works');
select lives_ok($$select refresh_availability_cache('2026-03-28', 3)$$, '#1 spring gap: the nightly cache refresh works');
select lives_ok($$select hold_slot('ce000000-0000-4000-8000-000000000001', '5e000000-0000-4000-8000-000000000001',
                    '7e000000-0000-4000-8000-000000000002', '2026-03-29 08:00+02', '2026-03-20 00:00+01')$$,
  '#1 spring gap: holding another member''s slot that day works');

-- 2. DST nights: free time and slots follow the wall clock (README, Availability).
select ok('10-24 23:45' = any (tests.utc_starts('5e000000-0000-4000-8000-000000000002', '7e000000-0000-4000-8000-000000000003',
                                                 '2026-10-25', '2026-10-20 00:00+02')),
  '#2 fall back: hours 00:00-03:30, 120 min: 01:45+02 (ending 02:45+01) is offered');
select is(tests.utc_starts('5e000000-0000-4000-8000-000000000002', '7e000000-0000-4000-8000-000000000003', '2026-10-25', '2026-10-20 00:00+02'),
  array['10-24 22:00', '10-24 22:15', '10-24 22:30', '10-24 22:45', '10-24 23:00', '10-24 23:15', '10-24 23:30', '10-24 23:45',
        '10-25 00:00', '10-25 00:15', '10-25 00:30'],
  '#2 fall back: 00:00-03:30 is 4.5 hours, every start whose two hours fit is offered');
select is(tests.utc_starts('5e000000-0000-4000-8000-000000000003', '7e000000-0000-4000-8000-000000000004', '2026-03-29', '2026-03-20 00:00+01'),
  array['03-29 00:30', '03-29 00:45'],
  '#2 spring forward: hours 01:30-02:30 are 01:30-02:00 (then the clock shows 03:00): 01:30 and 01:45 only');
select throws_ok($$select hold_slot('ce000000-0000-4000-8000-000000000001', '5e000000-0000-4000-8000-000000000003',
                     '7e000000-0000-4000-8000-000000000004', '2026-03-29 03:00+02', '2026-03-20 00:00+01')$$,
  'BK001', null, '#2 spring forward: booking agrees with the offer (03:00+02 is outside 01:30-02:30)');
select is((select jsonb_path_query_array(time_slots, '$[*].start') from availability_cache
           where team_member_id = '7e000000-0000-4000-8000-000000000003' and service_id = '5e000000-0000-4000-8000-000000000002'
             and date = '2026-10-25'),
  '["00:00", "00:15", "00:30", "00:45", "01:00", "01:15", "01:30", "01:45", "02:00", "02:15", "02:30"]'::jsonb,
  '#2 fall back: the stored cache entry holds the same slots');
select is(tests.utc_starts('5e000000-0000-4000-8000-000000000003', '7e000000-0000-4000-8000-000000000005', '2026-10-25', '2026-10-20 00:00+02'),
  array['10-25 00:00', '10-25 00:15'], '#2 repeated hour: 02:00-02:30 exists twice, each local start is offered once (first pass)');
insert into calendar_busy_times (team_member_id, starts_at, ends_at)
values ('7e000000-0000-4000-8000-000000000005', '2026-10-25 00:00+00', '2026-10-25 00:30+00');
select is(tests.utc_starts('5e000000-0000-4000-8000-000000000003', '7e000000-0000-4000-8000-000000000005', '2026-10-25', '2026-10-20 00:00+02'),
  array['10-25 01:00', '10-25 01:15'], '#2 repeated hour: busy in the first pass, the second pass is offered');

-- 3. Touching intervals are one stretch (also across midnight).
select is((select array_agg(to_char(s.starts_at at time zone 'Europe/Zurich', 'HH24:MI') order by s.starts_at)
           from get_available_slots('5e000000-0000-4000-8000-000000000004', '2026-12-07 10:30+01', '2026-12-08 00:00+01',
                                    array['7e000000-0000-4000-8000-000000000006']::uuid[], '2026-12-01 00:00+01') s),
  array['10:30', '10:45', '11:00', '11:15', '11:30', '11:45'],
  '#3 touching intervals: 08:00-12:00 + 12:00-13:00, 60 min + 15 after, from 10:30: 10:30 to 11:45');
select is((select array_agg(to_char(s.starts_at at time zone 'Europe/Zurich', 'Dy HH24:MI') order by s.starts_at)
           from get_available_slots('5e000000-0000-4000-8000-000000000002', '2026-12-12 23:00+01', '2026-12-13 00:15+01',
                                    array['7e000000-0000-4000-8000-000000000007']::uuid[], '2026-12-01 00:00+01') s),
  array['Sat 23:00', 'Sat 23:15', 'Sat 23:30', 'Sat 23:45', 'Sun 00:00'],
  '#3 touching across midnight: Sat 22:00-24:00 + Sun 00:00-02:00 hold a two-hour slot from 23:00');

-- 4. Preference weight 0 switches preference scoring off.
update business_settings set weight_preference = 0;
select is((select array_agg((reasons ->> 'preference')::int order by (reasons ->> 'preference_rank')::int)
           from rank_team_members('ce000000-0000-4000-8000-000000000001', '5e000000-0000-4000-8000-000000000001',
                                  '2026-12-07 00:00+01', '2026-12-08 00:00+01', p_now => '2026-12-01 00:00+01')
           where reasons ->> 'preference_rank' is not null),
  array[0, 0], '#4 weight_preference = 0: preferred members (ranks 1 and 2) score 0 points');
update business_settings set weight_preference = 1;
select is((select array_agg((reasons ->> 'preference')::int order by (reasons ->> 'preference_rank')::int)
           from rank_team_members('ce000000-0000-4000-8000-000000000001', '5e000000-0000-4000-8000-000000000001',
                                  '2026-12-07 00:00+01', '2026-12-08 00:00+01', p_now => '2026-12-01 00:00+01')
           where reasons ->> 'preference_rank' is not null),
  array[1, 1], '#4 weight_preference = 1: one point, never less, for every rank');
update business_settings set weight_preference = 100;

-- 5. The session's time zone changes nothing: the horizon (30 days from 2026-02-27 10:00 local
-- ends 2026-03-29 10:00+02, after the switch) and the recent-booking window count local days.
create temporary table by_zone (zone text, team_member_id uuid, starts_at timestamptz, ends_at timestamptz);
create temporary table rank_by_zone (zone text, team_member_id uuid, score int, recent int);
insert into bookings (contact_id, service_id, team_member_id, starts_at, ends_at, created_at, source) values
  ('ce000000-0000-4000-8000-000000000001', '5e000000-0000-4000-8000-000000000001', '7e000000-0000-4000-8000-000000000002',
   '2026-03-23 08:00+01', '2026-03-23 09:00+01', '2026-03-22 08:30+00', 'import');
create function tests.capture_zone(p_zone text) returns void language plpgsql as $$
begin
  perform set_config('timezone', p_zone, true);
  insert into by_zone select p_zone, s.* from get_available_slots('5e000000-0000-4000-8000-000000000001', '2026-03-28 00:00+01',
    '2026-03-30 00:00+02', array['7e000000-0000-4000-8000-000000000002']::uuid[], '2026-02-27 10:00+01') s;
  insert into rank_by_zone select p_zone, r.team_member_id, r.score, (r.reasons ->> 'recent_bookings')::int
  from rank_team_members('ce000000-0000-4000-8000-000000000001', '5e000000-0000-4000-8000-000000000001',
                         '2026-04-06 00:00+02', '2026-04-07 00:00+02', p_now => '2026-04-05 10:00+02') r;
end
$$;
select tests.capture_zone('UTC');
select tests.capture_zone('America/Los_Angeles');
select tests.capture_zone('Europe/Zurich');
set local timezone = 'UTC';
select is((select max(starts_at) from by_zone where zone = 'Europe/Zurich'), '2026-03-29 07:45+00'::timestamptz,
  '#5 session zones: the 30-day horizon ends at 10:00 local on 2026-03-29 (last start 09:45+02)');
select is((select count(*)::int from (select team_member_id, starts_at, ends_at from by_zone where zone = 'UTC'
                                      except all select team_member_id, starts_at, ends_at from by_zone where zone = 'Europe/Zurich') d)
        + (select count(*)::int from (select team_member_id, starts_at, ends_at from by_zone where zone = 'Europe/Zurich'
                                      except all select team_member_id, starts_at, ends_at from by_zone where zone = 'UTC') d),
  0, '#5 session zones: UTC and Europe/Zurich sessions get the same slots');
select is((select count(*)::int from (select team_member_id, starts_at, ends_at from by_zone where zone = 'America/Los_Angeles'
                                      except all select team_member_id, starts_at, ends_at from by_zone where zone = 'Europe/Zurich') d)
        + (select count(*)::int from (select team_member_id, starts_at, ends_at from by_zone where zone = 'Europe/Zurich'
                                      except all select team_member_id, starts_at, ends_at from by_zone where zone = 'America/Los_Angeles') d),
  0, '#5 session zones: America/Los_Angeles and Europe/Zurich sessions get the same slots');
select is((select array_agg(distinct recent) from rank_by_zone where team_member_id = '7e000000-0000-4000-8000-000000000002'),
  array[0], '#5 session zones: the 14-day recent-booking window ends at 10:00 local 14 days back, in every session zone');

-- 6. A cache entry computed before a change committed is never taken for current (the race:
-- reader A stores an entry from its snapshot, B commits a busy time, A commits last). Replayed
-- here by writing back what A would leave; the real race runs in race/availability-race.test.ts.
select tests.utc_starts('5e000000-0000-4000-8000-000000000001', '7e000000-0000-4000-8000-000000000002', '2026-12-14', '2026-12-01 00:00+01');
create temporary table before_change as
  select * from availability_cache where team_member_id = '7e000000-0000-4000-8000-000000000002' and date = '2026-12-14';
insert into calendar_busy_times (team_member_id, starts_at, ends_at)
values ('7e000000-0000-4000-8000-000000000002', '2026-12-14 09:00+01', '2026-12-14 10:00+01');
update availability_cache c set time_slots = b.time_slots, cache_version = b.cache_version, last_synced = now()
from before_change b where c.id = b.id;
select ok(not private.cache_entry_is_current('7e000000-0000-4000-8000-000000000002', '5e000000-0000-4000-8000-000000000001', '2026-12-14'),
  '#6 stale cache: an entry computed before the busy time committed is not current');
select ok(not ('12-14 08:00' = any (tests.utc_starts('5e000000-0000-4000-8000-000000000001', '7e000000-0000-4000-8000-000000000002',
                                                      '2026-12-14', '2026-12-01 00:00+01'))),
  '#6 stale cache: the busy slot (09:00 local) is not offered');

-- 7. booking_options always answers with one outcome.
select results_eq(
  $$select outcome, kind, team_member_id, starts_at from booking_options('ce000000-0000-4000-8000-000000000001',
      '5e000000-0000-4000-8000-000000000001', '2026-12-01 00:00+01', '2026-12-02 00:00+01', 'explicit',
      '7e000000-0000-4000-8000-000000000001', '2026-11-30 12:00+01')$$,
  $$values ('explicit_unavailable', 'none', '7e000000-0000-4000-8000-000000000001'::uuid, null::timestamptz)$$,
  '#7 explicit mode: a member with no slot before the horizon gives one row "explicit_unavailable" / "none"');
select is((select count(distinct outcome)::int from booking_options('ce000000-0000-4000-8000-000000000001',
            '5e000000-0000-4000-8000-000000000001', '2026-12-01 00:00+01', '2026-12-02 00:00+01', 'auto', null, '2026-11-30 12:00+01')), 1,
  '#7 auto mode with the same inputs answers with exactly one outcome too');

-- Review #9: require_free_slot only reads; booking_options checks the caller before anything.
select is((select provolatile from pg_proc where oid = 'private.require_free_slot(uuid, uuid, timestamptz, timestamptz)'::regprocedure),
  's', 'require_free_slot is STABLE (it only reads)');
select tests.create_supabase_user('edge_stranger');
select tests.authenticate_as('edge_stranger');
select throws_ok($$select * from booking_options('ce000000-0000-4000-8000-0000000000ff', '5e000000-0000-4000-8000-000000000001',
                     '2026-12-01 00:00+01', '2026-12-02 00:00+01')$$,
  '42501', null, 'booking_options refuses an untrusted caller before looking up the contact (unknown contact)');
select throws_ok($$select * from booking_options('ce000000-0000-4000-8000-000000000001', '5e000000-0000-4000-8000-000000000001',
                     '2026-12-01 00:00+01', '2026-12-02 00:00+01')$$,
  '42501', null, 'booking_options refuses an untrusted caller the same way for a known contact');
select tests.clear_authentication();

-- Hostile "now": infinity is refused with a clear error (the time-input rule of issue #14, BK004;
-- an infinite window is refused by the same rule, 016-time-inputs).
select throws_ok($$select * from get_available_slots('5e000000-0000-4000-8000-000000000001', '2026-12-01 00:00+01',
                     '2026-12-02 00:00+01', null, 'infinity')$$, 'BK004',
  'invalid_request: now must be a time between the years 2000 and 2099 (got infinity)',
  'get_available_slots refuses an infinite now');
select lives_ok($$select * from get_available_slots('5e000000-0000-4000-8000-000000000001', '2026-11-01', '2027-12-01', null,
                    '2026-12-01 00:00+01')$$, 'the widest window allowed (400 days) is cut to the horizon');

-- The DST helpers
select is((select array_agg(s) from private.utc_offset_switches('Europe/Zurich', '2026-01-01', '2027-01-01') s),
  array['2026-03-29 01:00+00', '2026-10-25 01:00+00']::timestamptz[], 'the 2026 DST switches of Europe/Zurich, to the second');
select is((select count(*)::int from private.utc_offset_switches('Asia/Tokyo', '2026-01-01', '2027-01-01')), 0, 'Tokyo has none');
select is((select array_agg(s) from private.utc_offset_switches('Australia/Lord_Howe', '2026-01-01', '2027-01-01') s),
  array['2026-04-04 15:00+00', '2026-10-03 15:30+00']::timestamptz[], 'half-hour switches (Lord Howe) are found too');

select * from finish();
rollback;
