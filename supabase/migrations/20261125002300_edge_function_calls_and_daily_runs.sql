-- pg_cron jobs call edge functions through pg_net, with the project URL and service role key read
-- from Vault (entries 'project_url' and 'service_role_key'), as Supabase's scheduling guide does.
create extension if not exists pg_cron;
do $$
begin
  -- Hosted projects get pg_net here; the local stack provides the same `net` schema itself.
  if not exists (select 1 from pg_namespace where nspname = 'net') then
    create extension if not exists pg_net;
  end if;
end
$$;

-- Calls an edge function with the service role key; returns the pg_net request id, or null (with
-- a warning) when the Vault entries are missing.
create or replace function private.call_edge_function(p_name text, p_body jsonb default '{}'::jsonb) returns bigint
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_url text := (select decrypted_secret from vault.decrypted_secrets where name = 'project_url');
  v_key text := (select decrypted_secret from vault.decrypted_secrets where name = 'service_role_key');
begin
  if v_url is null or v_key is null then
    raise warning 'Vault entries project_url and service_role_key are needed to call edge function %', p_name;
    return null;
  end if;
  return net.http_post(
    url => rtrim(v_url, '/') || '/functions/v1/' || p_name,
    body => p_body,
    headers => jsonb_build_object('Content-Type', 'application/json', 'Authorization', 'Bearer ' || v_key),
    timeout_milliseconds => 300000);
end
$$;
revoke all on function private.call_edge_function(text, jsonb) from public, anon, authenticated;

-- Once per business-local day, at the first tick at or after 02:00 local time, whatever time zone
-- pg_cron runs in.
create table if not exists private.daily_job_runs (
  job text primary key,
  last_run_on date not null,
  last_run_at timestamptz not null default now()
);
comment on table private.daily_job_runs is 'Business-local date each daily job last ran.';

create or replace function private.claim_daily_run(p_job text, p_local_time time, p_now timestamptz default now())
returns boolean
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_local timestamp := p_now at time zone (select time_zone from public.business_settings where id);
begin
  if v_local::time < p_local_time then
    return false;
  end if;
  insert into private.daily_job_runs as r (job, last_run_on, last_run_at) values (p_job, v_local::date, p_now)
  on conflict (job) do update set last_run_on = excluded.last_run_on, last_run_at = excluded.last_run_at
    where r.last_run_on < excluded.last_run_on;
  return found;
end
$$;
revoke all on function private.claim_daily_run(text, time, timestamptz) from public, anon, authenticated;
-- Every pg_cron schedule of the project is in one file: 20261127000000_cron_jobs.sql.
