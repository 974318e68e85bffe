-- Installs pgTAP and the `tests` helpers every pgTAP file uses (local/test.sh runs it with psql
-- before pg_prove; when running one file by hand, run this first). Not a test: it commits.
create extension if not exists pgtap with schema extensions;
-- The migrations take EXECUTE away from PUBLIC by default; tests assert while acting as API roles.
grant execute on all functions in schema extensions to anon, authenticated, service_role;
create schema if not exists tests;
grant usage on schema tests to anon, authenticated, service_role;

-- Creates an auth user (optionally with app_metadata) and returns its id.
create or replace function tests.create_supabase_user(
  p_identifier text, p_app_metadata jsonb default '{}'::jsonb
) returns uuid
language plpgsql security definer set search_path = ''
as $$
declare
  v_id uuid;
begin
  insert into auth.users (email, raw_app_meta_data, raw_user_meta_data)
  values (p_identifier || '@test.local', p_app_metadata, jsonb_build_object('test_identifier', p_identifier))
  returning id into v_id;
  return v_id;
end
$$;

create or replace function tests.get_supabase_uid(p_identifier text) returns uuid
language sql stable security definer set search_path = ''
as $$
  select id from auth.users where raw_user_meta_data ->> 'test_identifier' = p_identifier limit 1
$$;

-- Becomes that user as PostgREST would: role `authenticated` with the user's JWT claims.
create or replace function tests.authenticate_as(p_identifier text) returns void
language plpgsql
as $$
declare
  v_user auth.users;
begin
  select * into v_user from auth.users where raw_user_meta_data ->> 'test_identifier' = p_identifier;
  if v_user.id is null then
    raise exception 'test user "%" does not exist', p_identifier;
  end if;
  perform set_config('role', 'authenticated', true);
  perform set_config('request.jwt.claims', json_build_object(
    'sub', v_user.id, 'email', v_user.email, 'role', 'authenticated',
    'app_metadata', coalesce(v_user.raw_app_meta_data, '{}'::jsonb))::text, true);
end
$$;

-- Acts as an API role without a user: 'anon' or 'service_role'.
create or replace function tests.authenticate_as_role(p_role text) returns void
language plpgsql
as $$
begin
  perform set_config('role', p_role, true);
  perform set_config('request.jwt.claims', json_build_object('role', p_role)::text, true);
end
$$;

create or replace function tests.clear_authentication() returns void
language plpgsql
as $$
begin
  perform set_config('role', 'postgres', true);
  perform set_config('request.jwt.claims', null, true);
end
$$;

-- Relations (tables and views, any schema) whose rows, as text, contain p_needle and that the
-- current role can read; relations it may not read count as not readable.
create or replace function tests.relations_containing(p_needle text) returns text[]
language plpgsql
as $$
declare
  r record;
  v_found boolean;
  v_hits text[] := '{}';
begin
  for r in select n.nspname, c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
           where c.relkind in ('r', 'v', 'm', 'p')
             and n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')
             and n.nspname not like 'pg_temp%' loop
    begin
      execute format('select exists (select 1 from %I.%I t where t::text like %L)', r.nspname, r.relname,
                     '%' || p_needle || '%') into v_found;
      if v_found then
        v_hits := v_hits || (r.nspname || '.' || r.relname);
      end if;
    exception when insufficient_privilege then
      null;
    end;
  end loop;
  return v_hits;
end
$$;

grant execute on all functions in schema tests to anon, authenticated, service_role;
