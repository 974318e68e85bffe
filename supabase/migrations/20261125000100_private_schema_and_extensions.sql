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
