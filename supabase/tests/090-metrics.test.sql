-- Success metrics over a small world whose every figure is computed by hand (in the comments),
-- and who may read them. Week of Monday 2027-02-01 (Europe/Zurich, +01), "now" 2027-02-10 12:00.
begin;
select plan(47);

-- The seed's team members sit this out (inactive, no bookings): only A and B count.
update team_members set is_active = false;
create temporary table w as select
  '7e000000-0000-4000-8000-00000000000a'::uuid as a, '7e000000-0000-4000-8000-00000000000b'::uuid as b,
  '7e000000-0000-4000-8000-00000000000c'::uuid as c,
  'ce000000-0000-4000-8000-000000000001'::uuid as c1, 'ce000000-0000-4000-8000-000000000002'::uuid as c2,
  'ce000000-0000-4000-8000-000000000003'::uuid as c3, 'ce000000-0000-4000-8000-000000000004'::uuid as c4,
  '50000000-0000-4000-8000-000000000001'::uuid as svc, '2027-02-10 12:00+01'::timestamptz as now;
grant select on w to public;

-- A works Mon-Fri 09-17 (480 min/day), B Mon-Fri 09-13 (240 min/day); C only on Sundays, all day.
insert into team_members (id, name, calendar_provider, calendar_source_url, working_hours, is_active)
select a, 'Metrics A', 'ical', 'https://cal.example/a.ics',
       '{"mon":[{"start":"09:00","end":"17:00"}],"tue":[{"start":"09:00","end":"17:00"}],"wed":[{"start":"09:00","end":"17:00"}],
         "thu":[{"start":"09:00","end":"17:00"}],"fri":[{"start":"09:00","end":"17:00"}]}'::jsonb, true from w
union all
select b, 'Metrics B', 'ical', 'https://cal.example/b.ics',
       '{"mon":[{"start":"09:00","end":"13:00"}],"tue":[{"start":"09:00","end":"13:00"}],"wed":[{"start":"09:00","end":"13:00"}],
         "thu":[{"start":"09:00","end":"13:00"}],"fri":[{"start":"09:00","end":"13:00"}]}', true from w
union all
select c, 'Metrics C', 'ical', 'https://cal.example/c.ics', '{"sun":[{"start":"00:00","end":"24:00"}]}', false from w;
insert into contacts (id, whatsapp_id, name)
select c1, '+41790000001', 'C1' from w union all select c2, '+41790000002', 'C2' from w
union all select c3, '+41790000003', 'C3' from w union all select c4, '+41790000004', 'C4' from w;

-- Week 2027-02-01: Thursday the business is closed, Friday A is away; A's calendar is busy
-- Tue 10-11 (60 min) and Wed 08:00-09:30 (30 min of it in working hours).
-- Bookable: A = 480 + 420 + 450 + 0 + 0 = 1350; B = 4 x 240 = 960; together 2310.
insert into business_closures (starts_on, ends_on, reason) values ('2027-02-04', '2027-02-04', 'Metrics test');
insert into team_member_absences (team_member_id, starts_on, ends_on) select a, '2027-02-05', '2027-02-05' from w;
insert into calendar_busy_times (team_member_id, starts_at, ends_at)
select a, '2027-02-02 10:00+01'::timestamptz, '2027-02-02 11:00+01'::timestamptz from w union all
select a, '2027-02-03 08:00+01', '2027-02-03 09:30+01' from w;

-- Ten counted bookings of 60 minutes (A 540 min, B 60 min) and one cancelled:
--  #  when        who  customer status     strategy      preferred  override_reason
--  1  Mon 09:00   A    C1       completed  preference    A
--  2  Mon 10:00   A    C2       completed  availability  -
--  3  Mon 11:00   A    C3       no_show    preference    A
--  4  Mon 12:00   A    C1       completed  preference    A
--  5  Mon 13:00   A    C4       completed  availability  B          preferred_unavailable
--  6  Mon 14:00   A    C2       no_show    manual        B          urgent_request
--  7  Tue 11:00   A    C3       confirmed  auto          A
--  8  Tue 12:00   A    C4       confirmed  manual        B          explicit_request
--  9  Wed 09:30   A    C1       confirmed  preference    A
-- 10  Mon 09:00   B    C4       completed  preference    B
-- 11  Tue 09:00   B    C2       cancelled  preference    B
create temporary table booked (n int, id uuid default gen_random_uuid());
grant select on booked to public;
insert into booked (n) select generate_series(1, 11);
insert into bookings (id, contact_id, service_id, team_member_id, starts_at, ends_at, status, assigned_strategy, preference_snapshot, source)
select bk.id, x.contact, w.svc, x.member, x.starts, x.starts + interval '1 hour', x.status, x.strategy,
       jsonb_build_object('preferred_ids', x.preferred) || coalesce(x.extra, '{}'), 'admin'
