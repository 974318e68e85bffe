-- calendar_source_url refuses addresses that carry a secret (README "Calendar secrets"): here the
-- iCloud and Nextcloud sharing links; a refusal says where secrets go and changes nothing.
begin;
select plan(5);
create temporary table before as select calendar_source_url from team_members where name = 'Dr. Schmidt';

select throws_ok($$update team_members set calendar_source_url =
    'webcal://p52-caldav.icloud.com/published/2/MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkw' where name = 'Dr. Schmidt'$$,
  '23514', 'calendar_source_url refused: it is a published iCloud calendar address (contains a token) - store secrets with admin_set_calendar_secret()',
  'a published iCloud calendar address is refused');
select throws_ok($$update team_members set calendar_source_url =
    'https://cloud.example.org/remote.php/dav/public-calendars/k3Bq9TzXw2PfLm8R?export' where name = 'Dr. Schmidt'$$,
  '23514', 'calendar_source_url refused: it is a shared Nextcloud calendar link (contains a token) - store secrets with admin_set_calendar_secret()',
  'a shared Nextcloud calendar link is refused');
select is((select calendar_source_url from team_members where name = 'Dr. Schmidt'), (select calendar_source_url from before),
  'and the address stays what it was');
select lives_ok($$update team_members set calendar_source_url = 'https://cloud.example.org/remote.php/dav/calendars/schmidt/work/'
                  where name = 'Dr. Schmidt'$$, 'a Nextcloud CalDAV collection address (no token; credentials go to the Vault) is accepted');
select throws_ok($$insert into team_members (name, calendar_provider, calendar_source_url)
                   values ('New dentist', 'ical', 'https://p01-caldav.icloud.com/published/2/AbCdEf0123456789')$$,
  '23514', null, 'also when a team member is added');

select * from finish();
rollback;
