-- Calendar robustness in SQL (issue #14): credentials bound to their address when stored, sync
-- state reset when the calendar changes, claims so runs never read one calendar twice, and
-- write-backs that stop and alert instead of retrying forever.
begin;
select plan(25);

create temporary table m as select '70000000-0000-4000-8000-000000000001'::uuid as id, '2026-12-01 12:00+01'::timestamptz as now;

-- Item 6: CalDAV credentials get the address they are stored for.
update team_members set calendar_provider = 'caldav', calendar_source_url = 'https://dav.example/calendars/weber/work/' where id = (select id from m);
select admin_set_calendar_secret(id, '{"username": "weber", "password": "pw-0123456789"}') from m;
select is((select private.calendar_secret(id)::jsonb ->> 'url' from m), 'https://dav.example/calendars/weber/work/',
  'a CalDAV secret without "url" is stored with the current collection address');
select admin_set_calendar_secret(id, '{"url": "https://other.example/cal/", "username": "weber", "password": "pw-0123456789"}') from m;
select is((select private.calendar_secret(id)::jsonb ->> 'url' from m), 'https://other.example/cal/', 'a secret with its own "url" keeps it');
update team_members set calendar_source_url = null where id = (select id from m);
select throws_like($$select admin_set_calendar_secret(id, '{"username": "weber", "password": "pw-0123456789"}') from m$$,
  '%names no "url"%', 'credentials without any address to bind them to are refused');
select throws_like($$select admin_set_calendar_secret(id, '{"username": "weber", "password": "pw-secret-in-bad-json"') from m$$,
  '%not valid JSON%', 'broken JSON is refused');

-- Item 11: a changed calendar is read from scratch.
update team_members set calendar_provider = 'ical', calendar_source_url = 'https://feeds.example/a.ics' where id = (select id from m);
select replace_busy_times(id, '2026-11-30', '2026-12-31', '[]', '"etag-a"', 'Mon, 30 Nov 2026 10:00:00 GMT', 0, 5, now) from m;
update team_members set calendar_source_url = 'https://feeds.example/b.ics' where id = (select id from m);
select results_eq($$select etag, last_modified from calendar_sync_state where team_member_id = (select id from m)$$,
  $$values (null::text, null::text)$$, 'a new calendar_source_url forgets the old ETag and Last-Modified');
select results_eq($$select calendar_sync_status, calendar_last_synced from team_members where id = (select id from m)$$,
  $$values ('pending'::text, null::timestamptz)$$, 'and the member is pending again');
select replace_busy_times(id, '2026-11-30', '2026-12-31', '[]', '"etag-b"', null, 0, 5, now) from m;
select admin_set_calendar_secret(id, 'https://feeds.example/private-0123456789abcdef/c.ics') from m;
select is((select etag from calendar_sync_state where team_member_id = (select id from m)), null,
  'a new (or rotated) secret forgets them too');
select is((select is_bookable from team_members where id = (select id from m)), false,
  'a calendar not yet read in full is not bookable');
select throws_ok($$select mark_calendar_unchanged(id, 5, now) from m$$, 'BK004', null,
  'a calendar never read in full cannot be "unchanged" (a 304 to a first request)');

-- Item 13: claims.
update team_members set next_sync_at = '2099-01-01' where id <> (select id from m);
update team_members set next_sync_at = null where id = (select id from m);
select is((select calendar_syncs_waiting(now) from m), true, 'a due calendar nobody syncs is waiting for a run');
select is((select count(*)::int from m, claim_calendar_syncs(m.id, false, 20, interval '10 minutes', m.now) c), 1, 'a run claims the calendar');
select is((select count(*)::int from m, claim_calendar_syncs(m.id, false, 20, interval '10 minutes', m.now + interval '1 minute') c), 0,
  'another run does not get it while the claim lasts');
select ok(not exists (select 1 from claim_calendar_syncs(null, true, 100, interval '10 minutes', (select now + interval '1 minute' from m))
                      where team_member_id = (select id from m)), 'nor through the due list');
select is((select calendar_syncs_waiting(now + interval '1 minute') from m), false, 'a claimed calendar is not waiting');
select is((select private.queue_due_calendar_syncs(now + interval '1 minute') from m), null,
  'so the every-minute job starts no second run for it');
select is((select count(*)::int from m, claim_calendar_syncs(m.id, false, 20, interval '10 minutes', m.now + interval '11 minutes') c), 1,
  'a claim of a run that died runs out');
select replace_busy_times(id, '2026-11-30', '2026-12-31', '[]', null, null, 0, 5, now + interval '12 minutes') from m;
select is((select claimed_until from calendar_sync_state where team_member_id = (select id from m)), null, 'finishing releases the claim');
select throws_ok($$select * from claim_calendar_syncs(null, true, 100000)$$, 'BK004', null, 'a run claims at most 100 calendars');

-- Item 10: write-backs are queued for the event's own address and give up with an alert.
update team_members set calendar_provider = 'caldav', calendar_source_url = 'https://dav.example/calendars/weber/work/' where id = (select id from m);
select replace_busy_times(id, '2026-11-30', '2026-12-31', '[]', p_now => now) from m;
create temporary table b as
  select book_appointment('c0000000-0000-4000-8000-000000000001', '50000000-0000-4000-8000-000000000001', id,
    '2026-12-08 10:00+01', 'preference', p_now => now) as id from m;
select cancel_booking((select id from b), '2026-12-01 12:01+01');
select results_eq($$select action from calendar_writeback_queue where booking_id = (select id from b) order by id$$,
  array['upsert', 'delete'], 'a cancellation queues a delete even though no event address was recorded');
select results_eq($$select action from claim_calendar_writebacks(10, '2026-12-01 12:02+01')$$, array['upsert'],
  'one item per booking at a time: the delete waits for the write before it');
do $$
begin
  for i in 1..7 loop
    perform fail_calendar_writeback(q.id, 'CalDAV server error (HTTP 503)', '2026-12-01 12:02+01')
    from calendar_writeback_queue q where q.booking_id = (select id from b) and q.action = 'upsert';
    update calendar_writeback_queue set attempts = attempts + 1 where booking_id = (select id from b) and action = 'upsert';
  end loop;
end
$$;
select is((select count(*)::int from admin_alerts where team_member_id = (select id from m) and kind = 'calendar_writeback_failing'), 0,
  'no alert while retries remain');
select fail_calendar_writeback(q.id, 'CalDAV server error (HTTP 503)', '2026-12-01 12:03+01')
from calendar_writeback_queue q where q.booking_id = (select id from b) and q.action = 'upsert';
select ok((select gave_up_at is not null from calendar_writeback_queue where booking_id = (select id from b) and action = 'upsert'),
  'after 8 attempts the write-back stops');
select ok((select message like '%could not be written to the calendar%HTTP 503%' from admin_alerts
           where team_member_id = (select id from m) and kind = 'calendar_writeback_failing' and resolved_at is null),
  'and an admin alert says which booking and why');
select is((select count(*)::int from claim_calendar_writebacks(10, '2026-12-02 12:00+01')), 0, 'a stopped write-back is not retried');
update calendar_writeback_queue set gave_up_at = null, next_attempt_at = '2026-12-02 12:00+01' where booking_id = (select id from b) and action = 'upsert';
select complete_calendar_writeback(queue_id, null) from claim_calendar_writebacks(10, '2026-12-02 12:00+01');
select is((select count(*)::int from admin_alerts where team_member_id = (select id from m) and kind = 'calendar_writeback_failing'
           and resolved_at is null), 0, 'a retry that succeeds resolves the alert');

select * from finish();
rollback;
