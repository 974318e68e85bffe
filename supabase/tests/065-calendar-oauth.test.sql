-- Google/Outlook in SQL: connect links (admins only; signed, expiring, single-use state), the
-- callback's one deciding call (Vault, never a table), applying full and incremental reads, and a
-- revoked grant.
begin;
select plan(30);

create temporary table m as select '70000000-0000-4000-8000-000000000002'::uuid as id, '2026-12-01 12:00+01'::timestamptz as now;
select vault.create_secret('https://project.example', 'project_url') where not exists (select 1 from vault.secrets where name = 'project_url');
create temporary table link as
  select admin_calendar_connect_link(id, 'google', now) as url, now from m;
create temporary table st as select split_part(url, 'connect=', 2) as state, now from link;

-- Connect links
select matches((select url from link), '^https?://[^?]+/functions/v1/calendar-oauth-callback\?connect=[0-9a-f]{32}\.[A-Za-z0-9_-]{43}$',
  'the link points at the callback function with a signed state');
select results_eq($$select team_member_id, provider from private.find_calendar_oauth_state((select state from st), (select now from m))$$,
  $$select id, 'google'::text from m$$, 'a genuine state names the member and provider');
select is((select count(*)::int from private.find_calendar_oauth_state(
  (select split_part(state, '.', 1) || '.' || reverse(split_part(state, '.', 2)) from st), (select now from m))), 0, 'an altered signature names nobody');
select is((select count(*)::int from private.find_calendar_oauth_state(
  (select split_part(state, '.', 1) from st), (select now from m))), 0, 'an unsigned nonce names nobody');
select is((select count(*)::int from private.find_calendar_oauth_state((select state from st), (select now + interval '24 hours 1 second' from m))), 0,
  'after 24 hours the link has expired');
select is((select count(*)::int from private.find_calendar_oauth_state(repeat('a', 5000000), (select now from m))), 0, 'a 5 MB state names nobody');
select throws_ok($$select admin_calendar_connect_link((select id from m), 'icloud')$$, 'BK004', null, 'only google and outlook');
select throws_ok($$select admin_calendar_connect_link(gen_random_uuid(), 'google')$$, 'BK003', null, 'an unknown member is refused');
select throws_ok($$select admin_calendar_connect_link((select id from team_members where is_general_calendar), 'google')$$, 'BK003', null,
  'the General Calendar has no calendar to connect');
select tests.authenticate_as_role('service_role');
select lives_ok($$select admin_calendar_connect_link('70000000-0000-4000-8000-000000000002', 'outlook')$$, 'the service role may ask for a link');
select tests.clear_authentication();
select tests.authenticate_as_role('authenticated');
select throws_ok($$select admin_calendar_connect_link('70000000-0000-4000-8000-000000000002', 'google')$$, '42501',
  'only admins and the service role may do this', 'a signed-in non-admin is refused');
select throws_ok($$select * from private.complete_calendar_connection('x', 'y', 'z')$$, '42501', null,
  'API roles cannot complete a connection');
select tests.clear_authentication();

-- Completing a connection
select results_eq($$select team_member_id, provider from private.complete_calendar_connection((select state from st), 'rt-secret-1', 'primary', (select now from m))$$,
  $$select id, 'google'::text from m$$, 'a genuine state connects');
select results_eq($$select calendar_provider, calendar_source_url, calendar_sync_status, private.calendar_secret(id) from team_members where id = (select id from m)$$,
  $$values ('google'::text, 'primary'::text, 'pending'::text, 'rt-secret-1'::text)$$, 'provider, calendar id and the refresh token in Vault');
select is((select count(*)::int from team_members t where to_jsonb(t)::text like '%rt-secret-1%'), 0, 'the token is in no column');
select throws_ok($$select * from private.complete_calendar_connection((select state from st), 'rt-secret-2', 'primary', (select now from m))$$,
  'BK004', null, 'the same state again is refused');
select is((select private.calendar_secret(id) from m), 'rt-secret-1', 'and stored nothing');