from w cross join lateral (values
  (1, w.c1, w.a, '2027-02-01 09:00+01'::timestamptz, 'completed', 'preference', jsonb_build_array(w.a), null::jsonb),
  (2, w.c2, w.a, '2027-02-01 10:00+01', 'completed', 'availability', '[]'::jsonb, null),
  (3, w.c3, w.a, '2027-02-01 11:00+01', 'no_show', 'preference', jsonb_build_array(w.a), null),
  (4, w.c1, w.a, '2027-02-01 12:00+01', 'completed', 'preference', jsonb_build_array(w.a), null),
  (5, w.c4, w.a, '2027-02-01 13:00+01', 'completed', 'availability', jsonb_build_array(w.b), '{"override_reason": "preferred_unavailable"}'),
  (6, w.c2, w.a, '2027-02-01 14:00+01', 'no_show', 'manual', jsonb_build_array(w.b), '{"override_reason": "urgent_request"}'),
  (7, w.c3, w.a, '2027-02-02 11:00+01', 'confirmed', 'auto', jsonb_build_array(w.a), null),
  (8, w.c4, w.a, '2027-02-02 12:00+01', 'confirmed', 'manual', jsonb_build_array(w.b), '{"override_reason": "explicit_request"}'),
  (9, w.c1, w.a, '2027-02-03 09:30+01', 'confirmed', 'preference', jsonb_build_array(w.a), null),
  (10, w.c4, w.b, '2027-02-01 09:00+01', 'completed', 'preference', jsonb_build_array(w.b), null),
  (11, w.c2, w.b, '2027-02-02 09:00+01', 'cancelled', 'preference', jsonb_build_array(w.b), null)
) x(n, contact, member, starts, status, strategy, preferred, extra)
join booked bk on bk.n = x.n;

-- ---- Preference satisfaction: 9 bookings with a preference (2 has none, 11 is cancelled), 6 with a
-- preferred member (1, 3, 4, 7, 9, 10); why not: 5 unavailable, 6 urgent, 8 explicit other.
select results_eq($$select bookings_with_preference, with_preferred_member, satisfaction_percent, not_preferred_unavailable,
                          not_preferred_urgent, not_preferred_explicit_other, not_preferred_other
                   from metrics_preference_satisfaction where period = 'week' and period_start = '2027-02-01' and breakdown = 'business'$$,
  $$values (9::bigint, 6::bigint, 66.7, 1::bigint, 1::bigint, 1::bigint, 0::bigint)$$,
  'preference satisfaction: 6 of 9 bookings with a preference went to a preferred member, with the reasons for the 3 others');
select results_eq($$select team_member, bookings_with_preference, with_preferred_member, satisfaction_percent
                   from metrics_preference_satisfaction where period = 'month' and period_start = '2027-02-01' and breakdown = 'team member'
                   order by team_member$$,
  $$values ('Metrics A'::text, 8::bigint, 5::bigint, 62.5), ('Metrics B', 1, 1, 100.0)$$,
  'per team member: A 5 of 8, B 1 of 1');
select results_eq($$select assigned_strategy, bookings_with_preference, satisfaction_percent
                   from metrics_preference_satisfaction where period = 'week' and period_start = '2027-02-01' and breakdown = 'strategy'
                   order by assigned_strategy$$,
  $$values ('auto'::text, 1::bigint, 100.0), ('availability', 1, 0.0), ('manual', 2, 0.0), ('preference', 5, 100.0)$$,
  'per strategy: every "preference" booking satisfied, overrides not');

