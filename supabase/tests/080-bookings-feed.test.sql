-- Bookings feed per team member: tokens (hashed, rotatable, admin only), what the feed shows,
-- stable calendar UIDs and SEQUENCE across changes and reschedules.
begin;
select plan(23);

create temporary table ids as select
  '70000000-0000-4000-8000-000000000001'::uuid as weber, '70000000-0000-4000-8000-000000000003'::uuid as mueller,
  '50000000-0000-4000-8000-000000000001'::uuid as cleaning,
  'c0000000-0000-4000-8000-000000000001'::uuid as marie, 'c0000000-0000-4000-8000-000000000002'::uuid as thomas,
  '2026-11-29 12:00+01'::timestamptz as now;

-- Tokens
create temporary table url1 as select admin_rotate_booking_feed(weber) as url from ids;
select matches((select url from url1), '/functions/v1/bookings-feed\?token=[A-Za-z0-9_-]{43}$',
  'rotating returns a subscription URL with a 43-character random token');
create temporary table tok1 as select substring(url from 'token=(.*)$') as token from url1;
select is((select count(*)::int from team_member_booking_feeds f, tok1
           where f.token_hash = extensions.digest(tok1.token, 'sha256')), 1, 'only the token''s SHA-256 is stored');
select is((select count(*)::int from team_member_booking_feeds f, tok1
           where position(convert_to(tok1.token, 'UTF8') in f.token_hash) > 0
              or f::text like '%' || tok1.token || '%'), 0, 'the token itself is in no column');
select is((select count(*)::int from private.booking_feed((select token from tok1), (select now from ids))), 1,
  'a valid token with no upcoming bookings gives the member''s empty feed (one row, no event)');
select is((select uid from private.booking_feed((select token from tok1), (select now from ids))), null, 'that row has no event');
select is((select last_fetched_at from team_member_booking_feeds, ids where team_member_id = weber), '2026-11-29 12:00+01'::timestamptz,
  'reading the feed records when it was read');
select is((select count(*)::int from private.booking_feed(repeat('A', 43), now())), 0, 'an unknown token gives nothing');
select is((select count(*)::int from private.booking_feed(null, now())), 0, 'a missing token gives nothing');
select is((select count(*)::int from private.booking_feed(repeat('A', 5000000), now())), 0, 'a 5 MB token gives nothing');

create temporary table url2 as select admin_rotate_booking_feed(weber) as url from ids;
create temporary table tok2 as select substring(url from 'token=(.*)$') as token from url2;
select isnt((select token from tok2), (select token from tok1), 'rotating makes a new token');
select is((select count(*)::int from private.booking_feed((select token from tok1), now())), 0, 'the rotated token stops working at once');
select is((select count(*)::int from private.booking_feed((select token from tok2), now())), 1, 'the new one works');

select throws_ok($$select admin_rotate_booking_feed('70000000-0000-4000-8000-0000000000ff')$$, 'BK003', null,
  'an unknown team member is refused');
select tests.create_supabase_user('feed-member');
select tests.authenticate_as('feed-member');
select throws_ok($$select admin_rotate_booking_feed('70000000-0000-4000-8000-000000000001')$$, '42501', null,
  'a signed-in non-admin cannot rotate a feed (admins only)');
select is((select count(*)::int from team_member_booking_feeds), 0, 'nor see the feed table');
select tests.clear_authentication();
set local role anon;
select throws_ok($$select admin_rotate_booking_feed('70000000-0000-4000-8000-000000000001')$$, '42501', null, 'anon cannot either');
reset role;

-- What the feed shows
insert into bookings (id, contact_id, service_id, team_member_id, starts_at, ends_at, status)
select v.id::uuid, v.who, cleaning, v.member, v.s::timestamptz, v.e::timestamptz, v.status
from ids, lateral (values
  ('b8000000-0000-4000-8000-000000000001', marie, weber, '2026-12-01 10:00+01', '2026-12-01 11:00+01', 'confirmed'),
  ('b8000000-0000-4000-8000-000000000002', thomas, weber, '2026-12-01 13:00+01', '2026-12-01 14:00+01', 'cancelled'),
  ('b8000000-0000-4000-8000-000000000003', thomas, weber, '2026-11-28 10:00+01', '2026-11-28 11:00+01', 'confirmed'),
  ('b8000000-0000-4000-8000-000000000004', thomas, mueller, '2026-12-02 10:00+01', '2026-12-02 11:00+01', 'confirmed')
) v(id, who, member, s, e, status);
select results_eq(
  $$select uid::text, sequence, starts_local, ends_local, service_name, customer_first_name
    from private.booking_feed((select token from tok2), '2026-11-29 12:00+01')$$,
  $$values ('b8000000-0000-4000-8000-000000000001', 0, '2026-12-01T10:00:00', '2026-12-01T11:00:00', 'Dental Cleaning', 'Marie')$$,
  'only the member''s own upcoming confirmed bookings, in business-local time, with service and first name');

update contacts set name = '+41 79 555 12 34' where id = (select marie from ids);
select is((select customer_first_name from private.booking_feed((select token from tok2), '2026-11-29 12:00+01')), null,
  'a name that looks like a phone number is not shown');

-- SEQUENCE and UID
update bookings set starts_at = '2026-12-01 10:30+01', ends_at = '2026-12-01 11:30+01' where id = 'b8000000-0000-4000-8000-000000000001';
select is((select sequence from private.booking_feed((select token from tok2), '2026-11-29 12:00+01')), 1, 'a moved appointment''s SEQUENCE goes up');
update bookings set external_event_id = 'x' where id = 'b8000000-0000-4000-8000-000000000001';
select is((select calendar_sequence from bookings where id = 'b8000000-0000-4000-8000-000000000001'), 1,
  'a change the calendar does not show leaves it alone');
create temporary table moved as
  select reschedule_booking('b8000000-0000-4000-8000-000000000001', '2026-12-03 09:00+01', null, '2026-11-29 12:00+01') as id;
select results_eq(
  $$select uid::text, sequence > 1, starts_local from private.booking_feed((select token from tok2), '2026-11-29 12:00+01')$$,
  $$values ('b8000000-0000-4000-8000-000000000001', true, '2026-12-03T09:00:00')$$,
  'a reschedule keeps the first booking''s UID, bumps SEQUENCE, and the old time is gone');
select cancel_booking((select id from moved), '2026-11-29 12:00+01');
select is((select uid from private.booking_feed((select token from tok2), '2026-11-29 12:00+01')), null,
  'a cancelled appointment is removed from the feed');

select ok(admin_revoke_booking_feed((select weber from ids)), 'an admin can turn a feed off');

select * from finish();
rollback;
