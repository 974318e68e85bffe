-- Admin alert mails in SQL: grouping, once, retries with backoff, resolutions, secret rotation
-- alerts, the every-minute job and who may call what. "Now" is fixed: 2027-03-01 10:00.
begin;
select plan(30);

delete from admin_alerts;  -- whatever earlier files left open
update business_settings set alert_mail_delay_minutes = 3;
create temporary table m as select '70000000-0000-4000-8000-000000000001'::uuid as weber,
  '70000000-0000-4000-8000-000000000002'::uuid as schmidt, '2027-03-01 10:00+01'::timestamptz as t0;
grant select on m to public;
create function pg_temp.claim(p_at text)
returns table (mail_id bigint, attempt integer, business_name text, recipients text[], events jsonb) language sql as
  $$ select * from claim_admin_alert_mails(p_at::timestamptz) $$;

-- One alert: not mailed before it is 3 minutes old, then exactly once.
insert into admin_alerts (team_member_id, kind, message, created_at)
select weber, 'calendar_sync_failing', 'Calendar of Dr. Sarah Weber failed 1 time(s) in a row: timeout.', t0 from m;
select is((select count(*)::int from pg_temp.claim('2027-03-01 10:02+01')), 0, 'a fresh alert waits for others (3 minutes)');
create temporary table first_mail as select * from pg_temp.claim('2027-03-01 10:03+01');
select results_eq($$select attempt, jsonb_array_length(events), events -> 0 ->> 'event', events -> 0 ->> 'team_member' from first_mail$$,
  $$values (1, 1, 'opened'::text, 'Dr. Sarah Weber'::text)$$, 'after 3 minutes one mail carries the alert');
select ok((select recipients @> array['admin@clinic.example'] from first_mail), 'addressed to the admins');
select is((select count(*)::int from pg_temp.claim('2027-03-01 10:04+01')), 0, 'a mail being sent is not handed out twice');
select admin_alert_mail_sent(mail_id, '2027-03-01 10:04+01') from first_mail;
select is((select count(*)::int from pg_temp.claim('2027-03-01 12:00+01')), 0, 'once sent, the alert is never mailed again');
select is((select status from admin_alert_mails where id = (select mail_id from first_mail)), 'sent', 'the mail is marked sent');

-- Several alerts within a few minutes: one mail.
insert into admin_alerts (team_member_id, kind, message, created_at)
select schmidt, 'calendar_sync_failing', 'Calendar of Dr. Schmidt failed.', '2027-03-01 11:00+01'::timestamptz from m union all
select null::uuid, 'conversation_handoff', 'A customer asked for a person.', '2027-03-01 11:01+01' from m union all
select null, 'whatsapp_send_failed', 'A confirmation could not be delivered.', '2027-03-01 11:02+01' from m;
create temporary table grouped as select * from pg_temp.claim('2027-03-01 11:03+01');
select results_eq($$select count(*)::int, sum(jsonb_array_length(events))::int from grouped$$, $$values (1, 3)$$,
  'three alerts within three minutes go out as one mail');
select is((select array_agg(e ->> 'kind' order by e ->> 'at') from grouped, jsonb_array_elements(events) e),
  array['calendar_sync_failing', 'conversation_handoff', 'whatsapp_send_failed'], 'in the order they happened');

-- SMTP failure: retried after 1, 5, 15, 60, 60 minutes, then given up.
select is(admin_alert_mail_failed(mail_id, '421 service not available', '2027-03-01 11:03+01'), '2027-03-01 11:04+01'::timestamptz,
  'a failed send is retried after a minute') from grouped;
select is((select count(*)::int from pg_temp.claim('2027-03-01 11:03:30+01')), 0, 'not before');
select results_eq($$select mail_id, attempt from pg_temp.claim('2027-03-01 11:04+01')$$, $$select mail_id, 2 from grouped$$,
  'then the same mail is claimed again (attempt 2)');
select is(admin_alert_mail_failed(mail_id, 'timeout', '2027-03-01 11:04+01'), '2027-03-01 11:09+01'::timestamptz, 'then after 5 minutes') from grouped;
select pg_temp.claim('2027-03-01 11:09+01');
select is(admin_alert_mail_failed(mail_id, 'timeout', '2027-03-01 11:09+01'), '2027-03-01 11:24+01'::timestamptz, 'then 15') from grouped;
select pg_temp.claim('2027-03-01 11:24+01');
select is(admin_alert_mail_failed(mail_id, 'timeout', '2027-03-01 11:24+01'), '2027-03-01 12:24+01'::timestamptz, 'then an hour') from grouped;
select pg_temp.claim('2027-03-01 12:24+01');
select is(admin_alert_mail_failed(mail_id, 'timeout', '2027-03-01 12:24+01'), '2027-03-01 13:24+01'::timestamptz, 'and an hour') from grouped;
select pg_temp.claim('2027-03-01 13:24+01');
select is(admin_alert_mail_failed(mail_id, 'timeout', '2027-03-01 13:24+01'), null, 'the sixth failure gives up') from grouped;
select results_eq($$select status, attempts, last_error from admin_alert_mails where id = (select mail_id from grouped)$$,
  $$values ('failed'::text, 6, 'timeout'::text)$$, 'the mail says so, with the last SMTP error');