-- ---- Utilisation (week): A 540/1350 = 40.0 %, B 60/960 = 6.25 %, business 600/2310 = 26.0 %.
-- Shares: A booked 90 % of the time with 58.4 % of the bookable time (load 1.54: overloaded), B
-- 10 % with 41.6 % (load 0.24: under-used). Dispersion: mean 0.23125, sd 0.16875, cv 0.730.
select results_eq($$select team_member, bookings, booked_minutes, bookable_minutes, utilisation_percent, share_of_booked_percent,
                          share_of_bookable_percent, load_ratio, utilisation_dispersion, flag
                   from metrics_utilisation where period = 'week' and period_start = '2027-02-01' order by breakdown, team_member$$,
  $$values ('All team members'::text, 10::bigint, 600::bigint, 2310::bigint, 26.0, 100.0, 100.0, 1.00, 0.730, null::text),
           ('Metrics A', 9, 540, 1350, 40.0, 90.0, 58.4, 1.54, 0.730, 'overloaded'),
           ('Metrics B', 1, 60, 960, 6.3, 10.0, 41.6, 0.24, 0.730, 'under-used')$$,
  'utilisation per member and for the team: working hours minus closure, absence and calendar busy time; shares and flags');
-- Month: A 20 weekdays x 480 - closure 480 - absence 480 - busy 90 = 8550; B 20 x 240 - 240 = 4560.
select results_eq($$select team_member, bookable_minutes, utilisation_percent, utilisation_dispersion
                   from metrics_utilisation where period = 'month' and period_start = '2027-02-01' order by breakdown, team_member$$,
  $$values ('All team members'::text, 13110::bigint, 4.6, 0.655), ('Metrics A', 8550, 6.3, 0.655), ('Metrics B', 4560, 1.3, 0.655)$$,
  'over the month every working day counts');
-- DST: C works all Sunday; on 2027-03-28 (clocks go forward) that day has 23 hours.
insert into bookings (contact_id, service_id, team_member_id, starts_at, ends_at, status, source)
select c1, svc, c, '2027-03-28 10:00+02', '2027-03-28 11:00+02', 'completed', 'admin' from w;
select results_eq($$select bookable_minutes, utilisation_percent from metrics_utilisation
                   where period = 'week' and period_start = '2027-03-22' and team_member = 'Metrics C'$$,
  $$values (1380::bigint, 4.3)$$, 'the spring-forward Sunday has 23 working hours (1380 minutes), not 24');
select is((select count(*)::int from metrics_utilisation where team_member = 'Metrics C' and period = 'week' and period_start = '2027-02-01'),
  0, 'an inactive member without bookings in a period is not listed (nor counted as under-used)');
update business_settings set utilisation_tolerance_percent = 60;
select is((select flag from metrics_utilisation where period = 'week' and period_start = '2027-02-01' and team_member = 'Metrics A'),
  'even', 'with a 60 % tolerance a load of 1.54 counts as even');
update business_settings set utilisation_tolerance_percent = 25;

-- ---- Repeat bookings (week): every customer's first booking is this week (4 new); 6 returning
-- bookings (4, 9, 6, 7, 5, 8), 5 with the same member as last time (5: C4 went from B to A).
select results_eq($$select team_member, bookings, new_customers, returning_customers, returning_bookings, same_member_as_previous,
                          repeat_booking_percent
                   from metrics_repeat_bookings where period = 'week' and period_start = '2027-02-01' order by breakdown, team_member$$,
  $$values ('All team members'::text, 10::bigint, 4::bigint, 4::bigint, 6::bigint, 5::bigint, 83.3),
           ('Metrics A', 9, 3, 4, 6, 5, 83.3), ('Metrics B', 1, 1, 0, 0, 0, null::numeric)$$,
  'repeat booking rate and new vs returning customers');

