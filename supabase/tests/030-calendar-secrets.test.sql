-- Calendar secrets: in the Vault only, set by admins, read by the service role only.
begin;
select plan(25);

update auth.users set raw_user_meta_data = '{"test_identifier": "weber"}' where email = 'sarah.weber@clinic.example';
update auth.users set raw_user_meta_data = '{"test_identifier": "admin"}' where email = 'admin@clinic.example';
create temporary table secret_under_test as
  select 'https://calendar.google.com/calendar/ical/weber%40gmail.com/private-0f1e2d3c4b5a69788796a5b4c3d2e1f0/basic.ics'::text as value;
grant select on secret_under_test to anon, authenticated, service_role;

-- who may set it
select tests.authenticate_as_role('anon');
select throws_ok($$select admin_set_calendar_secret('70000000-0000-4000-8000-000000000001', 'x')$$, '42501', null,
  'anon cannot set a calendar secret');
select tests.clear_authentication();
select tests.authenticate_as('weber');
select throws_ok($$select admin_set_calendar_secret('70000000-0000-4000-8000-000000000001', 'x')$$, '42501',
  'only admins can set calendar secrets', 'a team member cannot set a calendar secret');
select tests.clear_authentication();

select tests.authenticate_as('admin');
select throws_ok($$select admin_set_calendar_secret('7fffffff-0000-4000-8000-000000000000', 'x')$$, 'P0002',
  'team member 7fffffff-0000-4000-8000-000000000000 does not exist', 'an unknown team member is refused');
select throws_ok($$select admin_set_calendar_secret('70000000-0000-4000-8000-000000000001', '  ')$$, '22023',
  'the calendar secret is empty', 'an empty secret is refused');
select lives_ok($$select admin_set_calendar_secret('70000000-0000-4000-8000-000000000001', value) from secret_under_test$$,
  'an admin sets the secret');
select function_returns('public', 'admin_set_calendar_secret', array['uuid', 'text'], 'void',
  'and gets nothing back that could echo the secret');
select tests.clear_authentication();

select is((select calendar_secret_ref from team_members where name = 'Dr. Sarah Weber'),
  'team_member_70000000_0000_4000_8000_000000000001_calendar_secret', 'calendar_secret_ref names the Vault secret');
select is((select calendar_sync_status from team_members where name = 'Dr. Sarah Weber'), 'pending', 'sync restarts as pending');
select is((select decrypted_secret from vault.decrypted_secrets
           where name = 'team_member_70000000_0000_4000_8000_000000000001_calendar_secret'),
  (select value from secret_under_test), 'the Vault holds the secret');

-- where it is not
select is((select tests.relations_containing(value) from secret_under_test), array['vault.decrypted_secrets'],
  'the plain secret is in no table of any schema, only in the Vault''s decrypting view');
select is((select tests.relations_containing('private-0f1e2d3c4b5a6978')), array['vault.decrypted_secrets'],
  'not even part of it is stored in plain text');
select tests.authenticate_as_role('anon');
select is((select tests.relations_containing(value) from secret_under_test), '{}'::text[], 'anon reads the secret nowhere');
select tests.clear_authentication();
select tests.authenticate_as('weber');
select is((select tests.relations_containing(value) from secret_under_test), '{}'::text[], 'the team member reads it nowhere');
select throws_ok($$select private.calendar_secret('70000000-0000-4000-8000-000000000001')$$, '42501', null,
  'a team member cannot call the decrypting function');
select tests.clear_authentication();
select tests.authenticate_as('admin');
select is((select tests.relations_containing(value) from secret_under_test), '{}'::text[], 'an admin reads it nowhere');
select throws_ok($$select * from vault.decrypted_secrets$$, '42501', null, 'an admin cannot read the Vault');
select tests.clear_authentication();

-- the service role reads it through the private function
select tests.authenticate_as_role('service_role');
select is(private.calendar_secret('70000000-0000-4000-8000-000000000001'), (select value from secret_under_test),
  'the service role gets the decrypted secret');
select is(private.calendar_secret('70000000-0000-4000-8000-000000000002'), null, 'no secret without a reference');
select tests.clear_authentication();

-- rotation keeps one Vault entry
select admin_set_calendar_secret('70000000-0000-4000-8000-000000000001', 'https://calendar.example/rotated.ics');
select is((select count(*)::int from vault.secrets where name = 'team_member_70000000_0000_4000_8000_000000000001_calendar_secret'),
  1, 'rotating replaces the secret instead of adding one');
select is(private.calendar_secret('70000000-0000-4000-8000-000000000001'), 'https://calendar.example/rotated.ics',
  'the rotated secret is the one read');

-- calendar_source_url refuses secrets
select throws_ok($$update team_members set calendar_source_url = (select value from secret_under_test) where name = 'Dr. Schmidt'$$,
  '23514', 'calendar_source_url refused: it is a private iCal address (Google "secret address") - store secrets with admin_set_calendar_secret()',
  'a private Google iCal address is refused');
select throws_ok($$update team_members set calendar_source_url = 'https://anna:hunter2@dav.example/cal/' where name = 'Dr. Schmidt'$$,
  '23514', 'calendar_source_url refused: it contains a user name or password - store secrets with admin_set_calendar_secret()',
  'credentials in the address are refused');
select throws_ok($$update team_members set calendar_source_url = 'https://feeds.example/cal.ics?token=abc123' where name = 'Dr. Schmidt'$$,
  '23514', 'calendar_source_url refused: its query string contains a token, key or password - store secrets with admin_set_calendar_secret()',
  'a token in the query string is refused');
select throws_ok($$update team_members set calendar_source_url = 'https://outlook.office365.com/owa/calendar/0a1b@clinic.example/c0ffee1234/calendar.ics' where name = 'Dr. Schmidt'$$,
  '23514', null, 'a published Outlook address is refused');
select lives_ok($$update team_members set calendar_source_url = 'https://dav.example/calendars/schmidt/6f1c2a3e-0d7b-4c55-9a51-1f2e3d4c5b6a/' where name = 'Dr. Schmidt'$$,
  'a CalDAV collection address without credentials is accepted');

select * from finish();
rollback;
