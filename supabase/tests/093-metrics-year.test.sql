-- The metrics on a generated year (2026) of an 8-person practice: each view's plan must do work
-- proportional to the data (every big table read at most once, no scan repeated per row, the
-- 7/30-day figures through an index, no JIT compilation). Plans, not timings: `npm run bench`
-- prints the times on the same world beside the 200 ms floor.
begin;
select plan(19);
\ir fixtures/metrics_year.sql

select ok((select count(*) from bookings where service_id = '5f000000-0000-4000-8000-000000000001') > 10000
          and (select count(*) from calendar_sync_attempts) > 250000
          and (select count(*) from availability_query_log) > 15000, 'a year of data: bookings, sync attempts, queries');

-- The plan of a query (run, with buffer counts) and what the checks need from it.
create function pg_temp.plan_of(p_query text) returns jsonb language plpgsql as $$
declare
  v_plan jsonb;
begin
  execute 'explain (analyze, buffers, format json) ' || p_query into v_plan;
  return v_plan -> 0;
end
$$;
-- Big tables scanned sequentially more than once (a scan repeated per outer row: quadratic).
create function pg_temp.repeated_seq_scans(p_plan jsonb) returns text[] language sql as $$
  select coalesce(array_agg(n ->> 'Relation Name'), '{}')
  from jsonb_path_query(p_plan, 'strict $.**') n
  where jsonb_typeof(n) = 'object' and n ->> 'Node Type' = 'Seq Scan' and (n ->> 'Actual Loops')::int > 1
    and n ->> 'Relation Name' in ('bookings', 'calendar_sync_attempts', 'availability_query_log', 'conversation_timings',
                                  'booking_ratings', 'calendar_busy_times')
$$;
create function pg_temp.seq_scanned(p_plan jsonb, p_table text) returns boolean language sql as $$
  select exists (select 1 from jsonb_path_query(p_plan, 'strict $.**') n
                 where jsonb_typeof(n) = 'object' and n ->> 'Node Type' = 'Seq Scan' and n ->> 'Relation Name' = p_table)
$$;
-- Buffers touched, against the data a metric reads: at most three reads of every page plus one
-- lookup per row (a buffer hit counts each time, so a per-row lookup costs one). Quadratic plans
-- exceed it by far.
create function pg_temp.pages_touched(p_plan jsonb) returns bigint language sql as $$
  select (p_plan -> 'Plan' ->> 'Shared Hit Blocks')::bigint + (p_plan -> 'Plan' ->> 'Shared Read Blocks')::bigint
$$;
create temporary table budget as
select (3 * sum(pg_relation_size(c.oid) / 8192) + sum(greatest(c.reltuples, 0)))::bigint as pages
from pg_class c where c.oid in ('public.bookings'::regclass, 'public.calendar_sync_attempts'::regclass,
  'public.availability_query_log'::regclass, 'public.conversation_timings'::regclass, 'public.booking_ratings'::regclass,
  'public.calendar_busy_times'::regclass);

-- The views' queries, planned as their wrapper functions run them (JIT off).
set local jit = off;
create temporary table plans as
select v, pg_temp.plan_of(format('select * from private.%I', v || '_rows')) as p
from unnest(array['metrics_preference_satisfaction', 'metrics_utilisation', 'metrics_booking_time',
                  'metrics_customer_satisfaction', 'metrics_repeat_bookings', 'metrics_no_shows']) v;
select is(pg_temp.repeated_seq_scans(p), '{}'::text[], v || ': no big table is scanned more than once') from plans order by v;
select cmp_ok(pg_temp.pages_touched(p), '<=', (select pages from budget), v || ': buffers touched stay linear in the data (three reads of each page, one lookup per row)')
from plans order by v;

-- metrics_calendar_sync_at(p_now) sets this clock and reads its view.
select set_config('metrics.now', '2026-12-15 12:00+01', true);
create temporary table sync_plan as select pg_temp.plan_of('select * from private.metrics_calendar_sync_rows') as p;
select set_config('metrics.now', '', true);
select is(pg_temp.seq_scanned(p, 'calendar_sync_attempts'), false,
  'metrics_calendar_sync reads 30 of 365 days of sync attempts through the index, not the whole year') from sync_plan;
select is((select count(*)::int from metrics_calendar_sync_at('2026-12-15 12:00+01')
           where team_member like 'Year member %' and attempts_30_days = 30 * 96 and attempts_7_days = 7 * 96), 8,
  'every member: 96 attempts a day, 30 and 7 days of them');

-- Through the public views, as Studio reads them (JIT at its default): never JIT-compiled.
reset jit;
create temporary table public_plans as
select v, pg_temp.plan_of(format('select * from public.%I', v)) as p
from unnest(array['metrics_preference_satisfaction', 'metrics_utilisation', 'metrics_booking_time', 'metrics_customer_satisfaction',
                  'metrics_repeat_bookings', 'metrics_no_shows', 'metrics_calendar_sync', 'business_kpis']) v;
select is((select array_agg(v order by v) from public_plans where p ? 'JIT'), null,
  'no metrics view is JIT-compiled (compiling costs seconds, running milliseconds)');
select is((select count(*)::int from business_kpis_at('2026-12-15 12:00+01') where previous_month is not null), 11,
  'business_kpis has every figure for November 2026 (December has no outcomes or ratings yet)');
-- The two months business_kpis shows agree with the all-history views (the same figures, read narrowly).
select results_eq($$select kpi, current_month from business_kpis_at('2026-12-15 12:00+01') where kpi in ('Bookings', 'Utilisation', 'No-show rate')
                   order by kpi$$,
  $$select 'Bookings'::text, (select bookings::numeric from metrics_repeat_bookings where breakdown = 'business' and period = 'month' and period_start = '2026-12-01')
    union all select 'No-show rate', (select no_show_percent from metrics_no_shows where breakdown = 'business' and period = 'month' and period_start = '2026-12-01')
    union all select 'Utilisation', (select utilisation_percent from metrics_utilisation where breakdown = 'business' and period = 'month' and period_start = '2026-12-01')$$,
  'business_kpis (narrowed to two months) gives the same figures as the views over the whole year');
select is(nullif(current_setting('metrics.window_start', true), ''), null, 'and leaves the views covering everything again');

select * from finish();
rollback;