-- ---- No-shows: outcomes known for 1, 2, 3, 4, 5, 6 (A) and 10 (B): 2 no-shows (3, 6), all on Monday.
select results_eq($$select breakdown, coalesce(team_member, weekday), appointments, no_shows, no_show_percent
                   from metrics_no_shows where period = 'week' and period_start = '2027-02-01' order by breakdown, 2$$,
  $$values ('business'::text, 'All team members'::text, 7::bigint, 2::bigint, 28.6),
           ('team member', 'Metrics A', 6, 2, 33.3), ('team member', 'Metrics B', 1, 0, 0.0),
           ('weekday', 'Monday', 7, 2, 28.6)$$,
  'no-show rate per team member and per weekday');

-- ---- Ratings: 1 -> 5, 2 -> 4, 4 -> 3, 5 -> 2 (preference overridden), 10 -> 5.
select record_booking_rating(bk.id, r.rating, null, 'admin', w.now)
from booked bk cross join w join (values (1, 5), (2, 4), (4, 3), (5, 2), (10, 1)) r(n, rating) on r.n = bk.n;
select lives_ok($$select record_booking_rating(id, 5, ' Sehr gut ', 'whatsapp', (select now from w)) from booked where n = 10$$,
  'a second rating of the same booking replaces the first');
select results_eq($$select breakdown, coalesce(team_member, assigned_strategy, preference_outcome), ratings, average_rating, low_ratings
                   from metrics_customer_satisfaction where period = 'month' and period_start = '2027-02-01' order by 1, 2$$,
  $$values ('business'::text, 'All team members'::text, 5::bigint, 3.80, 1::bigint),
           ('preference', 'no preference', 1, 4.00, 0), ('preference', 'preference overridden', 1, 2.00, 1),
           ('preference', 'preferred member', 3, 4.33, 0),
           ('strategy', 'availability', 2, 3.00, 1), ('strategy', 'preference', 3, 4.33, 0),
           ('team member', 'Metrics A', 4, 3.50, 1), ('team member', 'Metrics B', 1, 5.00, 0)$$,
  'satisfaction per member, per strategy and by preference outcome: the overridden customer rated lowest');
select is((select comment from booking_ratings r join booked bk on bk.id = r.booking_id where bk.n = 10), 'Sehr gut', 'the comment is kept, trimmed');
select throws_ok($$select record_booking_rating(id, 4) from booked where n = 7$$, 'BK004',
  'invalid_request: only an appointment that took place can be rated (this booking is still ahead)', 'a future appointment cannot be rated');
select throws_ok($$select record_booking_rating(id, 4) from booked where n = 11$$, 'BK004', null, 'a cancelled one neither');
select throws_ok($$select record_booking_rating(id, 6) from booked where n = 1$$, 'BK004',
  'invalid_request: a rating is a whole number from 1 to 5', 'a rating outside 1-5 is refused');
select throws_ok($$select record_booking_rating(id, 3, repeat('x', 2001)) from booked where n = 1$$, 'BK004', null, 'so is a 2001-character comment');
select throws_ok($$select record_booking_rating(gen_random_uuid(), 3)$$, 'BK003', null, 'an unknown booking is refused');
select is((select rating from booking_ratings r join booked bk on bk.id = r.booking_id where bk.n = 1), 5::smallint,
  'and refused ratings changed nothing');

-- ---- Booking time: four conversations booked this week after 10, 20, 30 and 100 minutes:
-- p50 = 25, p90 = 30 + 0.7 x 70 = 79. Availability answers 5, 10, 15, 20, 200 ms: p50 15, p90 128.
insert into conversation_timings (contact_id, started_at, last_message_at, booked_at)
select c1, '2027-02-02 10:00+01'::timestamptz, '2027-02-02 10:00+01'::timestamptz, '2027-02-02 10:00+01'::timestamptz + make_interval(mins => m)
from w cross join unnest(array[10, 20, 30, 100]) m;
select private.record_availability_query(ms, 3, c1, svc, '2027-02-03 10:00+01') from w cross join unnest(array[5, 10, 15, 20, 200]) ms;
select results_eq($$select booked_conversations, booking_minutes_p50, booking_minutes_p90, availability_queries,
                          availability_query_ms_p50, availability_query_ms_p90
                   from metrics_booking_time where period = 'week' and period_start = '2027-02-01'$$,
  $$values (4::bigint, 25.0, 79.0, 5::bigint, 15.0, 128.0)$$, 'booking time and availability query time, p50 and p90');
