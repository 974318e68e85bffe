-- The cache agrees with a fresh computation on a randomised world; the nightly batch; who may ask.
begin;
select plan(12);

select setseed(0.42);
insert into services (id, name, duration_minutes, buffer_before_minutes, buffer_after_minutes, min_notice_minutes) values
  ('5b000000-0000-4000-8000-000000000001', 'Random 45', 45, 5, 10, 0);
insert into team_members (id, name, calendar_provider, calendar_source_url, calendar_last_synced)
select ('7b000000-0000-4000-8000-00000000000' || i)::uuid, 'Random member ' || i, 'ical', 'https://feeds.example/r' || i || '.ics',
       '2026-11-01 00:00+01'
from generate_series(1, 6) i;
insert into team_member_services (team_member_id, service_id, custom_duration_minutes)
select ('7b000000-0000-4000-8000-00000000000' || i)::uuid, '5b000000-0000-4000-8000-000000000001', case when i % 3 = 0 then 30 end
from generate_series(1, 6) i;

-- Random busy times and bookings over two weeks.
create function tests.random_instant() returns timestamptz language sql volatile as $$
  select '2026-12-07 07:00+01'::timestamptz + make_interval(mins => (floor(random() * 14 * 24 * 4) * 15)::int)
$$;
insert into calendar_busy_times (team_member_id, starts_at, ends_at)
select ('7b000000-0000-4000-8000-00000000000' || (1 + floor(random() * 6))::int)::uuid, t, t + make_interval(mins => (15 + floor(random() * 8) * 15)::int)
from (select tests.random_instant() as t from generate_series(1, 120)) x;

-- Warm the cache, then change the world through the normal paths.
select count(*) from get_available_slots('5b000000-0000-4000-8000-000000000001', '2026-12-07 00:00+01', '2026-12-21 00:00+01', null, '2026-12-01 00:00+01');
insert into bookings (contact_id, service_id, team_member_id, starts_at, ends_at)
select 'c0000000-0000-4000-8000-000000000004', '5b000000-0000-4000-8000-000000000001', s.team_member_id, s.starts_at, s.ends_at
from (select distinct on (g.team_member_id, date_trunc('day', g.starts_at)) g.*
      from get_available_slots('5b000000-0000-4000-8000-000000000001', '2026-12-07 00:00+01', '2026-12-21 00:00+01', null, '2026-12-01 00:00+01') g
      order by g.team_member_id, date_trunc('day', g.starts_at), random()) s
where random() < 0.5;
delete from calendar_busy_times where id in (select id from calendar_busy_times where random() < 0.3);
insert into calendar_busy_times (team_member_id, starts_at, ends_at)
select ('7b000000-0000-4000-8000-00000000000' || (1 + floor(random() * 6))::int)::uuid, t, t + interval '1 hour'
from (select tests.random_instant() as t from generate_series(1, 40)) x;
update team_members set working_hours = '{"mon": [{"start": "07:00", "end": "19:00"}], "wed": [{"start": "09:00", "end": "13:00"}]}'
where id = '7b000000-0000-4000-8000-000000000002';
insert into team_member_absences (team_member_id, starts_on, ends_on) values ('7b000000-0000-4000-8000-000000000005', '2026-12-10', '2026-12-12');

-- Fresh: the engine itself, with the read-time rules applied by hand.
create temporary table fresh as
  select c.team_member_id, c.starts_at, c.ends_at
  from private.compute_slots('5b000000-0000-4000-8000-000000000001',
         array(select ('7b000000-0000-4000-8000-00000000000' || i)::uuid from generate_series(1, 6) i), '2026-12-07', '2026-12-20') c
  where c.starts_at >= '2026-12-07 00:00+01' and c.starts_at < '2026-12-21 00:00+01';
create temporary table cached as
  select * from get_available_slots('5b000000-0000-4000-8000-000000000001', '2026-12-07 00:00+01', '2026-12-21 00:00+01',
                                    null, '2026-12-01 00:00+01')
  where team_member_id::text like '7b%';
select ok((select count(*) from fresh) > 500, 'the random world has plenty of slots to compare');
select is((select count(*)::int from (select * from fresh except select * from cached) d), 0, 'every fresh slot is offered from the cache');
select is((select count(*)::int from (select * from cached except select * from fresh) d), 0, 'the cache offers nothing a fresh computation does not');
select is((select count(*)::int from cached c join bookings b on b.team_member_id = c.team_member_id and b.status = 'confirmed'
           and b.blocked_during && tstzrange(c.starts_at - interval '5 minutes', c.ends_at + interval '10 minutes')), 0,
  'no offered slot overlaps a confirmed booking');
select is((select count(*)::int from cached c join calendar_busy_times b on b.team_member_id = c.team_member_id
           and b.during && tstzrange(c.starts_at - interval '5 minutes', c.ends_at + interval '10 minutes')), 0,
  'no offered slot overlaps a busy time');

-- The nightly batch
select is(refresh_availability_cache('2026-12-07', 30, array(select ('7b000000-0000-4000-8000-00000000000' || i)::uuid from generate_series(1, 6) i)),
  6 * 30, 'refresh_availability_cache writes one entry per member, service and day');
select ok((select bool_and(last_synced is not null) from availability_cache where team_member_id::text like '7b%'
           and date between '2026-12-07' and '2027-01-05'), 'and every entry is fresh afterwards');

select is(private.claim_daily_run('test-job', '02:00', '2026-12-07 01:59+01'), false, 'a daily job does not run before 02:00 local');
select is(private.claim_daily_run('test-job', '02:00', '2026-12-07 02:00+01'), true, 'it runs at the first tick from 02:00 local');
select is(private.claim_daily_run('test-job', '02:00', '2026-12-07 02:15+01'), false, 'and only once that local day');
create temporary table queued as select private.call_edge_function('cache-refresh', '{"days": 30}') as id;
select ok((select count(*) from net.http_request_queue q join queued using (id)
           where q.url like '%/functions/v1/cache-refresh' and q.headers ->> 'Authorization' like 'Bearer %') = 1,
  'call_edge_function queues a POST to cache-refresh with the service role key from Vault (the nightly sync ends with it)');

-- Who may ask
select tests.create_supabase_user('availability_stranger');
select tests.authenticate_as('availability_stranger');
select throws_ok($$select * from get_available_slots('5b000000-0000-4000-8000-000000000001', '2026-12-07', '2026-12-08')$$,
  '42501', 'only admins and the service role may do this', 'a plain authenticated user cannot read availability');
select tests.clear_authentication();

select * from finish();
rollback;
