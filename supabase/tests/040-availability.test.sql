-- Availability engine and cache, with a fixed "now".
begin;
select plan(46);

-- A small world of its own: four team members and three services.
insert into services (id, name, duration_minutes, buffer_before_minutes, buffer_after_minutes, min_notice_minutes) values
  ('5a000000-0000-4000-8000-000000000001', 'Plain hour', 60, 0, 0, 0),
  ('5a000000-0000-4000-8000-000000000002', 'Buffered hour', 60, 15, 15, 0),
  ('5a000000-0000-4000-8000-000000000003', 'Needs notice', 60, 0, 0, 120);
insert into team_members (id, name, calendar_provider, calendar_source_url, working_hours) values
  ('7a000000-0000-4000-8000-00000000000a', 'Avail A', 'ical', 'https://feeds.example/a.ics',
   '{"mon": [{"start": "08:00", "end": "12:00"}, {"start": "13:00", "end": "17:00"}],
     "tue": [{"start": "08:00", "end": "12:00"}, {"start": "13:00", "end": "17:00"}],
     "wed": [{"start": "08:00", "end": "12:00"}, {"start": "13:00", "end": "17:00"}],
     "sun": [{"start": "08:00", "end": "17:00"}]}'),
  ('7a000000-0000-4000-8000-00000000000b', 'Avail B', 'ical', 'https://feeds.example/b.ics', null),
  ('7a000000-0000-4000-8000-00000000000c', 'Avail C inactive', 'ical', 'https://feeds.example/c.ics', null),
  ('7a000000-0000-4000-8000-00000000000d', 'Avail D other service', 'ical', 'https://feeds.example/d.ics', null),
  ('7a000000-0000-4000-8000-00000000000e', 'Avail E night', 'ical', 'https://feeds.example/e.ics',
   '{"sun": [{"start": "00:00", "end": "06:00"}]}');
insert into team_member_services (team_member_id, service_id, custom_duration_minutes) values
  ('7a000000-0000-4000-8000-00000000000a', '5a000000-0000-4000-8000-000000000001', null),
  ('7a000000-0000-4000-8000-00000000000a', '5a000000-0000-4000-8000-000000000002', null),
  ('7a000000-0000-4000-8000-00000000000a', '5a000000-0000-4000-8000-000000000003', null),
  ('7a000000-0000-4000-8000-00000000000b', '5a000000-0000-4000-8000-000000000001', 30),
  ('7a000000-0000-4000-8000-00000000000c', '5a000000-0000-4000-8000-000000000001', null),
  ('7a000000-0000-4000-8000-00000000000d', '5a000000-0000-4000-8000-000000000002', null),
  ('7a000000-0000-4000-8000-00000000000e', '5a000000-0000-4000-8000-000000000001', null);
