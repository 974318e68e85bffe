-- Write-back retries (README: "Failed writes are retried with backoff"): a failed write waits
-- 1, 5, 15 minutes, then hourly; the every-minute job wakes calendar-sync only when one is due;
-- stored errors never contain the calendar's credentials.
begin;
select plan(14);

update team_members set calendar_provider = 'caldav', calendar_source_url = 'https://dav.example/calendars/weber/work/'
where id = '70000000-0000-4000-8000-000000000001';
select admin_set_calendar_secret('70000000-0000-4000-8000-000000000001', '{"username": "weber", "password": "correct-horse-staple"}');
-- A new calendar is bookable once read in full (issue #14): its first sync, with no busy times.
select replace_busy_times('70000000-0000-4000-8000-000000000001', '2026-11-30', '2026-12-31', '[]', p_now => '2026-12-01 11:00+01');
create temporary table b as
  select book_appointment('c0000000-0000-4000-8000-000000000001', '50000000-0000-4000-8000-000000000001',
    '70000000-0000-4000-8000-000000000001', '2026-12-08 10:00+01', 'preference', p_now => '2026-12-01 12:00+01') as id;

-- One attempt at p_now: claim the write and fail it. Returns when it is due again.
create function tests.fail_write(p_now timestamptz, p_error text) returns timestamptz language sql as $$
  select fail_calendar_writeback(queue_id, p_error, p_now) from claim_calendar_writebacks(10, p_now);
  select next_attempt_at from calendar_writeback_queue where booking_id = (select id from b);
$$;
create function tests.write_back_wakeups() returns int language sql as $$
  select count(*)::int from net.http_request_queue
  where url like '%/functions/v1/calendar-sync' and convert_from(body, 'UTF8')::jsonb = '{"writeBack": true}'
$$;

select is(tests.fail_write('2026-12-01 12:00+01', 'CalDAV server error (HTTP 503)'), '2026-12-01 12:01+01'::timestamptz,
  'a failed write is retried after 1 minute');
select is((select count(*)::int from claim_calendar_writebacks(10, '2026-12-01 12:00:59+01')), 0, 'and not before');
create temporary table wakeups as select tests.write_back_wakeups() as before;
select private.queue_due_calendar_syncs('2026-12-01 12:00:30+01');
select is(tests.write_back_wakeups(), (select before from wakeups), 'the every-minute job does not wake calendar-sync for a write not yet due');
select private.queue_due_calendar_syncs('2026-12-01 12:01+01');
select is(tests.write_back_wakeups(), (select before + 1 from wakeups), 'and wakes it once the write is due');
select is(tests.fail_write('2026-12-01 12:01+01', 'timeout'), '2026-12-01 12:06+01'::timestamptz, 'second retry after 5 minutes');
select is(tests.fail_write('2026-12-01 12:06+01', 'timeout'), '2026-12-01 12:21+01'::timestamptz, 'third after 15 minutes');
select is(tests.fail_write('2026-12-01 12:21+01', 'timeout'), '2026-12-01 13:21+01'::timestamptz, 'then after an hour');
select is(tests.fail_write('2026-12-01 13:21+01', 'could not log in as weber with correct-horse-staple'),
  '2026-12-01 14:21+01'::timestamptz, 'and hourly from then on');
select ok((select last_error not like '%correct-horse-staple%' and attempts = 5 from calendar_writeback_queue
           where booking_id = (select id from b)), 'the stored error never contains the password');
select refresh_availability_cache('2026-12-08', 1, array['70000000-0000-4000-8000-000000000001'::uuid]);
select complete_calendar_writeback(queue_id, 'https://dav.example/calendars/weber/work/booking-1.ics')
from claim_calendar_writebacks(10, '2026-12-01 14:21+01');
select is((select count(*)::int from calendar_writeback_queue where booking_id = (select id from b)), 0,
  'a write that finally succeeds leaves the queue');
select is((select external_event_id from bookings where id = (select id from b)),
  'https://dav.example/calendars/weber/work/booking-1.ics', 'and the booking knows its event');
select ok((select bool_and(last_synced is not null) from availability_cache
           where team_member_id = '70000000-0000-4000-8000-000000000001' and date = '2026-12-08'),
  'storing the event address leaves the availability cache valid (the booked time did not change)');

-- Wake-ups: one pg_net request per transaction, however many bookings it writes.
delete from wakeups;
insert into wakeups select tests.write_back_wakeups();
select book_appointment('c0000000-0000-4000-8000-000000000002', '50000000-0000-4000-8000-000000000001',
  '70000000-0000-4000-8000-000000000001', t, 'auto', p_now => '2026-12-01 12:00+01')
from (values ('2026-12-09 08:00+01'::timestamptz), ('2026-12-09 10:00+01'), ('2026-12-09 14:00+01')) v(t);
select is((select count(*)::int from calendar_writeback_queue q join bookings k on k.id = q.booking_id
           where k.starts_at::date = '2026-12-09'), 3, 'three bookings, three queued writes');
select is(tests.write_back_wakeups(), (select before from wakeups),
  'and no further wake-up: the one this transaction already sent covers them');

select * from finish();
rollback;
