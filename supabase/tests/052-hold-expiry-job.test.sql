-- The pg_cron job that gives expired holds' slots back (README: "pg_cron removes them every
-- minute"). The job reads the real clock, so the holds here expire relative to the transaction's
-- own now(), which is fixed for the whole test.
begin;
select plan(4);

select ok(exists (select 1 from cron.job where jobname = 'release-expired-holds' and schedule = '* * * * *'),
  'a pg_cron job releases expired holds every minute');

insert into bookings (contact_id, service_id, team_member_id, starts_at, ends_at, status, hold_expires_at) values
  ('c0000000-0000-4000-8000-000000000004', '50000000-0000-4000-8000-000000000001', '70000000-0000-4000-8000-000000000001',
   '2027-01-11 09:00+01', '2027-01-11 10:00+01', 'held', now() - interval '1 minute'),
  ('c0000000-0000-4000-8000-000000000005', '50000000-0000-4000-8000-000000000001', '70000000-0000-4000-8000-000000000001',
   '2027-01-11 11:00+01', '2027-01-11 12:00+01', 'held', now() + interval '9 minutes');

-- Exactly what the scheduler runs.
do $$ begin execute (select command from cron.job where jobname = 'release-expired-holds'); end $$;

select is((select count(*)::int from bookings where team_member_id = '70000000-0000-4000-8000-000000000001'
           and starts_at = '2027-01-11 09:00+01'), 0, 'the hold that expired a minute ago is gone');
select is((select count(*)::int from bookings where team_member_id = '70000000-0000-4000-8000-000000000001'
           and starts_at = '2027-01-11 11:00+01' and status = 'held'), 1, 'a hold still within its 10 minutes stays');
select lives_ok($$select book_appointment('c0000000-0000-4000-8000-000000000001', '50000000-0000-4000-8000-000000000001',
                    '70000000-0000-4000-8000-000000000001', '2027-01-11 09:00+01', 'auto', p_now => '2027-01-04 12:00+01')$$,
  'another customer can book the released slot');

select * from finish();
rollback;
