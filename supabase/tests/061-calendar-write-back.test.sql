-- Write-back queue: bookings of a team member with a read-write calendar are queued for their
-- calendar in the booking's own transaction.
begin;
select plan(7);

update team_members set calendar_provider = 'caldav', calendar_source_url = 'https://dav.example/calendars/weber/work/'
where id = '70000000-0000-4000-8000-000000000001';
-- A new calendar is bookable once read in full (issue #14): its first sync, with no busy times.
select replace_busy_times('70000000-0000-4000-8000-000000000001', '2026-11-30', '2026-12-31', '[]', p_now => '2026-12-01 11:00+01');
create temporary table b as
  select book_appointment('c0000000-0000-4000-8000-000000000001', '50000000-0000-4000-8000-000000000001',
    '70000000-0000-4000-8000-000000000001', '2026-12-08 10:00+01', 'preference', p_now => '2026-12-01 12:00+01') as id;
select results_eq($$select action from calendar_writeback_queue where booking_id = (select id from b)$$, array['upsert'],
  'a confirmed booking of a CalDAV team member is queued for their calendar');
select ok(exists (select 1 from net.http_request_queue where url like '%/functions/v1/calendar-sync'
                  and convert_from(body, 'UTF8')::jsonb = '{"writeBack": true}'), 'and calendar-sync is woken to write it');
create temporary table claimed as select * from claim_calendar_writebacks(10, '2026-12-01 12:00+01');
select results_eq($$select action, booking_id, starts_at, service_name, customer_name from claimed$$,
  $$select 'upsert'::text, (select id from b), '2026-12-08 10:00+01'::timestamptz, 'Dental Cleaning'::text, 'Marie Schmidt'::text$$,
  'the function claims it with what the event needs');
select is((select count(*)::int from claim_calendar_writebacks(10, '2026-12-01 12:00+01')), 0, 'a claimed write is not handed out twice');
select complete_calendar_writeback(queue_id, 'https://dav.example/calendars/weber/work/booking-1.ics') from claimed;
select is((select external_event_id from bookings where id = (select id from b)), 'https://dav.example/calendars/weber/work/booking-1.ics',
  'a completed write stores the event address on the booking');
select cancel_booking((select id from b), '2026-12-01 12:30+01');
select results_eq($$select action, event_href from calendar_writeback_queue where booking_id = (select id from b)$$,
  $$values ('delete'::text, 'https://dav.example/calendars/weber/work/booking-1.ics'::text)$$,
  'cancelling queues the deletion of that event');
select book_appointment('c0000000-0000-4000-8000-000000000002', '50000000-0000-4000-8000-000000000001',
  '70000000-0000-4000-8000-000000000002', '2026-12-08 10:00+01', 'auto', p_now => '2026-12-01 12:00+01');
select is((select count(*)::int from calendar_writeback_queue q join bookings k on k.id = q.booking_id
           where k.team_member_id = '70000000-0000-4000-8000-000000000002'), 0, 'read-only (iCal) calendars get nothing queued');

select * from finish();
rollback;
