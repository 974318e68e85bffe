-- Calendar sync bookkeeping in SQL: replacing busy times, failures with backoff and alerts, the
-- admin's test sync, schedules, and who may call what.
begin;
select plan(27);

create temporary table m as select '70000000-0000-4000-8000-000000000002'::uuid as id, '2026-12-01 12:00+01'::timestamptz as now;

-- Replacing busy times
insert into calendar_busy_times (team_member_id, starts_at, ends_at)
select id, '2026-11-20 10:00+01'::timestamptz, '2026-11-20 11:00+01'::timestamptz from m union all
select id, '2026-12-05 10:00+01', '2026-12-05 11:00+01' from m;
select is(replace_busy_times(id, '2026-11-30 00:00+01', '2026-12-31 00:00+01',
  '[{"starts_at": "2026-12-02T09:00:00+01:00", "ends_at": "2026-12-02T10:00:00+01:00", "uid": "a"},
    {"starts_at": "2026-12-03T09:00:00+01:00", "ends_at": "2026-12-03T10:00:00+01:00", "uid": "b", "recurrence_id": "x"},
    {"starts_at": "2027-02-01T09:00:00+01:00", "ends_at": "2027-02-01T10:00:00+01:00", "uid": "outside"}]', '"etag-1"', null, 2, 15, now), 2)
from m;
select is((select array_agg(coalesce(source_uid, '-') order by starts_at) from calendar_busy_times where team_member_id = (select id from m)),
  array['-', 'a', 'b'], 'the window''s busy times are replaced; older ones outside the window stay; nothing outside is added');
select results_eq($$select calendar_sync_status, calendar_last_synced, consecutive_failures from team_members where id = (select id from m)$$,
  $$select 'active'::text, now, 0 from m$$, 'a successful sync marks the calendar active and synced now');
select results_eq($$select etag, last_result, last_busy_times, last_skipped_components from calendar_sync_state where team_member_id = (select id from m)$$,
  $$values ('"etag-1"'::text, 'synced'::text, 2, 2)$$, 'the ETag and the outcome are kept for the next request');
select throws_ok($$select replace_busy_times(id, '2026-11-30', '2026-12-31', '[{"starts_at": "2026-12-02T10:00:00Z", "ends_at": "2026-12-02T09:00:00Z"}]') from m$$,
  'BK004', 'invalid_request: every busy interval needs a start before its end', 'an interval ending before it starts is refused');
select is((select count(*)::int from calendar_busy_times where team_member_id = (select id from m)), 3, 'and nothing was changed');
select throws_ok($$select replace_busy_times(id, '2026-12-31', '2026-11-30', '[]') from m$$, 'BK004', null, 'a backwards window is refused');

-- Failures: backoff 1 min, 5 min, 15 min, 1 h, then hourly; unbookable and an alert
update business_settings set sync_failures_before_unbookable = 2;
select is((select record_sync_failure(id, 'calendar address no longer valid (HTTP 404)', null, now) from m),
  '2026-12-01 12:01+01'::timestamptz, 'first retry after 1 minute');
select results_eq($$select calendar_sync_status, calendar_sync_error, is_bookable from team_members where id = (select id from m)$$,
  $$values ('error'::text, 'calendar address no longer valid (HTTP 404)'::text, true)$$,
  'below the threshold the member stays bookable, the error is recorded');
select is((select count(*)::int from admin_alerts where team_member_id = (select id from m)), 0, 'and no alert yet');
select is((select record_sync_failure(id, 'timeout', null, now) from m), '2026-12-01 12:05+01'::timestamptz, 'second retry after 5 minutes');
select is((select is_bookable from team_members where id = (select id from m)), false, 'at the threshold the member is unbookable');
select is((select count(*)::int from admin_alerts where team_member_id = (select id from m) and resolved_at is null), 1, 'and an admin alert is open');
select is((select record_sync_failure(id, 'timeout', null, now) from m), '2026-12-01 12:15+01'::timestamptz, 'third retry after 15 minutes');
select is((select record_sync_failure(id, 'timeout', null, now) from m), '2026-12-01 13:00+01'::timestamptz, 'then after an hour');
select is((select record_sync_failure(id, 'timeout', null, now) from m), '2026-12-01 13:00+01'::timestamptz, 'and hourly from then on');
select is((select count(*)::int from admin_alerts where team_member_id = (select id from m)), 1, 'one alert, however many failures');
select is((select calendar_busy_times_kept from (select count(*)::int as calendar_busy_times_kept from calendar_busy_times
           where team_member_id = (select id from m)) x), 3, 'failures never delete known busy times');
select mark_calendar_unchanged(id, 5, now) from m;
select results_eq($$select is_bookable, consecutive_failures, (select count(*)::int from admin_alerts a where a.team_member_id = m.id and a.resolved_at is null)
                   from team_members m where id = (select id from m)$$,
  $$values (true, 0, 0)$$, 'the next success (even "unchanged") makes them bookable and resolves the alert');

-- Secrets are scrubbed from stored errors even if a caller passed one in
select admin_set_calendar_secret(id, 'https://cal.example/private-0123456789abcdef/basic.ics?key=topsecretvalue') from m;
select record_sync_failure(id, 'failed to GET https://cal.example/private-0123456789abcdef/basic.ics?key=topsecretvalue', null, now) from m;
select ok((select calendar_sync_error not like '%0123456789abcdef%' and calendar_sync_error not like '%topsecretvalue%'
           from team_members where id = (select id from m)), 'a secret in an error message is scrubbed before it is stored');

-- Test sync, schedules, access
create temporary table queued as select admin_test_calendar_sync(id) as request_id from m;
select ok((select q.url like '%/functions/v1/calendar-sync' and convert_from(q.body, 'UTF8')::jsonb = jsonb_build_object('teamMemberId', (select id from m))
           from net.http_request_queue q join queued on q.id = queued.request_id), 'Test sync queues a sync of that team member');
-- The secret set above is a new calendar: bookable again once read in full (issue #14).
select replace_busy_times(id, now() - interval '1 day', now() + interval '30 days', '[]') from m;
-- The view counts from the real clock (a view takes no parameters): working every day and then
-- away every day of the coming week makes the answer independent of today's date.
update team_members set working_hours = (select jsonb_object_agg(d, '[{"start": "08:00", "end": "17:00"}]'::jsonb)
  from unnest(array['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']) d) where id = (select id from m);
-- The overview counts cached slots (as the nightly refresh leaves them): refresh them now.
select refresh_availability_cache(private.local_date(now()), 8, array[id]) from m;
select ok((select available_slots_next_7_days > 0 from calendar_sync_overview where id = (select id from m)),
  'the overview shows the free slots of the next 7 days');
insert into team_member_absences (team_member_id, starts_on, ends_on)
select id, private.local_date(now()), private.local_date(now()) + 8 from m;
select is((select available_slots_next_7_days from calendar_sync_overview where id = (select id from m)), 0,
  'and none while the team member is away all week');
select ok(exists (select 1 from cron.job where jobname = 'calendar-sync-due' and schedule = '* * * * *'), 'due calendars are checked every minute');
create temporary table nightly as select private.queue_nightly_sync_and_cache_refresh('2026-12-02 02:00+01') as request_id;
select ok((select convert_from(q.body, 'UTF8')::jsonb = '{"all": true, "refreshCacheAfter": true}' and q.url like '%/functions/v1/calendar-sync'
           from net.http_request_queue q join nightly on q.id = nightly.request_id),
  'at 02:00 business time the nightly job syncs every calendar, then refreshes the cache');
select is(private.queue_nightly_sync_and_cache_refresh('2026-12-02 02:15+01'), null, 'and runs once that night');
select tests.create_supabase_user('sync_stranger');
select tests.authenticate_as('sync_stranger');
select throws_ok($$select replace_busy_times((select id from m), '2026-11-30', '2026-12-31', '[]')$$, '42501', null,
  'only the service role may replace busy times');
select tests.clear_authentication();

select * from finish();
rollback;
