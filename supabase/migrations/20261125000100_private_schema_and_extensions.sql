-- Extensions the schema relies on, and the private (never exposed through the API) schema of
-- security-definer helpers that policies and functions share.
create extension if not exists pgcrypto with schema extensions;
create extension if not exists btree_gist with schema extensions;

create schema if not exists private;
comment on schema private is 'Internal helpers; not exposed through the API. Grants are explicit, per function.';
-- Only the service role names private functions. API users reach what they need without USAGE:
-- policies, CHECK constraints and views hold their functions by id, and EXECUTE is granted per
-- function (an API user with a SQL session must not call private.insert_booking & co).
revoke all on schema private from public, anon, authenticated;
grant usage on schema private to service_role;

-- Default privileges: nothing is callable or writable by an API role until a migration grants it.
-- Postgres gives EXECUTE on every new function to PUBLIC, and hosted Supabase adds default grants
-- of everything in `public` to anon and authenticated (TRUNCATE included, which ignores RLS).
-- These apply to every object the migration role creates after this point, whoever's migration
-- it is; a function meant for API roles is granted explicitly, next to its definition.
-- (Global, not per schema: a per-schema REVOKE cannot take back a global default.)
alter default privileges revoke execute on functions from public;
alter default privileges in schema public revoke execute on functions from anon, authenticated;
alter default privileges in schema public revoke all on tables from anon;
alter default privileges in schema public revoke truncate, references, trigger on tables from authenticated;
-- Identity columns need no sequence privilege; nobody through the API may setval().
alter default privileges in schema public revoke all on sequences from anon, authenticated;

-- Who is calling. Direct SQL (Studio, migrations, psql) carries no JWT claims and is trusted the
-- way the `postgres` role is; API calls always carry claims.
create or replace function private.is_admin() returns boolean
language sql stable security definer set search_path = ''
as $$
  select coalesce((select auth.jwt()) -> 'app_metadata' ->> 'role', '') = 'admin'
$$;
comment on function private.is_admin() is 'True when the caller''s JWT has app_metadata.role = admin.';

-- The role a session acts as, whatever security definer function we are in: SET ROLE (what
-- PostgREST does for each request) or else the login role.
create or replace function private.session_role() returns text
language sql stable set search_path = ''
as $$ select coalesce(nullif(pg_catalog.current_setting('role'), 'none'), session_user::text) $$;
comment on function private.session_role() is 'The role the session acts as (SET ROLE, else the login role), even inside security definer functions.';

create or replace function private.is_trusted_caller() returns boolean
language sql stable security definer set search_path = ''
as $$
  select private.is_admin()
      or coalesce((select auth.role()), '') = 'service_role'
      -- Direct SQL: no claims, and not acting as an API role (an API role without claims is a
      -- session someone opened by hand, not PostgREST, and gets nothing).
      or ((select auth.jwt()) is null and private.session_role() not in ('anon', 'authenticated', 'authenticator'))
$$;
comment on function private.is_trusted_caller() is
  'Admins, the service role (edge functions) and direct SQL sessions (Studio, psql) without JWT claims that do not act as an API role.';

-- Bounds on every time a caller gives (issue #14): 'infinity' or the year 9999 made
-- generate_series run for hours, writing temp files while holding a calendar's booking lock.
-- Times must lie in 2000..2099 (fixed, so no answer depends on today's date); windows are bounded
-- by the callers (private.require_window). Null passes: callers say what a missing time means.
create or replace function private.require_sane_time(p_value timestamptz, p_what text) returns timestamptz
language plpgsql immutable set search_path = ''
as $$
begin
  if p_value is not null
     and not (p_value >= '2000-01-01 00:00+00'::timestamptz and p_value < '2100-01-01 00:00+00'::timestamptz) then
    raise exception 'invalid_request: % must be a time between the years 2000 and 2099 (got %)', p_what, p_value
      using errcode = 'BK004';
  end if;
  return p_value;
end
$$;
comment on function private.require_sane_time(timestamptz, text) is
  'BK004 unless the time is finite and within 2000..2099; returns it.';

create or replace function private.require_sane_date(p_value date, p_what text) returns date
language plpgsql immutable set search_path = ''
as $$
begin
  if p_value is not null and not (p_value >= date '2000-01-01' and p_value < date '2100-01-01') then
    raise exception 'invalid_request: % must be a date between the years 2000 and 2099 (got %)', p_what, p_value
      using errcode = 'BK004';
  end if;
  return p_value;
end
$$;
comment on function private.require_sane_date(date, text) is
  'BK004 unless the date is finite and within 2000..2099; returns it.';

-- A window [from, to) of sane times, at most p_max long.
create or replace function private.require_window(p_from timestamptz, p_to timestamptz, p_max interval) returns void
language plpgsql immutable set search_path = ''
as $$
begin
  perform private.require_sane_time(p_from, 'the window start');
  perform private.require_sane_time(p_to, 'the window end');
  if p_from is null or p_to is null or p_to <= p_from then
    raise exception 'invalid_request: the time window must end after it starts' using errcode = 'BK004';
  end if;
  if p_to - p_from > p_max then
    raise exception 'invalid_request: the time window is longer than % (from % to %)', p_max, p_from, p_to
      using errcode = 'BK004';
  end if;
end
$$;
comment on function private.require_window(timestamptz, timestamptz, interval) is
  'BK004 unless from < to, both sane times, and the window at most p_max long.';

-- "now" as a caller may give it (p_now): tests and other direct SQL sessions set the clock (they
-- could write any row anyway); API callers (admins, the service role through the API) may differ
-- from the database clock by at most a minute, so nobody books in the past or holds a slot that
-- never expires. Raises BK004 otherwise.
create or replace function private.require_own_clock(p_now timestamptz) returns timestamptz
language plpgsql stable security definer set search_path = ''
as $$
begin
  if p_now is null then
    raise exception 'invalid_request: now must not be null (leave the parameter out)' using errcode = 'BK004';
  end if;
  perform private.require_sane_time(p_now, 'now');
  if abs(extract(epoch from p_now - pg_catalog.now())) > 60
     and ((select auth.jwt()) is not null or private.session_role() in ('anon', 'authenticated', 'authenticator', 'service_role')) then
    raise exception 'invalid_request: now (%) may differ from the database clock by at most a minute; leave it out', p_now
      using errcode = 'BK004';
  end if;
  return p_now;
end
$$;
comment on function private.require_own_clock(timestamptz) is
  'BK004 unless p_now is sane and, for API callers, within a minute of the database clock. Direct SQL (tests) may set any sane clock.';

create or replace function private.set_updated_at() returns trigger
language plpgsql set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end
$$;

revoke all on all functions in schema private from public, anon, authenticated;
-- Policies call is_admin() as the API user; is_trusted_caller() is only called inside security
-- definer functions.
grant execute on function private.is_admin() to authenticated, service_role;
grant execute on function private.is_trusted_caller() to service_role;
