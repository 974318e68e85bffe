-- Calendar secrets live in Supabase Vault; team_members.calendar_secret_ref names them.
-- (The guide's option 2: a ref that names no Vault secret is read by the functions from an
-- environment variable of that name.)

create or replace function public.admin_set_calendar_secret(p_team_member_id uuid, p_secret text) returns void
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_member public.team_members;
  v_name text;
  v_secret_id uuid;
  v_secret text := p_secret;
  v_json jsonb;
begin
  if not private.is_trusted_caller() then
    raise exception 'only admins can set calendar secrets' using errcode = 'insufficient_privilege';
  end if;
  select * into v_member from public.team_members where id = p_team_member_id;
  if v_member.id is null then
    raise exception 'team member % does not exist', p_team_member_id using errcode = 'no_data_found';
  end if;
  if p_secret is null or length(trim(p_secret)) = 0 then
    raise exception 'the calendar secret is empty' using errcode = 'invalid_parameter_value';
  end if;

  -- CalDAV credentials are bound to the address they are stored for: a JSON secret without "url"
  -- gets the current calendar_source_url written into it, so that changing calendar_source_url
  -- later can never send the password to another server. (Messages never quote the secret.)
  if v_member.calendar_provider = 'caldav' and left(ltrim(p_secret), 1) = '{' then
    begin
      v_json := p_secret::jsonb;
    exception when others then
      raise exception 'the CalDAV secret is not valid JSON (expected {"url", "username", "password"})'
        using errcode = 'invalid_parameter_value';
    end;
    if jsonb_typeof(v_json) <> 'object' or jsonb_typeof(v_json -> 'username') is distinct from 'string'
       or jsonb_typeof(v_json -> 'password') is distinct from 'string' then
      raise exception 'the CalDAV secret needs "username" and "password" (and "url", or calendar_source_url set first)'
        using errcode = 'invalid_parameter_value';
    end if;
    if not v_json ? 'url' then
      if v_member.calendar_source_url is null then
        raise exception 'the CalDAV secret names no "url" and calendar_source_url is not set: say where the credentials may be sent'
          using errcode = 'invalid_parameter_value';
      end if;
      v_secret := (v_json || jsonb_build_object('url', v_member.calendar_source_url))::text;
    end if;
  end if;

  v_name := 'team_member_' || replace(v_member.id::text, '-', '_') || '_calendar_secret';
  select id into v_secret_id from vault.secrets where name = v_name;
  if v_secret_id is null then
    perform vault.create_secret(v_secret, v_name, 'Calendar secret of team member ' || v_member.id);
  else
    perform vault.update_secret(v_secret_id, v_secret);
  end if;

  -- A new secret is a new calendar: pending until read in full, and no validators of the old one.
  update public.team_members
  set calendar_secret_ref = v_name,
      calendar_sync_status = 'pending',
      calendar_sync_error = null,
      consecutive_failures = 0,
      calendar_last_synced = null,
      next_sync_at = now()
  where id = v_member.id;
  perform private.reset_calendar_sync_state(v_member.id);
end
$$;
comment on function public.admin_set_calendar_secret(uuid, text) is
  'Admins: store or rotate a team member''s calendar secret (private iCal URL, CalDAV credentials, token) in Vault and point calendar_secret_ref at it. Sync restarts as pending. Returns nothing secret.';
revoke all on function public.admin_set_calendar_secret(uuid, text) from public, anon;
grant execute on function public.admin_set_calendar_secret(uuid, text) to authenticated, service_role;

-- The same without the secret in any SQL text (issue #14: a failing statement is logged with its
-- literal arguments): create the secret in Studio's Vault page under any name, then
-- select admin_use_calendar_secret(<team member id>, '<that name>'). It is copied into the team
-- member's own entry exactly as admin_set_calendar_secret stores it; the entry you made can then
-- be deleted.
create or replace function public.admin_use_calendar_secret(p_team_member_id uuid, p_vault_secret_name text) returns void
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_secret text;
begin
  if not private.is_trusted_caller() then
    raise exception 'only admins can set calendar secrets' using errcode = 'insufficient_privilege';
  end if;
  select decrypted_secret into v_secret from vault.decrypted_secrets where name = p_vault_secret_name;
  if v_secret is null then
    raise exception 'there is no Vault secret named "%"', p_vault_secret_name using errcode = 'no_data_found';
  end if;
  perform public.admin_set_calendar_secret(p_team_member_id, v_secret);
end
$$;
comment on function public.admin_use_calendar_secret(uuid, text) is
  'Admins: like admin_set_calendar_secret, but takes the secret from a Vault entry you created in Studio (by name), so the secret never appears in SQL text or in the log of a failing statement.';
revoke all on function public.admin_use_calendar_secret(uuid, text) from public, anon;
grant execute on function public.admin_use_calendar_secret(uuid, text) to authenticated, service_role;

-- For the calendar-sync function only: the decrypted secret of one team member, or null when the
-- reference is unset or names no Vault secret (then it is an environment variable's name).
create or replace function private.calendar_secret(p_team_member_id uuid) returns text
language sql stable security definer set search_path = ''
as $$
  select ds.decrypted_secret
  from public.team_members m
  join vault.decrypted_secrets ds on ds.name = m.calendar_secret_ref
  where m.id = p_team_member_id
$$;
comment on function private.calendar_secret(uuid) is 'Service role only: decrypted calendar secret of one team member.';
revoke all on function private.calendar_secret(uuid) from public, anon, authenticated;
grant execute on function private.calendar_secret(uuid) to service_role;
