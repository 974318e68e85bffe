-- Waitlist: joining (checked input), freed slots offered in order of joining with a hold, the next
-- customer when an offer lapses or is declined, accepting books, entries expire at their window's
-- end; freed by a cancellation, a removed absence and removed busy time.
begin;
select plan(27);

create temporary table ids as select
  '70000000-0000-4000-8000-000000000001'::uuid as weber, '70000000-0000-4000-8000-000000000002'::uuid as schmidt,
  '70000000-0000-4000-8000-000000000003'::uuid as mueller, '70000000-0000-4000-8000-000000000004'::uuid as sarah,
  '50000000-0000-4000-8000-000000000001'::uuid as cleaning,
  'c0000000-0000-4000-8000-000000000001'::uuid as marie, 'c0000000-0000-4000-8000-000000000002'::uuid as thomas,
  'c0000000-0000-4000-8000-000000000003'::uuid as anna, 'c0000000-0000-4000-8000-000000000004'::uuid as lisa,
  'c0000000-0000-4000-8000-000000000005'::uuid as marc, '2026-11-29 12:00+01'::timestamptz as now;

-- Dr. Weber's morning of 2 December is fully booked (08:00-12:00).
insert into bookings (id, contact_id, service_id, team_member_id, starts_at, ends_at, status)
select v.id::uuid, marc, cleaning, weber, v.s::timestamptz, v.e::timestamptz, 'confirmed'
from ids, lateral (values ('b8400000-0000-4000-8000-000000000001', '2026-12-02 08:00+01', '2026-12-02 10:00+01'),
                          ('b8400000-0000-4000-8000-000000000002', '2026-12-02 10:00+01', '2026-12-02 12:00+01')) v(id, s, e);

-- Joining: bad input is refused and changes nothing.
select throws_ok($$select join_waitlist('c0000000-0000-4000-8000-000000000001', '50000000-0000-4000-8000-000000000001',
                   '2026-12-02 12:00+01', '2026-12-02 08:00+01', null, '2026-11-29 12:00+01')$$, 'BK004', null, 'a window that ends before it starts');
select throws_ok($$select join_waitlist('c0000000-0000-4000-8000-000000000001', '50000000-0000-4000-8000-000000000001',
                   '2026-12-02 08:00+01', 'infinity', null, '2026-11-29 12:00+01')$$, 'BK004', null, 'an endless window');
select throws_ok($$select join_waitlist('c0000000-0000-4000-8000-000000000001', '50000000-0000-4000-8000-000000000001',
                   '2026-11-02 08:00+01', '2026-11-02 12:00+01', null, '2026-11-29 12:00+01')$$, 'BK004', null, 'a window in the past');
select throws_ok($$select join_waitlist('c0000000-0000-4000-8000-000000000001', '50000000-0000-4000-8000-000000000001',
                   '2026-12-02 08:00+01', '2026-12-02 12:00+01', '70000000-0000-4000-8000-000000000004', '2026-11-29 12:00+01')$$,
  'BK002', null, 'a team member who does not offer the service');
select is((select count(*)::int from waitlist_entries), 0, 'nothing was written');

create temporary table entries as
select join_waitlist(marie, cleaning, '2026-12-02 08:00+01', '2026-12-02 12:00+01', null, now) as marie_entry,
       join_waitlist(anna, cleaning, '2026-12-02 08:00+01', '2026-12-02 12:00+01', weber, now + interval '1 minute') as anna_entry,
       join_waitlist(thomas, cleaning, '2026-12-02 08:00+01', '2026-12-02 12:00+01', null, now + interval '2 minutes') as thomas_entry,
       join_waitlist(lisa, cleaning, '2026-12-02 08:00+01', '2026-12-02 12:00+01', mueller, now + interval '3 minutes') as lisa_entry
from ids;
create function tests.entry(p_who text) returns waitlist_entries language sql as $$
  select w from waitlist_entries w, entries e
  where w.id = case p_who when 'marie' then e.marie_entry when 'anna' then e.anna_entry when 'thomas' then e.thomas_entry else e.lisa_entry end $$;

select is(private.process_waitlist('2026-11-29 12:05+01'), 0, 'nothing freed, nothing offered');

-- A cancellation frees 08:00-10:00: the first to join is offered the first slot, held for them.
select cancel_booking('b8400000-0000-4000-8000-000000000001', '2026-11-29 12:10+01');
select is(private.process_waitlist('2026-11-29 12:10+01'), 1, 'one offer (the next slot would run into 10:00)');
select results_eq($$select (tests.entry('marie')).status, (tests.entry('marie')).offered_starts_at, (tests.entry('marie')).offer_expires_at$$,
  $$values ('offered'::text, '2026-12-02 08:00+01'::timestamptz, '2026-11-29 12:20+01'::timestamptz)$$,
  'the first to join is offered 08:00, held for hold_minutes');
select results_eq($$select status, contact_id from bookings where id = (tests.entry('marie')).offered_hold_id$$,
  $$select 'held'::text, marie from ids$$, 'the slot is held for them');
