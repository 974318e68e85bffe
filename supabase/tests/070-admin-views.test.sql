-- The views an admin reads in Studio or through the API (README "Views for the admin's
-- questions"), read as the admin (role authenticated with the admin's JWT), as RLS applies them.
begin;
select plan(10);

update auth.users set raw_user_meta_data = '{"test_identifier": "admin"}' where email = 'admin@clinic.example';
select tests.create_supabase_user('views_stranger');
create temporary table ids as select
  '70000000-0000-4000-8000-000000000005'::uuid as michael, '50000000-0000-4000-8000-000000000005'::uuid as massage,
  'c0000000-0000-4000-8000-000000000004'::uuid as lisa, '70000000-0000-4000-8000-000000000002'::uuid as schmidt;
grant select on ids to authenticated;

-- Lisa (no preference yet) books Michael three times; the third booking makes him her preference.
create temporary table lisa_bookings as
select book_appointment(lisa, massage, michael, t, 'auto', p_now => '2026-12-01 12:00+01') as id, t
from ids, (values ('2026-12-07 09:00+01'::timestamptz), ('2026-12-08 09:00+01'), ('2026-12-09 09:00+01')) v(t);
grant select on lisa_bookings to authenticated;
select book_appointment(lisa, massage, michael, '2026-12-10 09:00+01', 'preference', p_now => '2026-12-01 12:00+01') from ids;
select cancel_booking(id, '2026-12-01 12:30+01') from lisa_bookings where t = '2026-12-08 09:00+01';
update bookings set status = 'no_show' where id = (select id from lisa_bookings where t = '2026-12-09 09:00+01');
-- Dr. Müller: one appointment done last week, one tomorrow (relative to the transaction's clock,
-- which these two columns read).
insert into bookings (contact_id, service_id, team_member_id, starts_at, ends_at, status) values
  ('c0000000-0000-4000-8000-000000000002', '50000000-0000-4000-8000-000000000001', '70000000-0000-4000-8000-000000000003',
   date_trunc('hour', now()) - interval '7 days', date_trunc('hour', now()) - interval '7 days' + interval '1 hour', 'completed'),
  ('c0000000-0000-4000-8000-000000000002', '50000000-0000-4000-8000-000000000001', '70000000-0000-4000-8000-000000000003',
   date_trunc('hour', now()) + interval '1 day', date_trunc('hour', now()) + interval '1 day 1 hour', 'confirmed');
-- Dr. Schmidt's calendar was just synced; Dr. Müller's moved to a new address that was never
-- read (a new calendar starts from scratch, issue #14; the seed counts the old one as read).
update team_members set calendar_source_url = 'http://127.0.0.1:54325/feeds/dr-mueller-new.ics'
where id = '70000000-0000-4000-8000-000000000003';
select replace_busy_times(schmidt, now() - interval '1 day', now() + interval '30 days', '[]', null, null, 0, 12, now()) from ids;

select tests.authenticate_as('admin');
select is((select summary from customer_preferences where name = 'Lisa Hoffmann'), 'Prefers Michael (detected from 2 bookings)',
  'customer_preferences: a preference learnt from bookings says so, counting the bookings that still stand');
select is((select summary from customer_preferences where name = 'Marie Schmidt'), 'Prefers Dr. Sarah Weber (from conversations)',
  'customer_preferences: and one learnt in conversation says that');
select results_eq($$select cancelled, no_shows, with_preferred_member from bookings_by_team_member where team_member = 'Michael'$$,
  $$values (1::bigint, 1::bigint, 1::bigint)$$,
  'bookings_by_team_member: one cancellation, one no-show, one booking by a customer who preferred him');
select results_eq($$select upcoming, last_30_days, next_booking_at = date_trunc('hour', now()) + interval '1 day'
                    from bookings_by_team_member where team_member = 'Dr. Müller'$$,
  $$values (1::bigint, 1::bigint, true)$$, 'bookings_by_team_member: upcoming, the last 30 days and the next appointment');
select results_eq($$select team_member::text, service::text, customer::text, local_start, local_end, status from booking_schedule
                    where id = (select id from lisa_bookings where t = '2026-12-07 09:00+01')$$,
  $$values ('Michael'::text, 'Deep Tissue Massage'::text, 'Lisa Hoffmann'::text, '2026-12-07 09:00'::timestamp, '2026-12-07 10:00'::timestamp,
            'confirmed'::text)$$,
  'booking_schedule: names and the business''s local times');
select results_eq($$select last_synced, status, last_result from calendar_sync_overview where name = 'Dr. Schmidt'$$,
  $$values ('0 minutes ago'::text, 'active'::text, 'synced'::text)$$, 'calendar_sync_overview: a member synced just now');
select results_eq($$select last_synced, status from calendar_sync_overview where name = 'Dr. Müller'$$,
  $$values ('never'::text, 'pending'::text)$$, 'calendar_sync_overview: a member never synced');
select ok((select bool_and(available_slots_next_7_days is not null) from calendar_sync_overview),
  'calendar_sync_overview: the admin sees every member''s free slots for the coming week');
select tests.clear_authentication();

select tests.authenticate_as('views_stranger');
select is((select count(*)::int from booking_schedule) + (select count(*)::int from customer_preferences)
          + (select count(*)::int from calendar_sync_overview), 0, 'a signed-in stranger sees nothing in these views');
select tests.clear_authentication();
select tests.authenticate_as_role('anon');
select throws_ok('select * from booking_schedule', '42501', null, 'anon cannot read them at all');
select tests.clear_authentication();

select * from finish();
rollback;
