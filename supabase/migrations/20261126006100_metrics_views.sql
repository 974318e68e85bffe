-- Success metrics (guide, "Success Metrics" and "Analytics") as views admins open in Studio.
--
-- Periods are business-local: week (starting Monday) and month; every view has `period`
-- ('week' | 'month') and `period_start` (a date). `breakdown` says what a row summarises:
-- 'business' (everyone), 'team member', 'strategy', 'weekday', 'preference'.
-- A booking "counts" when it was made and not cancelled: confirmed, completed or no_show.
--
-- Access: admins, the service role and direct SQL (Studio). The views are security_invoker (the
-- caller's row-level security applies) and each starts with private.metrics_reader_check(), which
-- refuses everyone else with a clear error rather than showing a team member their own slice.
-- Views that depend on "now" are thin wrappers of *_at(p_now) functions, so tests fix the clock.
--
-- Each view's query lives in private.<view>_rows and is read through private.<view>(), a
-- security-definer SQL function (API users have no USAGE on `private`; the caller is checked
-- first, and admins see every row anyway) with `set jit = off`: the planner's row guesses for generate_series, jsonb arrays and
-- grouping sets are large, and JIT-compiling these plans costs seconds while running them takes
-- milliseconds (the same reason compute_slots turns JIT off).

create or replace function private.metrics_reader_check() returns boolean
language plpgsql stable security definer set search_path = ''
as $$
begin
  if not private.is_trusted_caller() then
    raise exception 'metrics are for admins only' using errcode = 'insufficient_privilege';
  end if;
  return true;
end
$$;
comment on function private.metrics_reader_check() is 'Returns true for admins, the service role and direct SQL; raises for everyone else (used by the metrics views).';
revoke all on function private.metrics_reader_check() from public, anon;
grant execute on function private.metrics_reader_check() to authenticated, service_role;

-- The window of time the views cover: everything, unless business_kpis_at narrows it to the two
-- months it shows (transaction-local settings, so the views stay plain, plannable views).
-- Plain SQL without SET (only pg_catalog is used), so the planner inlines them.
create or replace function private.metrics_window_start() returns timestamptz
language sql stable
as $$ select coalesce(nullif(pg_catalog.current_setting('metrics.window_start', true), ''), '-infinity')::timestamptz $$;
create or replace function private.metrics_window_end() returns timestamptz
language sql stable
as $$ select coalesce(nullif(pg_catalog.current_setting('metrics.window_end', true), ''), 'infinity')::timestamptz $$;
comment on function private.metrics_window_start() is 'Start of the time the metrics views cover (-infinity unless business_kpis_at narrows it).';
comment on function private.metrics_window_end() is 'End of the time the metrics views cover (infinity unless business_kpis_at narrows it).';
revoke all on function private.metrics_window_start(), private.metrics_window_end() from public, anon;
grant execute on function private.metrics_window_start(), private.metrics_window_end() to service_role;

-- Indexes the metrics read by time (a year of history stays fast).
create index if not exists bookings_starts_idx on public.bookings (starts_at);

-- ---------------------------------------------------------------------------------------------
create or replace view private.metrics_preference_satisfaction_rows with (security_invoker = true) as
with counted as (
  select b.team_member_id, b.assigned_strategy,
         (b.preference_snapshot -> 'preferred_ids') ? b.team_member_id::text as satisfied,
         case
           when (b.preference_snapshot -> 'preferred_ids') ? b.team_member_id::text then null
           when b.preference_snapshot ->> 'override_reason' ilike 'urgent%' then 'urgent'
           when b.preference_snapshot ->> 'override_reason' in ('explicit_request', 'customer_request', 'customer_choice',
                                                               'customer_override', 'anyone_available') then 'explicit_other'
           when b.preference_snapshot ->> 'override_reason' = 'preferred_unavailable'
                or (b.preference_snapshot ->> 'override_reason' is null and b.assigned_strategy = 'availability') then 'unavailable'
           else 'other'
         end as reason,
         b.starts_at at time zone st.time_zone as local_start
  from public.bookings b
  cross join public.business_settings st
  where b.status in ('confirmed', 'completed', 'no_show')
    and b.starts_at >= (select private.metrics_window_start()) and b.starts_at < (select private.metrics_window_end())
    and jsonb_typeof(b.preference_snapshot -> 'preferred_ids') = 'array'
    and jsonb_array_length(b.preference_snapshot -> 'preferred_ids') > 0
),
grouped as (
  select p.period, p.period_start,
         case when grouping(c.team_member_id) = 0 then 'team member'
              when grouping(c.assigned_strategy) = 0 then 'strategy' else 'business' end as breakdown,
         c.team_member_id, c.assigned_strategy,
         count(*) as bookings_with_preference,
         count(*) filter (where c.satisfied) as with_preferred_member,
         count(*) filter (where c.reason = 'unavailable') as not_preferred_unavailable,
         count(*) filter (where c.reason = 'urgent') as not_preferred_urgent,
         count(*) filter (where c.reason = 'explicit_other') as not_preferred_explicit_other,
         count(*) filter (where c.reason = 'other') as not_preferred_other
  from counted c
  cross join lateral (values ('week', date_trunc('week', c.local_start)::date),
                             ('month', date_trunc('month', c.local_start)::date)) p(period, period_start)
  group by grouping sets ((p.period, p.period_start, c.team_member_id), (p.period, p.period_start, c.assigned_strategy),
                          (p.period, p.period_start))
)
select g.period, g.period_start, g.breakdown, g.team_member_id,
       case g.breakdown when 'team member' then coalesce(m.name::text, '(no team member)') when 'business' then 'All team members' end as team_member,
       g.assigned_strategy, g.bookings_with_preference, g.with_preferred_member,
       round(100.0 * g.with_preferred_member / g.bookings_with_preference, 1) as satisfaction_percent,
       g.not_preferred_unavailable, g.not_preferred_urgent, g.not_preferred_explicit_other, g.not_preferred_other
from grouped g
left join public.team_members m on m.id = g.team_member_id;
comment on view private.metrics_preference_satisfaction_rows is 'The query behind public.metrics_preference_satisfaction (read it through that view).';
create or replace function private.metrics_preference_satisfaction() returns setof private.metrics_preference_satisfaction_rows
language sql stable security definer set search_path = '' set jit = off
as $$ select * from private.metrics_preference_satisfaction_rows where (select private.metrics_reader_check()) $$;
comment on function private.metrics_preference_satisfaction() is 'Rows of public.metrics_preference_satisfaction, planned without JIT (see the top of this file).';
revoke all on function private.metrics_preference_satisfaction() from public, anon;
grant execute on function private.metrics_preference_satisfaction() to authenticated, service_role;
revoke all on private.metrics_preference_satisfaction_rows from public, anon;
revoke all on private.metrics_preference_satisfaction_rows from authenticated;
grant select on private.metrics_preference_satisfaction_rows to service_role;
create or replace view public.metrics_preference_satisfaction with (security_invoker = true) as
select * from private.metrics_preference_satisfaction() where (select private.metrics_reader_check());
comment on view public.metrics_preference_satisfaction is
  'Preference satisfaction rate: of bookings whose customer had a preference at booking time (the snapshot), the share with a preferred team member; per week/month, for the business, per team member and per strategy, with why not (preferred unavailable, urgent, explicit request for someone else). Admins only.';
comment on column public.metrics_preference_satisfaction.period is 'week (Monday start) or month, business-local.';
comment on column public.metrics_preference_satisfaction.period_start is 'First day of the week or month.';
comment on column public.metrics_preference_satisfaction.breakdown is 'business (everyone), team member or strategy: what this row summarises.';
comment on column public.metrics_preference_satisfaction.team_member_id is 'The team member (breakdown = team member).';
comment on column public.metrics_preference_satisfaction.team_member is 'Their name, or All team members.';
comment on column public.metrics_preference_satisfaction.assigned_strategy is 'How the member was chosen (breakdown = strategy).';
comment on column public.metrics_preference_satisfaction.bookings_with_preference is 'Bookings (confirmed, completed, no-show) whose customer had at least one preferred team member then.';
comment on column public.metrics_preference_satisfaction.with_preferred_member is 'Of those, bookings with one of the preferred team members.';
comment on column public.metrics_preference_satisfaction.satisfaction_percent is 'with_preferred_member / bookings_with_preference, in percent.';
comment on column public.metrics_preference_satisfaction.not_preferred_unavailable is 'Not with a preferred member because none was available (override_reason preferred_unavailable).';
comment on column public.metrics_preference_satisfaction.not_preferred_urgent is 'Not with a preferred member because the customer needed the earliest slot (override_reason urgent...).';
comment on column public.metrics_preference_satisfaction.not_preferred_explicit_other is 'Not with a preferred member because the customer asked for someone else or anyone.';
comment on column public.metrics_preference_satisfaction.not_preferred_other is 'Not with a preferred member for another or unrecorded reason.';

-- ---------------------------------------------------------------------------------------------
-- Utilisation: booked minutes / bookable minutes. Bookable = working hours (own or the business
-- default) on days without absence or closure, minus calendar busy time; computed per member and
-- business-local day over the weeks and months that have bookings.
create or replace view private.metrics_utilisation_rows with (security_invoker = true) as
with st as (
  select time_zone as tz, default_working_hours, utilisation_tolerance_percent / 100.0 as tolerance
  from public.business_settings where id
),
counted as (
  select b.team_member_id, (b.starts_at at time zone st.tz)::date as day,
         extract(epoch from b.ends_at - b.starts_at) / 60.0 as minutes
  from public.bookings b cross join st
  where b.status in ('confirmed', 'completed', 'no_show') and b.team_member_id is not null
    and b.starts_at >= (select private.metrics_window_start()) and b.starts_at < (select private.metrics_window_end())
),
span as (
  select least(date_trunc('week', min(day)), date_trunc('month', min(day)))::date as first_day,
         greatest(date_trunc('week', max(day)) + interval '6 days',
                  date_trunc('month', max(day)) + interval '1 month' - interval '1 day')::date as last_day
  from counted
),
days as (
  select d::date as day, private.weekday_key(d::date) as key
  from span cross join generate_series(span.first_day::timestamp, span.last_day::timestamp, interval '1 day') d
  where not exists (select 1 from public.business_closures c where d::date between c.starts_on and c.ends_on)
),
members as (
  select m.id, m.is_active, coalesce(m.working_hours, st.default_working_hours) as hours
  from public.team_members m cross join st
  where not m.is_general_calendar
),
work as (
  select mem.id as team_member_id, days.day,
         range_agg(tstzrange((days.day + (iv ->> 'start')::time) at time zone st.tz,
                             (case when iv ->> 'end' = '24:00' then (days.day + 1)::timestamp
                                   else days.day + (iv ->> 'end')::time end) at time zone st.tz)) as ranges
  from members mem
  cross join days cross join st
  cross join lateral jsonb_array_elements(coalesce(mem.hours -> days.key, '[]'::jsonb)) iv
  where not exists (select 1 from public.team_member_absences a
                    where a.team_member_id = mem.id and days.day between a.starts_on and a.ends_on)
  group by mem.id, days.day
),
busy as (
  select bt.team_member_id, d::date as day, range_agg(bt.during) as ranges
  from public.calendar_busy_times bt
  cross join st cross join span
  cross join lateral generate_series(greatest((bt.starts_at at time zone st.tz)::date, span.first_day)::timestamp,
                                     least(((bt.ends_at - interval '1 microsecond') at time zone st.tz)::date, span.last_day)::timestamp,
                                     interval '1 day') d
  where bt.ends_at > span.first_day::timestamp at time zone st.tz
    and bt.starts_at < (span.last_day + 1)::timestamp at time zone st.tz
  group by bt.team_member_id, d::date
),
bookable as (
  select w.team_member_id, w.day,
         (select coalesce(sum(extract(epoch from upper(r) - lower(r))), 0) / 60.0
          from unnest(w.ranges - coalesce(bz.ranges, '{}'::tstzmultirange)) r) as minutes
  from work w left join busy bz on bz.team_member_id = w.team_member_id and bz.day = w.day
),
booked as (
  select team_member_id, day, sum(minutes) as minutes, count(*) as bookings from counted group by team_member_id, day
),
per_day as (
  select coalesce(bk.team_member_id, bd.team_member_id) as team_member_id, coalesce(bk.day, bd.day) as day,
         coalesce(bd.minutes, 0) as bookable_minutes, coalesce(bk.minutes, 0) as booked_minutes,
         coalesce(bk.bookings, 0) as bookings
  from bookable bd full join booked bk on bk.team_member_id = bd.team_member_id and bk.day = bd.day
),
per_member as (
  select p.period, p.period_start, d.team_member_id,
         sum(d.bookings)::bigint as bookings, sum(d.booked_minutes) as booked_minutes, sum(d.bookable_minutes) as bookable_minutes
  from per_day d
  join members mem on mem.id = d.team_member_id
  cross join lateral (values ('week', date_trunc('week', d.day)::date), ('month', date_trunc('month', d.day)::date)) p(period, period_start)
  group by p.period, p.period_start, d.team_member_id
  having bool_or(mem.is_active) or sum(d.booked_minutes) > 0
),
shares as (
  select pm.*,
         pm.booked_minutes / nullif(pm.bookable_minutes, 0) as utilisation,
         pm.booked_minutes / nullif(sum(pm.booked_minutes) over w, 0) as booked_share,
         pm.bookable_minutes / nullif(sum(pm.bookable_minutes) over w, 0) as bookable_share
  from per_member pm
  window w as (partition by pm.period, pm.period_start)
),
rows as (
  select s.period, s.period_start, 'team member' as breakdown, s.team_member_id, s.bookings, s.booked_minutes, s.bookable_minutes,
         s.utilisation, s.booked_share, s.bookable_share, s.booked_share / nullif(s.bookable_share, 0) as load_ratio,
         case when s.bookable_minutes = 0 and s.booked_minutes > 0 then 'overloaded'
              when s.bookable_minutes = 0 or s.booked_share is null then null
              when s.booked_share / s.bookable_share > 1 + st.tolerance then 'overloaded'
              when s.booked_share / s.bookable_share < 1 - st.tolerance then 'under-used'
              else 'even' end as flag
  from shares s cross join st
  union all
  select s.period, s.period_start, 'business', null, sum(s.bookings)::bigint, sum(s.booked_minutes), sum(s.bookable_minutes),
         sum(s.booked_minutes) / nullif(sum(s.bookable_minutes), 0), 1, 1, 1, null
  from shares s
  group by s.period, s.period_start
),
dispersion as (
  select period, period_start, stddev_pop(utilisation) / nullif(avg(utilisation), 0) as cv
  from shares where utilisation is not null group by period, period_start
)
select r.period, r.period_start, r.breakdown, r.team_member_id,
       case when r.breakdown = 'business' then 'All team members' else m.name::text end as team_member,
       r.bookings, round(r.booked_minutes)::bigint as booked_minutes, round(r.bookable_minutes)::bigint as bookable_minutes,
       round(100 * r.utilisation, 1) as utilisation_percent,
       round(100 * r.booked_share, 1) as share_of_booked_percent,
       round(100 * r.bookable_share, 1) as share_of_bookable_percent,
       round(r.load_ratio, 2) as load_ratio,
       round(d.cv, 3) as utilisation_dispersion,
       r.flag
from rows r
left join public.team_members m on m.id = r.team_member_id
left join dispersion d on d.period = r.period and d.period_start = r.period_start;
comment on view private.metrics_utilisation_rows is 'The query behind public.metrics_utilisation (read it through that view).';
create or replace function private.metrics_utilisation() returns setof private.metrics_utilisation_rows
language sql stable security definer set search_path = '' set jit = off
as $$ select * from private.metrics_utilisation_rows where (select private.metrics_reader_check()) $$;
comment on function private.metrics_utilisation() is 'Rows of public.metrics_utilisation, planned without JIT (see the top of this file).';
revoke all on function private.metrics_utilisation() from public, anon;
grant execute on function private.metrics_utilisation() to authenticated, service_role;
revoke all on private.metrics_utilisation_rows from public, anon;
revoke all on private.metrics_utilisation_rows from authenticated;
grant select on private.metrics_utilisation_rows to service_role;
create or replace view public.metrics_utilisation with (security_invoker = true) as
select * from private.metrics_utilisation() where (select private.metrics_reader_check());
comment on view public.metrics_utilisation is
  'Team member utilisation per week/month: booked minutes / bookable minutes (working hours minus absences, closures and calendar busy time), each member''s share of booked vs bookable time, a dispersion figure and flags for overloaded and under-used members. Admins only.';
comment on column public.metrics_utilisation.period is 'week (Monday start) or month, business-local.';
comment on column public.metrics_utilisation.period_start is 'First day of the week or month.';
comment on column public.metrics_utilisation.breakdown is 'business (the whole team) or team member.';
comment on column public.metrics_utilisation.team_member_id is 'The team member (breakdown = team member).';
comment on column public.metrics_utilisation.team_member is 'Their name, or All team members.';
comment on column public.metrics_utilisation.bookings is 'Bookings (confirmed, completed, no-show) starting in the period.';
comment on column public.metrics_utilisation.booked_minutes is 'Appointment minutes of those bookings.';
comment on column public.metrics_utilisation.bookable_minutes is 'Working minutes on working days without absence or closure, minus calendar busy time.';
comment on column public.metrics_utilisation.utilisation_percent is 'booked_minutes / bookable_minutes in percent (can exceed 100 when bookings lie outside bookable time).';
comment on column public.metrics_utilisation.share_of_booked_percent is 'This member''s share of the team''s booked minutes.';
comment on column public.metrics_utilisation.share_of_bookable_percent is 'This member''s share of the team''s bookable minutes (an even distribution books each member this share).';
comment on column public.metrics_utilisation.load_ratio is 'share_of_booked / share_of_bookable: 1 is even, above 1 more than their share, below 1 less.';
comment on column public.metrics_utilisation.utilisation_dispersion is
  'Coefficient of variation of the members'' utilisation in the period (standard deviation / mean): 0 is perfectly even.';
comment on column public.metrics_utilisation.flag is
  'overloaded or under-used when load_ratio is outside 1 +/- business_settings.utilisation_tolerance_percent, else even.';

-- ---------------------------------------------------------------------------------------------
-- Calendar sync success rate and mean time to recovery per member, over 7 and 30 days.
-- "Now" of the calendar sync view: the database clock, unless metrics_calendar_sync_at(p_now) set it.
create or replace function private.metrics_now() returns timestamptz
language sql stable
as $$ select coalesce(nullif(pg_catalog.current_setting('metrics.now', true), ''), pg_catalog.now()::text)::timestamptz $$;
comment on function private.metrics_now() is 'Returns the "now" of the calendar sync metrics: the database clock unless metrics_calendar_sync_at(p_now) set one.';
revoke all on function private.metrics_now() from public, anon, authenticated;
grant execute on function private.metrics_now() to service_role;

create or replace view private.metrics_calendar_sync_rows with (security_invoker = true) as
  select case when grouping(m.id) = 0 then 'team member' else 'business' end as breakdown,
         m.id as team_member_id, case when grouping(m.id) = 0 then min(m.name)::text else 'All team members' end as team_member,
         count(a.id) filter (where a.finished_at > (select private.metrics_now()) - interval '7 days') as attempts_7_days,
         round(100.0 * count(a.id) filter (where a.finished_at > (select private.metrics_now()) - interval '7 days' and a.outcome <> 'failed')
               / nullif(count(a.id) filter (where a.finished_at > (select private.metrics_now()) - interval '7 days'), 0), 1) as success_percent_7_days,
         count(a.recovery_seconds) filter (where a.finished_at > (select private.metrics_now()) - interval '7 days') as recoveries_7_days,
         round(avg(a.recovery_seconds) filter (where a.finished_at > (select private.metrics_now()) - interval '7 days') / 60.0, 1) as mean_time_to_recovery_minutes_7_days,
         count(a.id) as attempts_30_days,
         round(100.0 * count(a.id) filter (where a.outcome <> 'failed') / nullif(count(a.id), 0), 1) as success_percent_30_days,
         count(a.recovery_seconds) as recoveries_30_days,
         round(avg(a.recovery_seconds) / 60.0, 1) as mean_time_to_recovery_minutes_30_days,
         (array_agg(a.error_class order by a.finished_at desc) filter (where a.error_class is not null))[1] as last_error_class_30_days
  from public.team_members m
  left join public.calendar_sync_attempts a
    on a.team_member_id = m.id and a.finished_at > (select private.metrics_now()) - interval '30 days' and a.finished_at <= (select private.metrics_now())
  where not m.is_general_calendar
  group by grouping sets ((m.id), ())
  order by grouping(m.id), min(m.display_order), min(m.name);
comment on view private.metrics_calendar_sync_rows is 'The query behind public.metrics_calendar_sync_at (read it through that function).';
revoke all on private.metrics_calendar_sync_rows from public, anon, authenticated;
grant select on private.metrics_calendar_sync_rows to service_role;

create or replace function public.metrics_calendar_sync_at(p_now timestamptz)
returns table (breakdown text, team_member_id uuid, team_member text, attempts_7_days bigint, success_percent_7_days numeric,
               recoveries_7_days bigint, mean_time_to_recovery_minutes_7_days numeric, attempts_30_days bigint,
               success_percent_30_days numeric, recoveries_30_days bigint, mean_time_to_recovery_minutes_30_days numeric,
               last_error_class_30_days text)
language plpgsql volatile security definer set search_path = '' set jit = off
as $$
begin
  perform private.metrics_reader_check();
  perform pg_catalog.set_config('metrics.now', p_now::text, true);
  return query select * from private.metrics_calendar_sync_rows;
  perform pg_catalog.set_config('metrics.now', '', true);
end
$$;
comment on function public.metrics_calendar_sync_at(timestamptz) is
  'Calendar sync success rate and mean time to recovery over the 7 and 30 days before p_now. Returns one row per team member and one for the business. Admins only.';
revoke all on function public.metrics_calendar_sync_at(timestamptz) from public, anon;
grant execute on function public.metrics_calendar_sync_at(timestamptz) to authenticated, service_role;

create or replace view public.metrics_calendar_sync with (security_invoker = true) as
select * from public.metrics_calendar_sync_at(now());
comment on view public.metrics_calendar_sync is
  'Calendar sync success rate (synced or unchanged / attempts) and mean time to recovery (first failure to next success) per team member over the last 7 and 30 days. Admins only.';
comment on column public.metrics_calendar_sync.breakdown is 'business (every calendar) or team member.';
comment on column public.metrics_calendar_sync.team_member_id is 'The team member (breakdown = team member).';
comment on column public.metrics_calendar_sync.team_member is 'Their name, or All team members.';
comment on column public.metrics_calendar_sync.attempts_7_days is 'Sync attempts in the last 7 days.';
comment on column public.metrics_calendar_sync.success_percent_7_days is 'Successful (synced or unchanged) attempts in percent, last 7 days.';
comment on column public.metrics_calendar_sync.recoveries_7_days is 'Runs of failures that ended with a success in the last 7 days.';
comment on column public.metrics_calendar_sync.mean_time_to_recovery_minutes_7_days is 'Mean minutes from the first failure of a run to the success that ended it, last 7 days.';
comment on column public.metrics_calendar_sync.attempts_30_days is 'Sync attempts in the last 30 days.';
comment on column public.metrics_calendar_sync.success_percent_30_days is 'Successful attempts in percent, last 30 days.';
comment on column public.metrics_calendar_sync.recoveries_30_days is 'Recoveries in the last 30 days.';
comment on column public.metrics_calendar_sync.mean_time_to_recovery_minutes_30_days is 'Mean time to recovery in minutes, last 30 days.';
comment on column public.metrics_calendar_sync.last_error_class_30_days is 'Kind of the latest failure in the last 30 days (timeout, unauthorized, not_found, ...).';

-- ---------------------------------------------------------------------------------------------
-- Booking time: first message -> confirmed booking, and availability query time, p50/p90.
create or replace view private.metrics_booking_time_rows with (security_invoker = true) as
with st as (select time_zone as tz from public.business_settings where id),
-- Grouping sets (week, month) instead of a row per period: each row is converted to local time
-- once, and the percentiles sort each grouping on its own.
conversations as (
  select case when grouping(x.week) = 0 then 'week' else 'month' end as period, coalesce(x.week, x.month) as period_start,
         count(*) as booked_conversations,
         percentile_cont(0.5) within group (order by x.seconds) / 60.0 as p50,
         percentile_cont(0.9) within group (order by x.seconds) / 60.0 as p90
  from (select date_trunc('week', l)::date as week, date_trunc('month', l)::date as month, seconds
        from public.conversation_timings t cross join st
        cross join lateral (select t.booked_at at time zone st.tz as l, extract(epoch from t.booked_at - t.started_at) as seconds) v
        where t.booked_at is not null
          and t.booked_at >= (select private.metrics_window_start()) and t.booked_at < (select private.metrics_window_end())) x
  group by grouping sets ((x.week), (x.month))
),
queries as (
  select case when grouping(x.week) = 0 then 'week' else 'month' end as period, coalesce(x.week, x.month) as period_start,
         count(*) as availability_queries,
         percentile_cont(0.5) within group (order by x.duration_ms) as p50,
         percentile_cont(0.9) within group (order by x.duration_ms) as p90
  from (select date_trunc('week', l)::date as week, date_trunc('month', l)::date as month, q.duration_ms
        from public.availability_query_log q cross join st
        cross join lateral (select q.queried_at at time zone st.tz as l) v
        where q.queried_at >= (select private.metrics_window_start()) and q.queried_at < (select private.metrics_window_end())) x
  group by grouping sets ((x.week), (x.month))
)
select coalesce(c.period, q.period) as period, coalesce(c.period_start, q.period_start) as period_start,
       coalesce(c.booked_conversations, 0) as booked_conversations,
       round(c.p50::numeric, 1) as booking_minutes_p50, round(c.p90::numeric, 1) as booking_minutes_p90,
       coalesce(q.availability_queries, 0) as availability_queries,
       round(q.p50::numeric, 1) as availability_query_ms_p50, round(q.p90::numeric, 1) as availability_query_ms_p90
from conversations c
full join queries q on q.period = c.period and q.period_start = c.period_start;
comment on view private.metrics_booking_time_rows is 'The query behind public.metrics_booking_time (read it through that view).';
create or replace function private.metrics_booking_time() returns setof private.metrics_booking_time_rows
language sql stable security definer set search_path = '' set jit = off
as $$ select * from private.metrics_booking_time_rows where (select private.metrics_reader_check()) $$;
comment on function private.metrics_booking_time() is 'Rows of public.metrics_booking_time, planned without JIT (see the top of this file).';
revoke all on function private.metrics_booking_time() from public, anon;
grant execute on function private.metrics_booking_time() to authenticated, service_role;
revoke all on private.metrics_booking_time_rows from public, anon;
revoke all on private.metrics_booking_time_rows from authenticated;
grant select on private.metrics_booking_time_rows to service_role;
create or replace view public.metrics_booking_time with (security_invoker = true) as
select * from private.metrics_booking_time() where (select private.metrics_reader_check());
comment on view public.metrics_booking_time is
  'Booking time per week/month: minutes from a customer''s first message to the confirmed booking (p50, p90), and how long the bot''s availability questions took (p50, p90 in ms). Admins only.';
comment on column public.metrics_booking_time.period is 'week (Monday start) or month, business-local.';
comment on column public.metrics_booking_time.period_start is 'First day of the week or month.';
comment on column public.metrics_booking_time.booked_conversations is 'Conversations that ended with a confirmed booking in the period.';
comment on column public.metrics_booking_time.booking_minutes_p50 is 'Median minutes from first message to confirmed booking.';
comment on column public.metrics_booking_time.booking_minutes_p90 is '90th percentile of minutes from first message to confirmed booking.';
comment on column public.metrics_booking_time.availability_queries is 'Availability questions the bot asked.';
comment on column public.metrics_booking_time.availability_query_ms_p50 is 'Median availability answer time, ms.';
comment on column public.metrics_booking_time.availability_query_ms_p90 is '90th percentile availability answer time, ms.';

-- ---------------------------------------------------------------------------------------------
-- Customer satisfaction: ratings per member, per strategy, and by whether the preference held.
create or replace view private.metrics_customer_satisfaction_rows with (security_invoker = true) as
with rated as (
  select b.team_member_id, b.assigned_strategy, r.rating,
         case when coalesce(jsonb_array_length(case when jsonb_typeof(b.preference_snapshot -> 'preferred_ids') = 'array'
                                                    then b.preference_snapshot -> 'preferred_ids' end), 0) = 0 then 'no preference'
              when (b.preference_snapshot -> 'preferred_ids') ? b.team_member_id::text then 'preferred member'
              else 'preference overridden' end as preference_outcome,
         b.starts_at at time zone st.time_zone as local_start
  from public.booking_ratings r
  join public.bookings b on b.id = r.booking_id
  cross join public.business_settings st
  where b.starts_at >= (select private.metrics_window_start()) and b.starts_at < (select private.metrics_window_end())
),
grouped as (
  select p.period, p.period_start,
         case when grouping(x.team_member_id) = 0 then 'team member'
              when grouping(x.assigned_strategy) = 0 then 'strategy'
              when grouping(x.preference_outcome) = 0 then 'preference' else 'business' end as breakdown,
         x.team_member_id, x.assigned_strategy, x.preference_outcome,
         count(*) as ratings, avg(x.rating) as average, count(*) filter (where x.rating <= 2) as low
  from rated x
  cross join lateral (values ('week', date_trunc('week', x.local_start)::date),
                             ('month', date_trunc('month', x.local_start)::date)) p(period, period_start)
  group by grouping sets ((p.period, p.period_start, x.team_member_id), (p.period, p.period_start, x.assigned_strategy),
                          (p.period, p.period_start, x.preference_outcome), (p.period, p.period_start))
)
select g.period, g.period_start, g.breakdown, g.team_member_id,
       case g.breakdown when 'team member' then coalesce(m.name::text, '(no team member)') when 'business' then 'All team members' end as team_member,
       g.assigned_strategy, g.preference_outcome, g.ratings, round(g.average, 2) as average_rating, g.low as low_ratings
from grouped g
left join public.team_members m on m.id = g.team_member_id;
comment on view private.metrics_customer_satisfaction_rows is 'The query behind public.metrics_customer_satisfaction (read it through that view).';
create or replace function private.metrics_customer_satisfaction() returns setof private.metrics_customer_satisfaction_rows
language sql stable security definer set search_path = '' set jit = off
as $$ select * from private.metrics_customer_satisfaction_rows where (select private.metrics_reader_check()) $$;
comment on function private.metrics_customer_satisfaction() is 'Rows of public.metrics_customer_satisfaction, planned without JIT (see the top of this file).';
revoke all on function private.metrics_customer_satisfaction() from public, anon;
grant execute on function private.metrics_customer_satisfaction() to authenticated, service_role;
revoke all on private.metrics_customer_satisfaction_rows from public, anon;
revoke all on private.metrics_customer_satisfaction_rows from authenticated;
grant select on private.metrics_customer_satisfaction_rows to service_role;
create or replace view public.metrics_customer_satisfaction with (security_invoker = true) as
select * from private.metrics_customer_satisfaction() where (select private.metrics_reader_check());
comment on view public.metrics_customer_satisfaction is
  'Customer ratings (1-5) of appointments per week/month: for the business, per team member, per assignment strategy, and by preference outcome (did customers whose preference was overridden rate lower?). Admins only.';
comment on column public.metrics_customer_satisfaction.period is 'week (Monday start) or month of the appointment, business-local.';
comment on column public.metrics_customer_satisfaction.period_start is 'First day of the week or month.';
comment on column public.metrics_customer_satisfaction.breakdown is 'business, team member, strategy or preference.';
comment on column public.metrics_customer_satisfaction.team_member_id is 'The team member (breakdown = team member).';
comment on column public.metrics_customer_satisfaction.team_member is 'Their name, or All team members.';
comment on column public.metrics_customer_satisfaction.assigned_strategy is 'How the member was chosen (breakdown = strategy).';
comment on column public.metrics_customer_satisfaction.preference_outcome is 'preferred member, preference overridden or no preference (breakdown = preference).';
comment on column public.metrics_customer_satisfaction.ratings is 'Ratings given.';
comment on column public.metrics_customer_satisfaction.average_rating is 'Mean rating (1-5).';
comment on column public.metrics_customer_satisfaction.low_ratings is 'Ratings of 1 or 2.';

-- ---------------------------------------------------------------------------------------------
-- Repeat bookings: a returning customer's booking "repeats" when it is with the same member as
-- their previous booking; new vs returning customers.
create or replace view private.metrics_repeat_bookings_rows with (security_invoker = true) as
with counted as (
  select b.contact_id, b.team_member_id,
         lag(b.team_member_id) over w as previous_member,
         row_number() over w = 1 as first_booking,
         b.starts_at, b.starts_at at time zone st.time_zone as local_start
  from public.bookings b cross join public.business_settings st
  where b.status in ('confirmed', 'completed', 'no_show') and b.starts_at < (select private.metrics_window_end())
  window w as (partition by b.contact_id order by b.starts_at, b.id)
),
counted_in_window as (
  select * from counted where starts_at >= (select private.metrics_window_start())
),
grouped as (
  select p.period, p.period_start,
         case when grouping(c.team_member_id) = 0 then 'team member' else 'business' end as breakdown, c.team_member_id,
         count(*) as bookings,
         count(distinct c.contact_id) filter (where c.first_booking) as new_customers,
         count(distinct c.contact_id) filter (where not c.first_booking) as returning_customers,
         count(*) filter (where not c.first_booking) as returning_bookings,
         count(*) filter (where not c.first_booking and c.team_member_id = c.previous_member) as same_member_as_previous
  from counted_in_window c
  cross join lateral (values ('week', date_trunc('week', c.local_start)::date),
                             ('month', date_trunc('month', c.local_start)::date)) p(period, period_start)
  group by grouping sets ((p.period, p.period_start, c.team_member_id), (p.period, p.period_start))
)
select g.period, g.period_start, g.breakdown, g.team_member_id,
       case when g.breakdown = 'business' then 'All team members' else coalesce(m.name::text, '(no team member)') end as team_member,
       g.bookings, g.new_customers, g.returning_customers, g.returning_bookings, g.same_member_as_previous,
       round(100.0 * g.same_member_as_previous / nullif(g.returning_bookings, 0), 1) as repeat_booking_percent
from grouped g
left join public.team_members m on m.id = g.team_member_id;
comment on view private.metrics_repeat_bookings_rows is 'The query behind public.metrics_repeat_bookings (read it through that view).';
create or replace function private.metrics_repeat_bookings() returns setof private.metrics_repeat_bookings_rows
language sql stable security definer set search_path = '' set jit = off
as $$ select * from private.metrics_repeat_bookings_rows where (select private.metrics_reader_check()) $$;
comment on function private.metrics_repeat_bookings() is 'Rows of public.metrics_repeat_bookings, planned without JIT (see the top of this file).';
revoke all on function private.metrics_repeat_bookings() from public, anon;
grant execute on function private.metrics_repeat_bookings() to authenticated, service_role;
revoke all on private.metrics_repeat_bookings_rows from public, anon;
revoke all on private.metrics_repeat_bookings_rows from authenticated;
grant select on private.metrics_repeat_bookings_rows to service_role;
create or replace view public.metrics_repeat_bookings with (security_invoker = true) as
select * from private.metrics_repeat_bookings() where (select private.metrics_reader_check());
comment on view public.metrics_repeat_bookings is
  'Repeat booking rate per week/month: of returning customers'' bookings, the share with the same team member as their previous booking; and new vs returning customers. Admins only.';
comment on column public.metrics_repeat_bookings.period is 'week (Monday start) or month, business-local.';
comment on column public.metrics_repeat_bookings.period_start is 'First day of the week or month.';
comment on column public.metrics_repeat_bookings.breakdown is 'business or team member (the member of the booking).';
comment on column public.metrics_repeat_bookings.team_member_id is 'The team member (breakdown = team member).';
comment on column public.metrics_repeat_bookings.team_member is 'Their name, or All team members.';
comment on column public.metrics_repeat_bookings.bookings is 'Bookings (confirmed, completed, no-show) starting in the period.';
comment on column public.metrics_repeat_bookings.new_customers is 'Customers whose first booking ever is in the period.';
comment on column public.metrics_repeat_bookings.returning_customers is 'Customers with a booking in the period who had booked before.';
comment on column public.metrics_repeat_bookings.returning_bookings is 'Bookings of customers who had booked before.';
comment on column public.metrics_repeat_bookings.same_member_as_previous is 'Returning bookings with the same team member as the customer''s previous booking.';
comment on column public.metrics_repeat_bookings.repeat_booking_percent is 'same_member_as_previous / returning_bookings, in percent.';

-- ---------------------------------------------------------------------------------------------
-- No-shows per member and per weekday, of appointments whose outcome is known.
create or replace view private.metrics_no_shows_rows with (security_invoker = true) as
with counted as (
  select b.team_member_id, b.status = 'no_show' as no_show, b.starts_at at time zone st.time_zone as local_start
  from public.bookings b cross join public.business_settings st
  where b.status in ('completed', 'no_show')
    and b.starts_at >= (select private.metrics_window_start()) and b.starts_at < (select private.metrics_window_end())
),
grouped as (
  select p.period, p.period_start,
         case when grouping(c.team_member_id) = 0 then 'team member'
              when grouping(extract(isodow from c.local_start)) = 0 then 'weekday' else 'business' end as breakdown,
         c.team_member_id, extract(isodow from c.local_start)::int as iso_weekday,
         count(*) as appointments, count(*) filter (where c.no_show) as no_shows
  from counted c
  cross join lateral (values ('week', date_trunc('week', c.local_start)::date),
                             ('month', date_trunc('month', c.local_start)::date)) p(period, period_start)
  group by grouping sets ((p.period, p.period_start, c.team_member_id), (p.period, p.period_start, extract(isodow from c.local_start)),
                          (p.period, p.period_start))
)
select g.period, g.period_start, g.breakdown, g.team_member_id,
       case when g.breakdown = 'team member' then coalesce(m.name::text, '(no team member)') when g.breakdown = 'business' then 'All team members' end as team_member,
       g.iso_weekday, (array['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'])[g.iso_weekday] as weekday,
       g.appointments, g.no_shows, round(100.0 * g.no_shows / g.appointments, 1) as no_show_percent
from grouped g
left join public.team_members m on m.id = g.team_member_id;
comment on view private.metrics_no_shows_rows is 'The query behind public.metrics_no_shows (read it through that view).';
create or replace function private.metrics_no_shows() returns setof private.metrics_no_shows_rows
language sql stable security definer set search_path = '' set jit = off
as $$ select * from private.metrics_no_shows_rows where (select private.metrics_reader_check()) $$;
comment on function private.metrics_no_shows() is 'Rows of public.metrics_no_shows, planned without JIT (see the top of this file).';
revoke all on function private.metrics_no_shows() from public, anon;
grant execute on function private.metrics_no_shows() to authenticated, service_role;
revoke all on private.metrics_no_shows_rows from public, anon;
revoke all on private.metrics_no_shows_rows from authenticated;
grant select on private.metrics_no_shows_rows to service_role;
create or replace view public.metrics_no_shows with (security_invoker = true) as
select * from private.metrics_no_shows() where (select private.metrics_reader_check());
comment on view public.metrics_no_shows is
  'No-show rate per week/month, per team member and per business-local weekday, of appointments marked completed or no_show. Admins only.';
comment on column public.metrics_no_shows.period is 'week (Monday start) or month, business-local.';
comment on column public.metrics_no_shows.period_start is 'First day of the week or month.';
comment on column public.metrics_no_shows.breakdown is 'business, team member or weekday.';
comment on column public.metrics_no_shows.team_member_id is 'The team member (breakdown = team member).';
comment on column public.metrics_no_shows.team_member is 'Their name, or All team members.';
comment on column public.metrics_no_shows.iso_weekday is 'Business-local weekday, 1 = Monday ... 7 = Sunday (breakdown = weekday).';
comment on column public.metrics_no_shows.weekday is 'The weekday''s name (breakdown = weekday).';
comment on column public.metrics_no_shows.appointments is 'Appointments marked completed or no_show.';
comment on column public.metrics_no_shows.no_shows is 'Of those, no-shows.';
comment on column public.metrics_no_shows.no_show_percent is 'no_shows / appointments, in percent.';

-- ---------------------------------------------------------------------------------------------
-- One glance: the current business-local month (so far, with bookings already made for the rest
-- of it) beside the previous month.
create or replace function public.business_kpis_at(p_now timestamptz)
returns table (kpi text, unit text, current_month numeric, previous_month numeric, change numeric)
language plpgsql volatile security definer set search_path = '' set jit = off
as $$
#variable_conflict use_column
declare
  v_tz text := (select time_zone from public.business_settings where id);
  v_current date := date_trunc('month', p_now at time zone v_tz)::date;
begin
  perform private.metrics_reader_check();
  -- Only the two months shown: the views read just that window (see private.metrics_window_start).
  perform set_config('metrics.window_start', ((v_current - interval '1 month') at time zone v_tz)::text, true);
  perform set_config('metrics.window_end', ((v_current + interval '1 month') at time zone v_tz)::text, true);
  return query
  with months as (
    select date_trunc('month', p_now at time zone st.time_zone)::date as cur,
           (date_trunc('month', p_now at time zone st.time_zone) - interval '1 month')::date as prev,
           st.time_zone as tz
    from public.business_settings st where st.id
  ),
  rb as materialized (select * from public.metrics_repeat_bookings where breakdown = 'business' and period = 'month'),
  ut as materialized (select * from public.metrics_utilisation where breakdown = 'business' and period = 'month'),
  bt as materialized (select * from public.metrics_booking_time where period = 'month'),
  figures as (
    select 1 as pos, 'Bookings' as kpi, 'count' as unit, r.period_start, r.bookings::numeric as value
      from rb r
    union all
    select 2, 'New customers', 'count', r.period_start, r.new_customers
      from rb r
    union all
    select 3, 'Repeat booking rate (same member as last time)', 'percent', r.period_start, r.repeat_booking_percent
      from rb r
    union all
    select 4, 'Preference satisfaction rate', 'percent', s.period_start, s.satisfaction_percent
      from public.metrics_preference_satisfaction s where s.breakdown = 'business' and s.period = 'month'
    union all
    select 5, 'Utilisation', 'percent', u.period_start, u.utilisation_percent
      from ut u
    union all
    select 6, 'Utilisation dispersion (0 = even)', 'ratio', u.period_start, u.utilisation_dispersion
      from ut u
    union all
    select 7, 'No-show rate', 'percent', n.period_start, n.no_show_percent
      from public.metrics_no_shows n where n.breakdown = 'business' and n.period = 'month'
    union all
    select 8, 'Average rating', 'rating 1-5', c.period_start, c.average_rating
      from public.metrics_customer_satisfaction c where c.breakdown = 'business' and c.period = 'month'
    union all
    select 9, 'Booking time p50 (first message to booking)', 'minutes', t.period_start, t.booking_minutes_p50
      from bt t
    union all
    select 10, 'Availability query time p90', 'ms', t.period_start, t.availability_query_ms_p90
      from bt t
    union all
    select 11, 'Calendar sync success rate', 'percent', date_trunc('month', a.finished_at at time zone months.tz)::date,
           round(100.0 * count(*) filter (where a.outcome <> 'failed') / count(*), 1)
      from public.calendar_sync_attempts a cross join months
      where a.finished_at >= months.prev::timestamp at time zone months.tz
        and a.finished_at < (months.cur + interval '1 month') at time zone months.tz
        and a.finished_at <= p_now
      group by 4
  ),
  kpis(pos, kpi, unit) as (
    values (1, 'Bookings', 'count'), (2, 'New customers', 'count'),
           (3, 'Repeat booking rate (same member as last time)', 'percent'), (4, 'Preference satisfaction rate', 'percent'),
           (5, 'Utilisation', 'percent'), (6, 'Utilisation dispersion (0 = even)', 'ratio'), (7, 'No-show rate', 'percent'),
           (8, 'Average rating', 'rating 1-5'), (9, 'Booking time p50 (first message to booking)', 'minutes'),
           (10, 'Availability query time p90', 'ms'), (11, 'Calendar sync success rate', 'percent')
  )
  select k.kpi, k.unit, cur.value, prev.value, cur.value - prev.value
  from kpis k cross join months
  left join figures cur on cur.pos = k.pos and cur.period_start = months.cur
  left join figures prev on prev.pos = k.pos and prev.period_start = months.prev
  order by k.pos;
  perform set_config('metrics.window_start', '', true);
  perform set_config('metrics.window_end', '', true);
end
$$;
comment on function public.business_kpis_at(timestamptz) is
  'The business KPIs for the business-local month of p_now beside the month before (see the view business_kpis). Returns one row per KPI. Admins only.';
revoke all on function public.business_kpis_at(timestamptz) from public, anon;
grant execute on function public.business_kpis_at(timestamptz) to authenticated, service_role;

create or replace view public.business_kpis with (security_invoker = true) as
select * from public.business_kpis_at(now());
comment on view public.business_kpis is
  'At a glance: this month (so far, including bookings already made for the rest of it) beside last month: bookings, new customers, repeat rate, preference satisfaction, utilisation and its dispersion, no-shows, rating, booking time, availability query time, calendar sync success. Admins only.';
comment on column public.business_kpis.kpi is 'What is measured.';
comment on column public.business_kpis.unit is 'count, percent, ratio, rating 1-5, minutes or ms.';
comment on column public.business_kpis.current_month is 'The current business-local month.';
comment on column public.business_kpis.previous_month is 'The month before.';
comment on column public.business_kpis.change is 'current_month - previous_month.';

revoke all on public.metrics_preference_satisfaction, public.metrics_utilisation, public.metrics_calendar_sync,
  public.metrics_booking_time, public.metrics_customer_satisfaction, public.metrics_repeat_bookings,
  public.metrics_no_shows, public.business_kpis from anon, authenticated;
grant select on public.metrics_preference_satisfaction, public.metrics_utilisation, public.metrics_calendar_sync,
  public.metrics_booking_time, public.metrics_customer_satisfaction, public.metrics_repeat_bookings,
  public.metrics_no_shows, public.business_kpis to authenticated, service_role;