update team_members set is_active = false where name = 'Avail C inactive';
-- Bookable only once their calendars were read (issue #14): as if synced, with no busy times.
update team_members set calendar_last_synced = '2026-11-01 00:00+01' where id::text like '7a000000-%';

-- Local start times ('HH24:MI') of one member on one local day.
create function tests.local_starts(p_service uuid, p_member uuid, p_day date, p_now timestamptz default '2026-12-01 00:00+01')
returns text[] language sql as $$
  select coalesce(array_agg(to_char(s.starts_at at time zone 'Europe/Zurich', 'HH24:MI') order by s.starts_at), '{}')
  from get_available_slots(p_service, p_day::timestamp at time zone 'Europe/Zurich',
                           (p_day + 1)::timestamp at time zone 'Europe/Zurich', array[p_member], p_now) s
$$;
create function tests.hours(p_from text, p_to text, p_step int default 15) returns text[] language sql as $$
  select array_agg(to_char(t, 'HH24:MI') order by t)
  from generate_series(('2000-01-01 ' || p_from)::timestamp, ('2000-01-01 ' || p_to)::timestamp, make_interval(mins => p_step)) t
$$;

-- Working hours with a lunch break (Monday 2026-12-07)
select is(tests.local_starts('5a000000-0000-4000-8000-000000000001', '7a000000-0000-4000-8000-00000000000a', '2026-12-07'),
  tests.hours('08:00', '11:00') || tests.hours('13:00', '16:00'),
  'a 60-minute service fits 08:00-11:00 and 13:00-16:00 around the lunch break');
select is((select count(*)::int from get_available_slots('5a000000-0000-4000-8000-000000000001', '2026-12-07 00:00+01', '2026-12-08 00:00+01',
            array['7a000000-0000-4000-8000-00000000000a']::uuid[], '2026-12-01 00:00+01') where ends_at - starts_at <> interval '60 minutes'),
  0, 'every slot lasts the service duration');
select is(tests.local_starts('5a000000-0000-4000-8000-000000000001', '7a000000-0000-4000-8000-00000000000b', '2026-12-07'),
  tests.hours('08:00', '11:30') || tests.hours('13:00', '16:30'),
  'the business default hours apply to a member without their own, and a custom duration (30 min) is used');
select is((select max(ends_at - starts_at) from get_available_slots('5a000000-0000-4000-8000-000000000001', '2026-12-07 00:00+01',
            '2026-12-08 00:00+01', array['7a000000-0000-4000-8000-00000000000b']::uuid[], '2026-12-01 00:00+01')),
  interval '30 minutes', 'a custom duration sets the slot length');

-- Buffers: 15 before and 15 after must also fit inside working hours
select is(tests.local_starts('5a000000-0000-4000-8000-000000000002', '7a000000-0000-4000-8000-00000000000a', '2026-12-07'),
  tests.hours('08:15', '10:45') || tests.hours('13:15', '15:45'), 'buffers keep the widened interval inside working hours');

-- Min notice: 120 minutes from 09:00 local
select is((tests.local_starts('5a000000-0000-4000-8000-000000000003', '7a000000-0000-4000-8000-00000000000a', '2026-12-07',
                               '2026-12-07 09:00+01'))[1], '11:00', 'min notice: the first slot is two hours after now');
select is(tests.local_starts('5a000000-0000-4000-8000-000000000001', '7a000000-0000-4000-8000-00000000000a', '2026-12-07',
                              '2026-12-07 18:00+01'), '{}'::text[], 'no slot in the past');
select is(tests.local_starts('5a000000-0000-4000-8000-000000000001', '7a000000-0000-4000-8000-00000000000a', '2027-01-11'),
  '{}'::text[], 'nothing beyond the 30-day horizon');

-- Busy time that touches a slot does not block it; one that overlaps does
insert into calendar_busy_times (team_member_id, starts_at, ends_at)
values ('7a000000-0000-4000-8000-00000000000a', '2026-12-08 09:00+01', '2026-12-08 10:00+01');
select is(tests.local_starts('5a000000-0000-4000-8000-000000000001', '7a000000-0000-4000-8000-00000000000a', '2026-12-08'),
  array['08:00'] || tests.hours('10:00', '11:00') || tests.hours('13:00', '16:00'),
  'busy 09:00-10:00: 08:00 (ends at 09:00) and 10:00 stay free, 08:15-09:45 do not');
select is(tests.local_starts('5a000000-0000-4000-8000-000000000002', '7a000000-0000-4000-8000-00000000000a', '2026-12-08'),
  tests.hours('10:15', '10:45') || tests.hours('13:15', '15:45'), 'buffers count against busy time too');

-- Absence and closure
insert into team_member_absences (team_member_id, starts_on, ends_on) values ('7a000000-0000-4000-8000-00000000000a', '2026-12-09', '2026-12-09');
select is(tests.local_starts('5a000000-0000-4000-8000-000000000001', '7a000000-0000-4000-8000-00000000000a', '2026-12-09'),
  '{}'::text[], 'no slots on a day of absence');
select isnt(tests.local_starts('5a000000-0000-4000-8000-000000000001', '7a000000-0000-4000-8000-00000000000b', '2026-12-09'),
  '{}'::text[], 'another member is unaffected by the absence');
insert into business_closures (starts_on, ends_on, reason) values ('2026-12-10', '2026-12-11', 'Staff outing');
select is((select count(*)::int from get_available_slots('5a000000-0000-4000-8000-000000000001', '2026-12-10 00:00+01', '2026-12-12 00:00+01',
            null, '2026-12-01 00:00+01')), 0, 'nobody has slots while the business is closed');

-- Held bookings: a live hold blocks, an expired one does not
insert into bookings (contact_id, service_id, team_member_id, starts_at, ends_at, status, hold_expires_at) values
  ('c0000000-0000-4000-8000-000000000004', '5a000000-0000-4000-8000-000000000001', '7a000000-0000-4000-8000-00000000000a',
   '2026-12-07 14:00+01', '2026-12-07 15:00+01', 'held', '2026-12-01 00:10+01');
select ok(not ('14:00' = any (tests.local_starts('5a000000-0000-4000-8000-000000000001', '7a000000-0000-4000-8000-00000000000a',
                                                 '2026-12-07', '2026-12-01 00:00+01'))), 'a live hold blocks its slot');
select ok('14:00' = any (tests.local_starts('5a000000-0000-4000-8000-000000000001', '7a000000-0000-4000-8000-00000000000a',
                                            '2026-12-07', '2026-12-01 00:11+01')), 'an expired hold frees its slot at once');

-- Who is offered
select is((select count(*)::int from get_available_slots('5a000000-0000-4000-8000-000000000001', '2026-12-07 00:00+01', '2026-12-08 00:00+01',
            array['7a000000-0000-4000-8000-00000000000c']::uuid[], '2026-12-01 00:00+01')), 0, 'an inactive member is never offered');
select is((select count(*)::int from get_available_slots('5a000000-0000-4000-8000-000000000001', '2026-12-07 00:00+01', '2026-12-08 00:00+01',
            array['7a000000-0000-4000-8000-00000000000d']::uuid[], '2026-12-01 00:00+01')), 0,
  'a member who does not offer the service is never offered');
select is((select array_agg(distinct team_member_id order by team_member_id) from get_available_slots('5a000000-0000-4000-8000-000000000001',
            '2026-12-07 00:00+01', '2026-12-08 00:00+01', null, '2026-12-01 00:00+01')),
  array['7a000000-0000-4000-8000-00000000000a', '7a000000-0000-4000-8000-00000000000b']::uuid[],
  'without a filter, every active bookable provider of the service is considered');
select ok((select bool_and(a.starts_at < b.starts_at or (a.starts_at = b.starts_at and a.team_member_id < b.team_member_id))
           from (select *, row_number() over () as n from get_available_slots('5a000000-0000-4000-8000-000000000001', '2026-12-07 00:00+01',
                   '2026-12-08 00:00+01', null, '2026-12-01 00:00+01')) a
           join (select *, row_number() over () as n from get_available_slots('5a000000-0000-4000-8000-000000000001', '2026-12-07 00:00+01',
                   '2026-12-08 00:00+01', null, '2026-12-01 00:00+01')) b on b.n = a.n + 1),
  'slots are ordered by start, then team member');

-- DST: local working hours stay local, no slot duplicated, skipped or shifted
select is(tests.local_starts('5a000000-0000-4000-8000-000000000001', '7a000000-0000-4000-8000-00000000000a', '2026-03-29', '2026-03-20 00:00+01'),
  tests.hours('08:00', '16:00'), 'spring-forward day (2026-03-29): 08:00-16:00 local, every 15 minutes');
select is(tests.local_starts('5a000000-0000-4000-8000-000000000001', '7a000000-0000-4000-8000-00000000000a', '2026-10-25', '2026-10-20 00:00+02'),
  tests.hours('08:00', '16:00'), 'fall-back day (2026-10-25): 08:00-16:00 local, every 15 minutes');
select is((select min(starts_at) from get_available_slots('5a000000-0000-4000-8000-000000000001', '2026-03-29 00:00+01', '2026-03-30 00:00+02',
            array['7a000000-0000-4000-8000-00000000000a']::uuid[], '2026-03-20 00:00+01')), '2026-03-29 06:00+00'::timestamptz,
  'after spring-forward 08:00 local is 06:00 UTC');
select is((select min(starts_at) from get_available_slots('5a000000-0000-4000-8000-000000000001', '2026-10-25 00:00+02', '2026-10-26 00:00+01',
            array['7a000000-0000-4000-8000-00000000000a']::uuid[], '2026-10-20 00:00+02')), '2026-10-25 07:00+00'::timestamptz,
  'after fall-back 08:00 local is 07:00 UTC');
select is((select count(*)::int from unnest(tests.local_starts('5a000000-0000-4000-8000-000000000001', '7a000000-0000-4000-8000-00000000000e',
                                                               '2026-03-29', '2026-03-20 00:00+01')) t where t between '02:00' and '02:59'),
  0, 'a night shift on spring-forward day offers no local time that does not exist (02:00-02:59)');
select is((select count(*) - count(distinct t) from unnest(tests.local_starts('5a000000-0000-4000-8000-000000000001',
            '7a000000-0000-4000-8000-00000000000e', '2026-10-25', '2026-10-20 00:00+02')) t)::int,
  0, 'a night shift on fall-back day offers each local time once');
select is((select count(*)::int from get_available_slots('5a000000-0000-4000-8000-000000000001', '2026-10-25 00:00+02', '2026-10-26 00:00+01',
            array['7a000000-0000-4000-8000-00000000000e']::uuid[], '2026-10-20 00:00+02') where ends_at - starts_at <> interval '1 hour'),
  0, 'slots crossing the fall-back hour still last exactly the service duration');

-- The cache: filled on read, invalidated by every change that matters, in the same transaction
select ok((select bool_and(last_synced is not null) from availability_cache where team_member_id = '7a000000-0000-4000-8000-00000000000a'
           and service_id = '5a000000-0000-4000-8000-000000000001' and date = '2026-12-07'), 'reading availability fills the cache');

-- Fresh = current: no change since it was computed (version counters) and younger than the max age.
create function tests.cache_fresh(p_member uuid, p_day date) returns boolean language sql as $$
  select coalesce(bool_and(private.cache_entry_is_current(team_member_id, service_id, date)), false)
  from availability_cache where team_member_id = p_member and date = p_day
$$;
select tests.local_starts('5a000000-0000-4000-8000-000000000001', '7a000000-0000-4000-8000-00000000000a', d::date)
from generate_series('2026-12-07'::date, '2026-12-14'::date, interval '1 day') d;
insert into bookings (contact_id, service_id, team_member_id, starts_at, ends_at) values
  ('c0000000-0000-4000-8000-000000000004', '5a000000-0000-4000-8000-000000000001', '7a000000-0000-4000-8000-00000000000a',
   '2026-12-07 10:00+01', '2026-12-07 11:00+01');
select ok(not tests.cache_fresh('7a000000-0000-4000-8000-00000000000a', '2026-12-07'), 'a confirmed booking invalidates its day');
select ok(tests.cache_fresh('7a000000-0000-4000-8000-00000000000a', '2026-12-14'), 'other days stay cached');
select ok(not ('10:00' = any (tests.local_starts('5a000000-0000-4000-8000-000000000001', '7a000000-0000-4000-8000-00000000000a', '2026-12-07'))),
  'the booked slot is gone');
update bookings set status = 'cancelled' where starts_at = '2026-12-07 10:00+01' and team_member_id = '7a000000-0000-4000-8000-00000000000a';
select ok(not tests.cache_fresh('7a000000-0000-4000-8000-00000000000a', '2026-12-07'), 'cancelling invalidates its day');
select ok('10:00' = any (tests.local_starts('5a000000-0000-4000-8000-000000000001', '7a000000-0000-4000-8000-00000000000a', '2026-12-07')),
  'a cancelled booking frees its slot');
update bookings set status = 'confirmed', starts_at = '2026-12-14 10:00+01', ends_at = '2026-12-14 11:00+01'
where starts_at = '2026-12-07 10:00+01' and team_member_id = '7a000000-0000-4000-8000-00000000000a';
select ok(not tests.cache_fresh('7a000000-0000-4000-8000-00000000000a', '2026-12-14'), 'moving a booking invalidates the new day');

select tests.local_starts('5a000000-0000-4000-8000-000000000001', '7a000000-0000-4000-8000-00000000000a', '2026-12-07');
delete from calendar_busy_times where team_member_id = '7a000000-0000-4000-8000-00000000000a';
insert into calendar_busy_times (team_member_id, starts_at, ends_at)
values ('7a000000-0000-4000-8000-00000000000a', '2026-12-07 08:00+01', '2026-12-07 09:00+01');
select ok(not tests.cache_fresh('7a000000-0000-4000-8000-00000000000a', '2026-12-07'), 'replacing busy times (a sync) invalidates their days');
select is((tests.local_starts('5a000000-0000-4000-8000-000000000001', '7a000000-0000-4000-8000-00000000000a', '2026-12-07'))[1], '09:00',
  'and the new busy time is respected');

select tests.local_starts('5a000000-0000-4000-8000-000000000001', '7a000000-0000-4000-8000-00000000000a', '2026-12-07');
update team_members set working_hours = '{"mon": [{"start": "10:00", "end": "12:00"}]}' where id = '7a000000-0000-4000-8000-00000000000a';
select ok(not tests.cache_fresh('7a000000-0000-4000-8000-00000000000a', '2026-12-07'), 'changing working hours invalidates');
select is(tests.local_starts('5a000000-0000-4000-8000-000000000001', '7a000000-0000-4000-8000-00000000000a', '2026-12-07'),
  tests.hours('10:00', '11:00'), 'and the new hours are used');

select tests.local_starts('5a000000-0000-4000-8000-000000000001', '7a000000-0000-4000-8000-00000000000b', '2026-12-15');
insert into team_member_absences (team_member_id, starts_on, ends_on) values ('7a000000-0000-4000-8000-00000000000b', '2026-12-15', '2026-12-15');
select ok(not tests.cache_fresh('7a000000-0000-4000-8000-00000000000b', '2026-12-15'), 'an absence invalidates its days');

select tests.local_starts('5a000000-0000-4000-8000-000000000001', '7a000000-0000-4000-8000-00000000000b', '2026-12-16');
insert into business_closures (starts_on, ends_on) values ('2026-12-16', '2026-12-16');
select ok(not tests.cache_fresh('7a000000-0000-4000-8000-00000000000b', '2026-12-16'), 'a closure invalidates its days for everyone');

select tests.local_starts('5a000000-0000-4000-8000-000000000001', '7a000000-0000-4000-8000-00000000000b', '2026-12-17');
update team_member_services set custom_duration_minutes = 45
where team_member_id = '7a000000-0000-4000-8000-00000000000b' and service_id = '5a000000-0000-4000-8000-000000000001';
select ok(not tests.cache_fresh('7a000000-0000-4000-8000-00000000000b', '2026-12-17'), 'changing a service link invalidates');
select is((select max(ends_at - starts_at) from get_available_slots('5a000000-0000-4000-8000-000000000001', '2026-12-17 00:00+01',
            '2026-12-18 00:00+01', array['7a000000-0000-4000-8000-00000000000b']::uuid[], '2026-12-01 00:00+01')),
  interval '45 minutes', 'and the new duration is used');

-- A confirmed booking is never offered, even if the cache were not invalidated
select tests.local_starts('5a000000-0000-4000-8000-000000000001', '7a000000-0000-4000-8000-00000000000b', '2026-12-18');
alter table bookings disable trigger bookings_invalidate_cache;
insert into bookings (contact_id, service_id, team_member_id, starts_at, ends_at) values
  ('c0000000-0000-4000-8000-000000000004', '5a000000-0000-4000-8000-000000000001', '7a000000-0000-4000-8000-00000000000b',
   '2026-12-18 09:00+01', '2026-12-18 09:45+01');
alter table bookings enable trigger bookings_invalidate_cache;
select ok(tests.cache_fresh('7a000000-0000-4000-8000-00000000000b', '2026-12-18'), 'the cache entry is (deliberately) stale but fresh-looking');
select ok(not ('09:00' = any (tests.local_starts('5a000000-0000-4000-8000-000000000001', '7a000000-0000-4000-8000-00000000000b', '2026-12-18'))),
  'a slot a confirmed booking covers is still never returned');

-- get_availability: the guide's shape, from the cache while fresh, recomputed when older than 15 minutes
select is((get_availability('7a000000-0000-4000-8000-00000000000b', '5a000000-0000-4000-8000-000000000001', '2026-12-21', '2026-12-01 00:00+01')->0)
            - 'starts_at' - 'ends_at',
  '{"start": "08:00", "end": "08:45", "available": true}'::jsonb, 'get_availability returns the guide''s time_slots shape');
update availability_cache set time_slots = '[{"start": "06:00", "end": "06:45", "available": true, "at": 1797829200, "minutes": 45}]'
where team_member_id = '7a000000-0000-4000-8000-00000000000b' and service_id = '5a000000-0000-4000-8000-000000000001' and date = '2026-12-21';
select is(get_availability('7a000000-0000-4000-8000-00000000000b', '5a000000-0000-4000-8000-000000000001', '2026-12-21', '2026-12-01 00:00+01')->0->>'start',
  '06:00', 'a fresh cache entry is served as it is');
update availability_cache set last_synced = now() - interval '16 minutes'
where team_member_id = '7a000000-0000-4000-8000-00000000000b' and service_id = '5a000000-0000-4000-8000-000000000001' and date = '2026-12-21';
select is(get_availability('7a000000-0000-4000-8000-00000000000b', '5a000000-0000-4000-8000-000000000001', '2026-12-21', '2026-12-01 00:00+01')->0->>'start',
  '08:00', 'an entry older than the cache max age is recomputed');

select * from finish();
rollback;
