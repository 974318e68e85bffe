-- Local-only parity with hosted Supabase: the guard and the API roles.
-- Never part of supabase/migrations: a hosted project already has all of this.

-- Refuse to touch a database that carries Supabase's own platform schemas: every schema this
-- layer owns is marked with a comment starting 'local parity:'.
do $$
declare
  s text;
begin
  foreach s in array array['auth', 'vault', 'net', 'extensions'] loop
    if exists (select 1 from pg_namespace n where n.nspname = s
               and coalesce(obj_description(n.oid, 'pg_namespace'), '') not like 'local parity:%') then
      raise exception 'schema "%" already exists and is not the local parity layer: this looks like a real Supabase database, refusing to run', s;
    end if;
  end loop;
  if exists (select 1 from pg_extension where extname in ('supabase_vault', 'pg_net', 'pgsodium')) then
    raise exception 'Supabase''s own vault/pg_net extensions are installed here: refusing to run the local parity layer';
  end if;
end
$$;

do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'anon') then
    create role anon nologin noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'authenticated') then
    create role authenticated nologin noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'service_role') then
    create role service_role nologin noinherit bypassrls;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'authenticator') then
    create role authenticator login noinherit password 'postgres';
  end if;
end
$$;

grant anon, authenticated, service_role to authenticator;

-- Hosted Supabase puts extensions in their own schema and exposes public to the API roles with
-- default grants; Row Level Security is what guards the tables. The same here, so RLS tests
-- mean the same thing locally and hosted.
create schema if not exists extensions;
comment on schema extensions is 'local parity: extensions schema as on hosted Supabase';
grant usage on schema extensions to anon, authenticated, service_role;
create extension if not exists pgcrypto with schema extensions;
create extension if not exists "uuid-ossp" with schema extensions;
alter database postgres set search_path = "$user", public, extensions;

grant usage on schema public to anon, authenticated, service_role;
alter default privileges in schema public grant all on tables to anon, authenticated, service_role;
alter default privileges in schema public grant all on functions to anon, authenticated, service_role;
alter default privileges in schema public grant all on sequences to anon, authenticated, service_role;