-- Applying reads: full, then incremental; all-day on the DST night is a 23-hour business day
select is((select count(*)::int from private.apply_calendar_provider_read((select id from m), 'google', true,
  '[{"id": "a", "busy": true, "starts_at": "2026-12-02T09:00:00+01:00", "ends_at": "2026-12-02T10:00:00+01:00"},
    {"id": "s_20261203T080000Z", "busy": true, "starts_at": "2026-12-03T09:00:00+01:00", "ends_at": "2026-12-03T10:00:00+01:00"},
    {"id": "free", "busy": false},
    {"id": "dst", "busy": true, "start_date": "2027-03-28", "end_date": "2027-03-29"},
    {"id": "local", "busy": true, "start_local": "2026-12-04T09:00:00", "end_local": "2026-12-04T10:00:00", "zone": "Europe/Zurich"}]',
  null, 'token-1', (select now from m))), 4, 'a full read keeps the busy events');
select results_eq($$select ends_at - starts_at, to_char(starts_at at time zone 'Europe/Zurich', 'HH24:MI')
    from private.calendar_provider_events where team_member_id = (select id from m) and event_id = 'dst'$$,
  $$values (interval '23 hours', '00:00'::text)$$, 'an all-day event on the spring-forward day lasts the 23 business hours');
select is((select to_char(starts_at at time zone 'Europe/Zurich', 'HH24:MI') from private.calendar_provider_events
  where team_member_id = (select id from m) and event_id = 'local'), '09:00', 'local times are read in their zone');
select is((select array_agg(event_id order by starts_at) from private.apply_calendar_provider_read((select id from m), 'google', false,
  '[{"id": "a", "busy": false}, {"id": "b", "busy": true, "starts_at": "2026-12-05T09:00:00Z", "ends_at": "2026-12-05T10:00:00Z"}]',
  array['s'], 'token-2', (select now + interval '1 hour' from m))), array['local', 'b', 'dst'],
  'an incremental read: a is free now, b is new, the removed series takes its instances along');
select results_eq($$select sync_token, full_synced_at from private.calendar_provider_sync_position((select id from m))$$,
  $$select 'token-2'::text, now from m$$, 'the new sync position is kept; the last full read stays as it was');

-- A revoked grant: the next failure makes the member unbookable and opens the alert
update business_settings set sync_failures_before_unbookable = 3;
select private.record_calendar_grant_revoked(id) from m;
select record_sync_failure(id, 'Google Calendar access was revoked or has expired: reconnect the calendar', null, now) from m;
select results_eq($$select is_bookable, (select count(*)::int from admin_alerts a where a.team_member_id = m.id and resolved_at is null)
    from team_members m where id = (select id from m)$$, $$values (false, 1)$$, 'unbookable at once, with an alert');
select is((select sync_token from private.calendar_provider_sync_position((select id from m))), null, 'and the next read is a full one');

-- Push channels: only the token's hash is kept; a notification must carry the token
select private.record_calendar_push_channel(id, 'google', 'chan-1', 'res-1', 'channel-token-1', now + interval '7 days') from m;
select is((select count(*)::int from private.calendar_push_channels c where to_jsonb(c)::text like '%channel-token-1%'), 0,
  'the channel token is stored only as a hash');
select is(private.calendar_push_notified('google', 'chan-1', 'wrong', (select now from m)), null, 'a wrong token names nobody');
select is(private.calendar_push_notified('outlook', 'chan-1', 'channel-token-1', (select now from m)), null, 'nor does another provider');
select is(private.calendar_push_notified('google', 'chan-1', 'channel-token-1', (select now + interval '8 days' from m)), null,
  'nor an expired channel');
select is(private.calendar_push_notified('google', 'chan-1', 'channel-token-1', (select now from m)), (select id from m),
  'the genuine notification names its member');
select results_eq($$select action from private.calendar_push_work((select now + interval '6 days 1 hour' from m)) where team_member_id = (select id from m)$$,
  $$values ('open'::text)$$, 'a day before it expires, the channel is due for renewal');

select * from finish();
rollback;