select throws_ok($$select private.record_availability_query(-1)$$, 'BK004', null, 'a negative duration is refused');
select throws_ok($$select private.record_availability_query(5, 1, null, null, 'infinity')$$, 'BK004', null, 'an infinite time is refused');

-- The conversation's recording: messages open or continue a conversation; the confirmed WhatsApp
-- booking closes it (12 minutes after the first message).
create temporary table conv as select private.record_conversation_message(c2, '2027-01-25 10:00+01') as first,
  private.record_conversation_message(c2, '2027-01-25 10:05+01') as second from w;
select is((select first = second from conv), true, 'a second message within the conversation continues it');
create temporary table late_booking as select gen_random_uuid() as id;
insert into bookings (id, contact_id, service_id, team_member_id, starts_at, ends_at, status, source, created_at)
select (select id from late_booking), c2, svc, b, '2027-06-07 10:00+02', '2027-06-07 11:00+02', 'confirmed', 'whatsapp', '2027-01-25 10:12+01' from w;
select results_eq($$select booking_id, booked_at - started_at from conversation_timings where id = (select first from conv)$$,
  $$select id, interval '12 minutes' from late_booking$$, 'the confirmed WhatsApp booking ends the conversation: 12 minutes');
select isnt(private.record_conversation_message(c2, '2027-01-25 10:20+01'), (select first from conv),
  'after the booking, a new message starts a new conversation') from w;
select isnt(private.record_conversation_message(c3, '2027-01-27 10:00+01'), private.record_conversation_message(c3, '2027-01-28 10:01+01'),
  'a conversation idle for more than 24 hours is over') from w;
insert into bookings (contact_id, service_id, team_member_id, starts_at, ends_at, status, source, created_at)
select c3, svc, b, '2027-06-08 10:00+02', '2027-06-08 11:00+02', 'confirmed', 'admin', '2027-01-28 10:05+01' from w;
select is((select count(*)::int from conversation_timings where contact_id = (select c3 from w) and booked_at is not null), 0,
  'a booking an admin made does not count as the conversation''s booking');

-- ---- Calendar sync attempts through the real bookkeeping, "now" 2027-02-10 12:00:
-- A: Jan 01 synced (2 events), Jan 05 ok, Jan 20 10:00 fail, 10:30 fail, 11:00 ok (recovered after 60 min),
--    Feb 05 09:00 fail (404), 09:20 ok (20 min), Feb 08 ok, Feb 10 13:00 ok (after now: not counted).
-- B: Feb 09 synced (its first read).
select replace_busy_times(a, '2027-05-01', '2027-05-31',
  '[{"starts_at": "2027-05-03T10:00:00+02:00", "ends_at": "2027-05-03T11:00:00+02:00"},
    {"starts_at": "2027-05-04T10:00:00+02:00", "ends_at": "2027-05-04T11:00:00+02:00"}]', null, null, 0, 250, '2027-01-01 10:00+01') from w;
select mark_calendar_unchanged(a, 40, '2027-01-05 10:00+01') from w;
select record_sync_failure(a, 'calendar server did not answer within 15 s', 0, '2027-01-20 10:00+01') from w;
select record_sync_failure(a, 'calendar server did not answer within 15 s', 0, '2027-01-20 10:30+01') from w;
select mark_calendar_unchanged(a, 0, '2027-01-20 11:00+01') from w;
select record_sync_failure(a, 'calendar address no longer valid (HTTP 404)', 0, '2027-02-05 09:00+01') from w;
select mark_calendar_unchanged(a, 0, '2027-02-05 09:20+01') from w;
select mark_calendar_unchanged(a, 0, '2027-02-08 10:00+01') from w;
select mark_calendar_unchanged(a, 0, '2027-02-10 13:00+01') from w;
select replace_busy_times(b, '2027-05-01', '2027-05-31', '[]', null, null, 0, 0, '2027-02-09 10:00+01') from w;
select results_eq($$select outcome, error_class, events_read, duration_ms, recovery_seconds from calendar_sync_attempts
                   where team_member_id = (select a from w) and finished_at < '2027-01-21' order by finished_at$$,
  $$values ('synced'::text, null::text, 2, 250, null::int), ('unchanged', null, null, 40, null),
           ('failed', 'timeout', null, 0, null), ('failed', 'timeout', null, 0, null), ('unchanged', null, null, 0, 3600)$$,
  'every attempt is recorded: outcome, error class, events read, duration, time to recovery');
