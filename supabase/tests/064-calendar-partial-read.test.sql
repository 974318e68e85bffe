-- A calendar feed read only in part never deletes busy time it could not read (issue #13, fail
-- closed): replace_busy_times keeps the stored busy times of unread UIDs (p_keep_uids), or of
-- every UID not read again when an unreadable part had no UID (p_keep_unlisted), marks the
-- calendar 'partial' (still bookable) and says why, and keeps no ETag so the next sync re-reads.
begin;
select plan(12);

create temporary table m as select '70000000-0000-4000-8000-000000000002'::uuid as id, '2026-12-01 12:00+01'::timestamptz as now;
delete from calendar_busy_times where team_member_id = (select id from m);
insert into calendar_busy_times (team_member_id, starts_at, ends_at, source_uid)
select id, '2026-12-02 09:00+01'::timestamptz, '2026-12-02 10:00+01'::timestamptz, 'read-again' from m union all
select id, '2026-12-03 09:00+01', '2026-12-03 10:00+01', 'unreadable-now' from m union all
select id, '2026-12-04 09:00+01', '2026-12-04 10:00+01', 'deleted-from-calendar' from m union all
select id, '2026-12-05 09:00+01', '2026-12-05 10:00+01', null from m;
create function pg_temp.uids() returns text[] language sql as $$
  select array_agg(coalesce(source_uid, '-') || '@' || to_char(starts_at at time zone 'Europe/Zurich', 'DD HH24')
                   order by starts_at, source_uid)
  from calendar_busy_times where team_member_id = (select id from m) $$;

-- 1. One UID could not be read: its busy time stays; the rest is replaced as usual.
select is(replace_busy_times(id, '2026-11-30 00:00+01', '2026-12-31 00:00+01',
  '[{"starts_at": "2026-12-02T11:00:00+01:00", "ends_at": "2026-12-02T12:00:00+01:00", "uid": "read-again"},
    {"starts_at": "2026-12-03T09:00:00+01:00", "ends_at": "2026-12-03T10:00:00+01:00", "uid": "unreadable-now"}]',
  '"etag-partial"', null, 1, 15, now, array['unreadable-now'], false), 1)
from m;
select is(pg_temp.uids(), array['read-again@02 11', 'unreadable-now@03 09'],
  'the unreadable UID keeps its busy time (and the part read is not stored twice); a deleted event and stale rows go');
select results_eq($$select calendar_sync_status, calendar_sync_error, is_bookable from team_members where id = (select id from m)$$,
  $$values ('partial'::text, '1 calendar entries could not be read completely; their earlier busy times were kept'::text, true)$$,
  'the calendar says it was read only in part, and stays bookable');
select results_eq($$select etag, last_result, last_skipped_components from calendar_sync_state where team_member_id = (select id from m)$$,
  $$values (null::text, 'synced'::text, 1)$$, 'no ETag is kept: the next sync reads the whole feed again');

-- 2. An unreadable part without a UID: every busy time not read again stays.
insert into calendar_busy_times (team_member_id, starts_at, ends_at, source_uid)
select id, '2026-12-06 09:00+01'::timestamptz, '2026-12-06 10:00+01'::timestamptz, 'maybe-the-broken-one' from m union all
select id, '2026-12-07 09:00+01', '2026-12-07 10:00+01', null from m;
select is(replace_busy_times(id, '2026-11-30 00:00+01', '2026-12-31 00:00+01',
  '[{"starts_at": "2026-12-02T13:00:00+01:00", "ends_at": "2026-12-02T14:00:00+01:00", "uid": "read-again"}]',
  null, null, 1, 15, now, '{}', true), 1)
from m;
select is(pg_temp.uids(), array['read-again@02 13', 'unreadable-now@03 09', 'maybe-the-broken-one@06 09', '-@07 09'],
  'UIDs read again are replaced; everything else is kept, since the unreadable part may be any of them');
select is((select calendar_sync_status from team_members where id = (select id from m)), 'partial', 'still partial');
select is(replace_busy_times(id, '2026-11-30 00:00+01', '2026-12-31 00:00+01',
  '[{"starts_at": "2026-12-02T13:00:00+01:00", "ends_at": "2026-12-02T14:00:00+01:00", "uid": "read-again"},
    {"starts_at": "2026-12-07T09:00:00+01:00", "ends_at": "2026-12-07T10:00:00+01:00"}]',
  null, null, 1, 15, now, '{}', true), 1)
from m;
select is((select count(*)::int from calendar_busy_times where team_member_id = (select id from m) and source_uid is null), 1,
  'a kept row is not added again by the next partial sync');

-- 3. A complete read replaces everything and clears the partial state.
select is(replace_busy_times(id, '2026-11-30 00:00+01', '2026-12-31 00:00+01',
  '[{"starts_at": "2026-12-02T13:00:00+01:00", "ends_at": "2026-12-02T14:00:00+01:00", "uid": "read-again"}]',
  '"etag-full"', null, 0, 15, now), 1)
from m;
select is(pg_temp.uids(), array['read-again@02 13'], 'a complete read replaces the whole window');
select results_eq($$select m.calendar_sync_status, m.calendar_sync_error, s.etag from team_members m
                    join calendar_sync_state s on s.team_member_id = m.id where m.id = (select id from m)$$,
  $$values ('active'::text, null::text, '"etag-full"'::text)$$, 'and the calendar is active again, with its ETag');

select * from finish();
rollback;