-- A sender that died: its claim runs out after 5 minutes and the mail is sent by the next run.
insert into admin_alerts (kind, message, created_at) values ('whatsapp_send_failed', 'Another one.', '2027-03-02 09:00+01');
create temporary table orphan as select * from pg_temp.claim('2027-03-02 09:03+01');
select is((select count(*)::int from pg_temp.claim('2027-03-02 09:07+01')), 0, 'a claim holds for 5 minutes');
select results_eq($$select mail_id, attempt from pg_temp.claim('2027-03-02 09:08+01')$$, $$select mail_id, 2 from orphan$$,
  'then the mail is handed out again');
select admin_alert_mail_sent(mail_id, '2027-03-02 09:09+01') from orphan;

-- Resolution is mailed too.
update admin_alerts set resolved_at = '2027-03-02 10:00+01' where team_member_id = (select weber from m);
create temporary table resolved as select * from pg_temp.claim('2027-03-02 10:03+01');
select results_eq($$select e ->> 'event', e ->> 'kind', e ->> 'team_member' from resolved, jsonb_array_elements(events) e$$,
  $$values ('resolved'::text, 'calendar_sync_failing'::text, 'Dr. Sarah Weber'::text)$$, 'a resolution is mailed, once');

-- Secret rotation: a Vault secret older than 90 days raises one alert per secret version.
select admin_set_calendar_secret(weber, 'https://calendar.example/private-0000aaaa1111bbbb/basic.ics') from m;
update vault.secrets set updated_at = '2026-12-01 09:00+01'
where name = (select calendar_secret_ref from team_members where id = (select weber from m));
select is(private.raise_secret_rotation_alerts('2027-02-28 10:00+01'), 0, 'at 89 days nothing is raised');
select is(private.raise_secret_rotation_alerts('2027-03-01 10:00+01'), 1, 'at 90 days a rotate alert is raised');
select is(private.raise_secret_rotation_alerts('2027-03-02 10:00+01'), 0, 'once');
select ok((select message like 'The calendar secret of Dr. Sarah Weber was last changed 90 days ago (on 2026-12-01)%'
                  and message not like '%0000aaaa1111bbbb%'
           from admin_alerts where kind = 'calendar_secret_rotation'), 'it says whose secret and how old, never the secret');
update admin_alerts set resolved_at = '2027-03-03 10:00+01' where kind = 'calendar_secret_rotation';
select is(private.raise_secret_rotation_alerts('2027-03-05 10:00+01'), 0, 'resolved by hand, the same secret does not nag again');
update vault.secrets set updated_at = '2027-03-06 09:00+01'
where name = (select calendar_secret_ref from team_members where id = (select weber from m));
select is(private.raise_secret_rotation_alerts('2027-06-05 10:00+01'), 1, 'the rotated secret, 90 days later, raises a new one');

-- The every-minute job calls the alert-mail function only when a mail is due.
select vault.create_secret('http://127.0.0.1:1', 'project_url') where not exists (select 1 from vault.secrets where name = 'project_url');
select vault.create_secret('test-key', 'service_role_key') where not exists (select 1 from vault.secrets where name = 'service_role_key');
delete from admin_alerts where mail_id is null or (resolved_at is not null and resolution_mail_id is null);
update admin_alert_mails set status = 'sent' where status <> 'sent';
select is(private.admin_alert_mail_tick('2027-06-05 10:01+01'), null, 'nothing due: no call');
insert into admin_alerts (kind, message, created_at) values ('conversation_handoff', 'Due.', '2027-06-05 10:00+01');
create temporary table tick as select private.admin_alert_mail_tick('2027-06-05 10:03+01') as request_id;
select ok((select q.url like '%/functions/v1/alert-mail' from net.http_request_queue q join tick on q.id = tick.request_id),
  'a due alert queues a call of the alert-mail function');
select ok(exists (select 1 from cron.job where jobname = 'admin-alert-mail' and schedule = '* * * * *'), 'pg_cron runs it every minute');

-- Only the service role sends mail; admins read the mails in Studio.
select tests.create_supabase_user('mail_admin', '{"role": "admin"}');
select tests.authenticate_as('mail_admin');
select throws_ok($$select * from claim_admin_alert_mails()$$, '42501', null, 'admins cannot claim mails (only the function does)');
select tests.clear_authentication();

select * from finish();
rollback;