select results_eq($$select breakdown, team_member, attempts_7_days, success_percent_7_days, recoveries_7_days, mean_time_to_recovery_minutes_7_days,
                          attempts_30_days, success_percent_30_days, recoveries_30_days, mean_time_to_recovery_minutes_30_days,
                          last_error_class_30_days
                   from metrics_calendar_sync_at((select now from w)) where team_member in ('Metrics A', 'Metrics B', 'All team members')$$,
  $$values ('team member'::text, 'Metrics A'::text, 3::bigint, 66.7, 1::bigint, 20.0, 6::bigint, 50.0, 2::bigint, 40.0, 'not_found'::text),
           ('team member', 'Metrics B', 1, 100.0, 0, null, 1, 100.0, 0, null, null),
           ('business', 'All team members', 4, 75.0, 1, 20.0, 7, 57.1, 2, 40.0, 'not_found')$$,
  'sync success rate and mean time to recovery over 7 and 30 days');
select admin_set_calendar_secret(a, 'https://cal.example/private-feedbeefcafe1234/basic.ics') from w;
select record_sync_failure(a, 'GET https://cal.example/private-feedbeefcafe1234/basic.ics failed: HTTP 500', 0, '2027-02-10 14:00+01') from w;
select is((select count(*)::int from calendar_sync_attempts t where t::text like '%feedbeefcafe1234%'), 0,
  'a sync attempt never holds the calendar secret');
select is((select error_class from calendar_sync_attempts where team_member_id = (select a from w) order by finished_at desc limit 1),
  'server_error', 'that failure is a server error');
select results_eq($$select x, private.sync_error_class(x) from unnest(array['CalDAV server refused the credentials (HTTP 401)',
  'calendar feed is larger than 10 MB', 'calendar feed is not an iCalendar file', 'calendar server could not be reached',
  'google calendars are not supported yet', 'calendar sync failed unexpectedly']) x$$,
  $$values ('CalDAV server refused the credentials (HTTP 401)'::text, 'unauthorized'::text), ('calendar feed is larger than 10 MB', 'too_large'),
           ('calendar feed is not an iCalendar file', 'invalid_feed'), ('calendar server could not be reached', 'unreachable'),
           ('google calendars are not supported yet', 'configuration'), ('calendar sync failed unexpectedly', 'other')$$,
  'the calendar-sync function''s error messages fall into their classes');

-- ---- The month at a glance, Feb 2027 beside Jan 2027.
-- Sync: Feb up to now 4 attempts, 3 ok = 75.0; Jan 5 attempts, 3 ok = 60.0. Booking time: Feb 25.0,
-- Jan 12.0 (the WhatsApp booking above).
select results_eq($$select kpi, current_month, previous_month, change from business_kpis_at((select now from w))$$,
  $$values ('Bookings'::text, 10::numeric, null::numeric, null::numeric), ('New customers', 4, null, null),
           ('Repeat booking rate (same member as last time)', 83.3, null, null), ('Preference satisfaction rate', 66.7, null, null),
           ('Utilisation', 4.6, null, null), ('Utilisation dispersion (0 = even)', 0.655, null, null),
           ('No-show rate', 28.6, null, null), ('Average rating', 3.80, null, null),
           ('Booking time p50 (first message to booking)', 25.0, 12.0, 13.0), ('Availability query time p90', 128.0, null, null),
           ('Calendar sync success rate', 75.0, 60.0, 15.0)$$,
  'business_kpis: the current month beside the previous one');
select is((select count(*)::int from business_kpis), 11, 'the business_kpis view answers for today');

