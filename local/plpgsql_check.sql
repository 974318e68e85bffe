-- Runs plpgsql_check over every PL/pgSQL function the project owns and prints one TAP line each.
-- Platform schemas (parity layer, pg_cron, the CLI's bookkeeping) and extension members are not ours.
create extension if not exists plpgsql_check;
\pset tuples_only on
\pset format unaligned
with fns as (
  select p.oid, p.oid::regprocedure::text as name,
         -- Trigger functions are checked against a table that uses them, so NEW/OLD have a type.
         (select t.tgrelid from pg_trigger t where t.tgfoid = p.oid limit 1) as relid,
         p.prorettype = 'trigger'::regtype as is_trigger
  from pg_proc p
  join pg_namespace n on n.oid = p.pronamespace
  join pg_language l on l.oid = p.prolang
  where l.lanname = 'plpgsql'
    and n.nspname not in ('pg_catalog', 'information_schema', 'auth', 'vault', 'net', 'extensions',
                          'cron', 'supabase_migrations', 'pgtap', 'tests')
    and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')
), checked as (
  select name, is_trigger, relid,
         case when is_trigger and relid is null then null else (
           select string_agg(coalesce(c.message, '') || coalesce(' (line ' || c.lineno || ')', ''), '; ')
           from plpgsql_check_function_tb(oid, coalesce(relid, 0), fatal_errors => false) c
           where c.level = 'error') end as errors
  from fns
)
select case when errors is null then 'ok' else 'not ok' end
       || ' ' || row_number() over (order by name) || ' - plpgsql_check ' || name
       || case when is_trigger and relid is null then ' # SKIP trigger function used by no trigger'
               when errors is not null then ': ' || errors else '' end
from checked
order by name;
