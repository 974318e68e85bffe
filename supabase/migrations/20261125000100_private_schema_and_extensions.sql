-- Extensions the schema relies on, and the private (never exposed through the API) schema of
-- security-definer helpers that policies and functions share.
create extension if not exists pgcrypto with schema extensions;
create extension if not exists btree_gist with schema extensions;

create schema if not exists private;
comment on schema private is 'Internal helpers; not exposed through the API. Grants are explicit, per function.';
revoke all on schema private from public;
grant usage on schema private to authenticated, service_role;

-- Who is calling. Direct SQL (Studio, migrations, psql) carries no JWT claims and is trusted the
-- way the `postgres` role is; API calls always carry claims.
create or replace function private.is_admin() returns boolean
language sql stable security definer set search_path = ''
as $$
  select coalesce((select auth.jwt()) -> 'app_metadata' ->> 'role', '') = 'admin'
$$;
comment on function private.is_admin() is 'True when the caller''s JWT has app_metadata.role = admin.';

create or replace function private.is_trusted_caller() returns boolean
language sql stable security definer set search_path = ''
as $$
  select private.is_admin()
      or coalesce((select auth.role()), '') = 'service_role'
      or (select auth.jwt()) is null
$$;
comment on function private.is_trusted_caller() is
  'Admins, the service role (edge functions) and direct SQL sessions (Studio, psql) without JWT claims.';

create or replace function private.set_updated_at() returns trigger
language plpgsql set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end
$$;

revoke all on all functions in schema private from public, anon;
grant execute on function private.is_admin(), private.is_trusted_caller() to authenticated, service_role;