select is((select (tests.entry('anna')).status), 'waiting', 'the next in line waits');
select ok(exists (select 1 from whatsapp_outbound_messages, ids where contact_id = marie and purpose = 'waitlist_offer'
                  and message::text like '%waitlist:accept:' || (tests.entry('marie')).id || '%'), 'the offer is sent with Accept/Decline');
select throws_ok($$select hold_slot('c0000000-0000-4000-8000-000000000005', '50000000-0000-4000-8000-000000000001',
                   '70000000-0000-4000-8000-000000000001', '2026-12-02 08:00+01', '2026-11-29 12:11+01')$$, 'BK001', null,
  'nobody else can hold the offered slot');

-- No answer in time: the next in line.
select is(private.process_waitlist('2026-11-29 12:19+01'), 0, 'the offer stands until it lapses');
select is(private.process_waitlist('2026-11-29 12:20+01'), 1, 'then it goes to the next');
select is((select (tests.entry('marie')).status), 'lapsed', 'the first offer lapsed');
select results_eq($$select (tests.entry('anna')).status, (tests.entry('anna')).offered_starts_at$$,
  $$values ('offered'::text, '2026-12-02 08:00+01'::timestamptz)$$, 'the second to join is offered the same slot');
select is((select count(*)::int from bookings where team_member_id = (select weber from ids) and status = 'held'
           and blocked_during && tstzrange('2026-12-02 08:00+01', '2026-12-02 09:00+01')), 1, 'one hold on that slot, never two');
select is((private.handle_waitlist_reply((select marie from ids), 'waitlist:accept:' || (tests.entry('marie')).id, '2026-11-29 12:21+01')) ->> 'action',
  'offer_over', 'accepting a lapsed offer books nothing');

-- Declined: the next in line (Lisa waits for Dr. Müller only, so Thomas).
select is((private.handle_waitlist_reply((select anna from ids), 'waitlist:decline:' || (tests.entry('anna')).id, '2026-11-29 12:22+01')) ->> 'action',
  'declined', 'declining releases the slot');
select is(private.process_waitlist('2026-11-29 12:22+01'), 1, 'and it is offered again');
select is((select (tests.entry('thomas')).status), 'offered', 'to the next matching customer');
select is((select (tests.entry('lisa')).status), 'waiting', 'not to one who waits for another team member');
select throws_ok($$select private.handle_waitlist_reply('c0000000-0000-4000-8000-000000000001', 'waitlist:accept:' || (tests.entry('thomas')).id, now())$$,
  'BK003', null, 'a customer cannot accept someone else''s offer');
create temporary table accepted as
  select private.handle_waitlist_reply(thomas, 'waitlist:accept:' || (tests.entry('thomas')).id, '2026-11-29 12:25+01') as r from ids;
select results_eq($$select status, starts_at, contact_id from bookings where id = ((select r from accepted) ->> 'booking_id')::uuid$$,
  $$select 'confirmed'::text, '2026-12-02 08:00+01'::timestamptz, thomas from ids$$, 'accepting books the slot for them');

-- A removed absence frees Dr. Müller's 3 December for Lisa; expiry at the window's end.
insert into team_member_absences (team_member_id, starts_on, ends_on) select mueller, '2026-12-03', '2026-12-03' from ids;
create temporary table lisa2 as
  select join_waitlist(lisa, cleaning, '2026-12-03 08:00+01', '2026-12-03 12:00+01', mueller, '2026-11-29 12:30+01') as id from ids;
delete from team_member_absences where team_member_id = (select mueller from ids) and starts_on = '2026-12-03';
select private.process_waitlist('2026-11-29 12:31+01');
select results_eq($$select status, offered_starts_at from waitlist_entries where id = (select id from lisa2)$$,
  $$values ('offered'::text, '2026-12-03 08:00+01'::timestamptz)$$, 'a removed absence is offered to the waiting customer');

-- Busy time a sync removed frees Dr. Schmidt's 4 December for Marc.
insert into calendar_busy_times (team_member_id, starts_at, ends_at) select schmidt, '2026-12-04 07:00+01', '2026-12-04 18:00+01' from ids;
create temporary table marc1 as
  select join_waitlist(marc, cleaning, '2026-12-04 09:00+01', '2026-12-04 11:00+01', schmidt, '2026-11-29 12:30+01') as id from ids;
delete from calendar_busy_times where team_member_id = (select schmidt from ids) and starts_at = '2026-12-04 07:00+01';
select private.process_waitlist('2026-11-29 12:32+01');
select results_eq($$select status, offered_starts_at from waitlist_entries where id = (select id from marc1)$$,
  $$values ('offered'::text, '2026-12-04 09:00+01'::timestamptz)$$, 'removed busy time is offered, within the customer''s window');

select private.process_waitlist('2026-12-02 12:00+01');
select is((select (tests.entry('lisa')).status), 'expired', 'an entry expires at its window''s end');

select * from finish();
rollback;