-- ---- Who may read the metrics: admins, the service role, Studio. Not team members, customers, anon.
create function pg_temp.readable_metrics() returns text[] language plpgsql as $$
declare
  v text;
  v_readable text[] := '{}';
begin
  foreach v in array array['metrics_preference_satisfaction', 'metrics_utilisation', 'metrics_calendar_sync', 'metrics_booking_time',
                           'metrics_customer_satisfaction', 'metrics_repeat_bookings', 'metrics_no_shows', 'business_kpis'] loop
    begin
      execute format('select count(*) from public.%I', v);
      v_readable := v_readable || v;
    exception when insufficient_privilege then
      null;
    end;
  end loop;
  return v_readable;
end
$$;
grant execute on function pg_temp.readable_metrics() to public;
update team_members set user_id = tests.create_supabase_user('metrics_member') where id = (select a from w);
select tests.create_supabase_user('metrics_customer');
select tests.create_supabase_user('metrics_admin', '{"role": "admin"}');
select tests.authenticate_as('metrics_member');
select is(pg_temp.readable_metrics(), '{}'::text[], 'a team member reads none of the KPI views');
select throws_ok($$select * from metrics_utilisation$$, '42501', 'metrics are for admins only', 'and is told why');
select throws_ok($$select * from business_kpis_at(now())$$, '42501', 'metrics are for admins only', 'nor the KPI function');
select tests.clear_authentication();
select tests.authenticate_as('metrics_customer');
select is(pg_temp.readable_metrics(), '{}'::text[], 'a signed-in customer reads none of them');
select is((select count(*)::int from booking_ratings), 0, 'nor the ratings table');
select tests.clear_authentication();
select tests.authenticate_as_role('anon');
select is(pg_temp.readable_metrics(), '{}'::text[], 'anon reads none of them');
select tests.clear_authentication();
select tests.authenticate_as('metrics_admin');
select is(cardinality(pg_temp.readable_metrics()), 8, 'an admin reads all eight');
select results_eq($$select utilisation_percent from metrics_utilisation where period = 'week' and period_start = '2027-02-01' and breakdown = 'business'$$,
  $$values (26.0)$$, 'and sees the same figures as Studio');
select tests.clear_authentication();
select tests.authenticate_as_role('service_role');
select is(cardinality(pg_temp.readable_metrics()), 8, 'so does the service role');
select tests.clear_authentication();

-- ---- Studio shows a comment on everything added here.
select is(array(select c.relname::text from pg_class c join pg_namespace n on n.oid = c.relnamespace
                where n.nspname = 'public' and c.relname in ('calendar_sync_attempts', 'conversation_timings', 'availability_query_log',
                      'booking_ratings', 'metrics_preference_satisfaction', 'metrics_utilisation', 'metrics_calendar_sync',
                      'metrics_booking_time', 'metrics_customer_satisfaction', 'metrics_repeat_bookings', 'metrics_no_shows', 'business_kpis')
                  and obj_description(c.oid, 'pg_class') is null), '{}'::text[], 'every metrics table and view has a comment');
select is(array(select c.relname || '.' || a.attname from pg_class c join pg_namespace n on n.oid = c.relnamespace
                join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
                where n.nspname = 'public' and (c.relname like 'metrics\_%' or c.relname = 'business_kpis')
                  and col_description(c.oid, a.attnum) is null), '{}'::text[], 'and every view column');
select is(array(select c.relname || '.' || a.attname from pg_class c join pg_namespace n on n.oid = c.relnamespace
                join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
                where n.nspname = 'public' and c.relname in ('calendar_sync_attempts', 'conversation_timings', 'availability_query_log', 'booking_ratings')
                  and col_description(c.oid, a.attnum) is null), '{}'::text[], 'and every table column');
select ok((select relrowsecurity from pg_class where oid = 'public.booking_ratings'::regclass)
          and (select relrowsecurity from pg_class where oid = 'public.calendar_sync_attempts'::regclass)
          and (select relrowsecurity from pg_class where oid = 'public.conversation_timings'::regclass)
          and (select relrowsecurity from pg_class where oid = 'public.availability_query_log'::regclass), 'row-level security is on for the new tables');

select * from finish();
rollback;
