-- Connecting a team member's Google or Outlook calendar with OAuth (guide, Admin Configuration
-- Step 2). An admin asks for a connect link; the team member opens it, signs in at Google or
-- Microsoft and is sent back to the calendar-oauth-callback function, which exchanges the code
-- and hands the refresh token to complete_calendar_connection (Vault, never a table).
--
-- The link carries a `state`: a random nonce and an HMAC over (nonce, member, provider, expiry)
-- keyed with a Vault secret. The nonce row makes it single-use and expiring; the HMAC means that
-- knowing a row (an admin can read this table) is not enough to forge one.

create table if not exists private.calendar_oauth_states (
  nonce text primary key check (nonce ~ '^[0-9a-f]{32}$'),
  team_member_id uuid not null references public.team_members (id) on delete cascade,
  provider text not null check (provider in ('google', 'outlook')),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz
);
comment on table private.calendar_oauth_states is
  'Outstanding calendar connect links (OAuth state): one row per link; single-use (used_at) and expiring.';
comment on column private.calendar_oauth_states.nonce is 'Random part of the state (128 bits, hex); the state adds an HMAC over it.';
comment on column private.calendar_oauth_states.team_member_id is 'Whose calendar the link connects.';
comment on column private.calendar_oauth_states.provider is 'google or outlook.';
comment on column private.calendar_oauth_states.created_at is 'When the admin asked for the link.';
comment on column private.calendar_oauth_states.expires_at is 'After this the link is refused.';
comment on column private.calendar_oauth_states.used_at is 'When the link completed a connection; a used link is refused.';

-- Per member: where incremental sync resumes (Google nextSyncToken / Graph deltaLink) and when the
-- last full read happened (a full read each day keeps the moving horizon filled).
create table if not exists private.calendar_provider_sync (
  team_member_id uuid primary key references public.team_members (id) on delete cascade,
  provider text not null check (provider in ('google', 'outlook')),
  sync_token text,
  full_synced_at timestamptz
);
comment on table private.calendar_provider_sync is 'Google/Outlook incremental sync position per team member.';
comment on column private.calendar_provider_sync.team_member_id is 'The team member.';
comment on column private.calendar_provider_sync.provider is 'google or outlook.';
comment on column private.calendar_provider_sync.sync_token is
  'Google nextSyncToken or Microsoft Graph deltaLink of the last completed read; useless without the member''s access token.';
comment on column private.calendar_provider_sync.full_synced_at is 'When the calendar was last read in full.';

-- The busy events of a member's Google/Outlook calendar as last read: incremental reads change
-- this set, and calendar-sync stores all of it as busy times. Only times and event ids.
create table if not exists private.calendar_provider_events (
  team_member_id uuid not null references public.team_members (id) on delete cascade,
  event_id text not null check (length(event_id) between 1 and 1024),
  starts_at timestamptz not null,
  ends_at timestamptz not null check (ends_at > starts_at),
  primary key (team_member_id, event_id)
);
comment on table private.calendar_provider_events is 'Busy events of connected Google/Outlook calendars as last read (times and ids only).';
comment on column private.calendar_provider_events.team_member_id is 'The team member.';
comment on column private.calendar_provider_events.event_id is 'The provider''s event (instance) id.';
comment on column private.calendar_provider_events.starts_at is 'Start of the busy time.';
comment on column private.calendar_provider_events.ends_at is 'End of the busy time (exclusive).';

revoke all on private.calendar_oauth_states, private.calendar_provider_sync, private.calendar_provider_events
  from public, anon, authenticated;

-- The HMAC key of connect links, made on first use and kept in Vault.
create or replace function private.calendar_oauth_state_key() returns text
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_key text := (select decrypted_secret from vault.decrypted_secrets where name = 'calendar_oauth_state_key');
begin
  if v_key is null then
    v_key := encode(extensions.gen_random_bytes(32), 'hex');
    perform vault.create_secret(v_key, 'calendar_oauth_state_key', 'HMAC key of calendar connect links (OAuth state)');
  end if;
  return v_key;
end
$$;

create or replace function private.calendar_oauth_state_signature(
  p_nonce text, p_team_member_id uuid, p_provider text, p_expires_at timestamptz
) returns text
language sql volatile security definer set search_path = ''
as $$
  select translate(encode(extensions.hmac(
    p_nonce || ':' || p_team_member_id || ':' || p_provider || ':' || extract(epoch from p_expires_at)::bigint,
    private.calendar_oauth_state_key(), 'sha256'), 'base64'), '+/=', '-_')
$$;

-- The valid, unused, unexpired state row a `state` string names, or nothing.
create or replace function private.find_calendar_oauth_state(p_state text, p_now timestamptz default now())
returns table (team_member_id uuid, provider text, team_member_name text)
language sql volatile security definer set search_path = ''
as $$
  select s.team_member_id, s.provider, m.name::text
  from public.team_members m
  join private.calendar_oauth_states s on s.team_member_id = m.id
  where length(p_state) < 200
    and s.nonce = split_part(p_state, '.', 1)
    and split_part(p_state, '.', 2) = private.calendar_oauth_state_signature(s.nonce, s.team_member_id, s.provider, s.expires_at)
    and s.used_at is null
    and s.expires_at > p_now
$$;
comment on function private.find_calendar_oauth_state(text, timestamptz) is
  'Service role (calendar-oauth-callback): the team member and provider a connect link''s state names, if it is genuine, unused and unexpired. Returns no row otherwise.';

create or replace function public.admin_calendar_connect_link(
  p_team_member_id uuid, p_provider text, p_now timestamptz default now()
) returns text
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_member public.team_members;
  v_nonce text := encode(extensions.gen_random_bytes(16), 'hex');
  v_expires timestamptz := date_trunc('second', p_now) + interval '24 hours';
  v_url text := (select decrypted_secret from vault.decrypted_secrets where name = 'project_url');
begin
  perform private.require_trusted_caller();
  if p_provider is null or p_provider not in ('google', 'outlook') then
    raise exception 'invalid_request: the provider is google or outlook' using errcode = 'BK004';
  end if;
  select * into v_member from public.team_members where id = p_team_member_id;
  if v_member.id is null or v_member.is_general_calendar then
    raise exception 'not_found: team member % does not exist', p_team_member_id using errcode = 'BK003';
  end if;
  if v_url is null then
    raise exception 'invalid_request: the Vault entry project_url (the project''s URL) is needed for connect links'
      using errcode = 'BK004';
  end if;
  delete from private.calendar_oauth_states where expires_at < p_now - interval '7 days';
  insert into private.calendar_oauth_states (nonce, team_member_id, provider, created_at, expires_at)
  values (v_nonce, v_member.id, p_provider, p_now, v_expires);
  return rtrim(v_url, '/') || '/functions/v1/calendar-oauth-callback?connect=' || v_nonce || '.'
         || private.calendar_oauth_state_signature(v_nonce, v_member.id, p_provider, v_expires);
end
$$;
comment on function public.admin_calendar_connect_link(uuid, text, timestamptz) is
  'Admins: a link that connects a team member''s Google (''google'') or Outlook (''outlook'') calendar. Send it to the team member: it opens the provider''s sign-in, then a page says whether it worked. Valid for 24 hours, once. Returns the link.';

-- The callback's one deciding call: consumes the state (refusing a forged, used or expired one),
-- stores the refresh token in Vault as the member's calendar secret, sets provider and calendar,
-- forgets the old sync position and queues a test sync. All or nothing.
create or replace function private.complete_calendar_connection(
  p_state text, p_refresh_token text, p_calendar_id text, p_now timestamptz default now()
) returns table (team_member_id uuid, team_member_name text, provider text, sync_request bigint)
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_state record;
  v_name text;
  v_secret_id uuid;
begin
  select f.* into v_state from private.find_calendar_oauth_state(p_state, p_now) f;
  if v_state.team_member_id is null then
    raise exception 'invalid_state: this connect link is not valid (expired, already used or altered)' using errcode = 'BK004';
  end if;
  update private.calendar_oauth_states set used_at = p_now
  where nonce = split_part(p_state, '.', 1) and used_at is null;
  if not found then  -- a concurrent callback used it first
    raise exception 'invalid_state: this connect link was already used' using errcode = 'BK004';
  end if;
  if p_refresh_token is null or length(p_refresh_token) = 0 then
    raise exception 'invalid_request: no refresh token' using errcode = 'BK004';
  end if;

  v_name := 'team_member_' || replace(v_state.team_member_id::text, '-', '_') || '_calendar_secret';
  select id into v_secret_id from vault.secrets where name = v_name;
  if v_secret_id is null then
    perform vault.create_secret(p_refresh_token, v_name, 'Calendar refresh token of team member ' || v_state.team_member_id);
  else
    perform vault.update_secret(v_secret_id, p_refresh_token);
  end if;
  update public.team_members
  set calendar_provider = v_state.provider, calendar_source_url = p_calendar_id, calendar_secret_ref = v_name,
      calendar_sync_status = 'pending', calendar_sync_error = null, consecutive_failures = 0, next_sync_at = p_now
  where id = v_state.team_member_id;
  delete from private.calendar_provider_events e where e.team_member_id = v_state.team_member_id;
  insert into private.calendar_provider_sync as s (team_member_id, provider) values (v_state.team_member_id, v_state.provider)
  on conflict on constraint calendar_provider_sync_pkey do update set provider = excluded.provider, sync_token = null, full_synced_at = null;
  -- Older links of the same member are no longer needed.
  update private.calendar_oauth_states set used_at = p_now
  where calendar_oauth_states.team_member_id = v_state.team_member_id and used_at is null;

  return query select v_state.team_member_id, v_state.team_member_name, v_state.provider::text,
    private.call_edge_function('calendar-sync', jsonb_build_object('teamMemberId', v_state.team_member_id));
end
$$;
comment on function private.complete_calendar_connection(text, text, text, timestamptz) is
  'Service role (calendar-oauth-callback): consumes a connect link''s state, stores the refresh token in Vault as the member''s calendar secret, sets provider and calendar id and queues a test sync. Returns the member, provider and the queued request.';

-- Microsoft hands out a new refresh token with every access token: keep the newest.
create or replace function private.rotate_calendar_refresh_token(p_team_member_id uuid, p_refresh_token text) returns void
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_ref text := (select calendar_secret_ref from public.team_members where id = p_team_member_id);
  v_secret_id uuid := (select id from vault.secrets where name = v_ref);
begin
  if v_secret_id is null or p_refresh_token is null or length(p_refresh_token) = 0 then
    raise exception 'not_found: no Vault calendar secret for team member %', p_team_member_id using errcode = 'BK003';
  end if;
  perform vault.update_secret(v_secret_id, p_refresh_token);
end
$$;
comment on function private.rotate_calendar_refresh_token(uuid, text) is
  'Service role (calendar-sync): replaces a member''s stored refresh token with the new one the provider returned. Returns nothing.';

-- The grant was revoked (invalid_grant): retrying cannot help, so the failure that follows makes
-- the member unbookable at once and opens the admin alert (record_sync_failure does both when the
-- threshold is reached).
create or replace function private.record_calendar_grant_revoked(p_team_member_id uuid) returns void
language sql volatile security definer set search_path = ''
as $$
  update public.team_members
  set consecutive_failures = greatest(consecutive_failures,
        (select sync_failures_before_unbookable from public.business_settings where id) - 1)
  where id = p_team_member_id;
  update private.calendar_provider_sync set sync_token = null where team_member_id = p_team_member_id;
$$;
comment on function private.record_calendar_grant_revoked(uuid) is
  'Service role (calendar-sync): the calendar''s OAuth grant was revoked; the failure recorded next makes the member unbookable and alerts the admin. Returns nothing.';

create or replace function private.calendar_provider_sync_position(p_team_member_id uuid)
returns table (sync_token text, full_synced_at timestamptz)
language sql stable security definer set search_path = ''
as $$
  select s.sync_token, s.full_synced_at from private.calendar_provider_sync s where s.team_member_id = p_team_member_id
$$;
comment on function private.calendar_provider_sync_position(uuid) is
  'Service role (calendar-sync): where the member''s incremental read resumes. Returns the sync token (or deltaLink) and when the last full read was; no row before the first read.';

-- One read of a Google/Outlook calendar, applied in one transaction: a full read replaces the
-- member's event set, an incremental one changes it; then the new sync position is kept. Each
-- change is {"id", "busy", and the times: "starts_at"/"ends_at" (instants), "start_date"/"end_date"
-- (all-day: business-local days) or "start_local"/"end_local" with "zone"}. Returns the busy set.
create or replace function private.apply_calendar_provider_read(
  p_team_member_id uuid, p_provider text, p_full boolean, p_changes jsonb, p_removed text[], p_sync_token text,
  p_now timestamptz default now()
) returns table (event_id text, starts_at timestamptz, ends_at timestamptz)
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_zone text := (select time_zone from public.business_settings where id);
begin
  if jsonb_typeof(p_changes) is distinct from 'array' then
    raise exception 'invalid_request: changes must be an array' using errcode = 'BK004';
  end if;
  if p_full then
    delete from private.calendar_provider_events e where e.team_member_id = p_team_member_id;
  end if;
  -- Removed ids, the changed ones (re-added below if still busy) and, for a removed recurring
  -- series, its instances (Google instance ids are "<series id>_<start>").
  delete from private.calendar_provider_events e
  where e.team_member_id = p_team_member_id
    and (e.event_id = any (coalesce(p_removed, '{}'))
         or e.event_id in (select x->>'id' from jsonb_array_elements(p_changes) x)
         or (p_provider = 'google' and split_part(e.event_id, '_', 1) = any (coalesce(p_removed, '{}'))));
  insert into private.calendar_provider_events as e (team_member_id, event_id, starts_at, ends_at)
  select p_team_member_id, c.id, c.s, c.e
  from (
    select x->>'id' as id,
           coalesce((x->>'starts_at')::timestamptz, (x->>'start_date')::date::timestamp at time zone v_zone,
                    (x->>'start_local')::timestamp at time zone (x->>'zone')) as s,
           coalesce((x->>'ends_at')::timestamptz, (x->>'end_date')::date::timestamp at time zone v_zone,
                    (x->>'end_local')::timestamp at time zone (x->>'zone')) as e
    from jsonb_array_elements(p_changes) x
    where (x->>'busy')::boolean
  ) c
  where c.id is not null and c.s is not null and c.e > c.s
  on conflict on constraint calendar_provider_events_pkey do update set starts_at = excluded.starts_at, ends_at = excluded.ends_at;
  insert into private.calendar_provider_sync as s (team_member_id, provider, sync_token, full_synced_at)
  values (p_team_member_id, p_provider, p_sync_token, case when p_full then p_now end)
  on conflict on constraint calendar_provider_sync_pkey do update
    set provider = excluded.provider, sync_token = excluded.sync_token,
        full_synced_at = coalesce(excluded.full_synced_at, s.full_synced_at);
  return query select e.event_id, e.starts_at, e.ends_at from private.calendar_provider_events e
    where e.team_member_id = p_team_member_id order by e.starts_at, e.event_id;
end
$$;
comment on function private.apply_calendar_provider_read(uuid, text, boolean, jsonb, text[], text, timestamptz) is
  'Service role (calendar-sync): applies one full or incremental Google/Outlook read to the member''s event set and keeps the sync position, in one transaction. Returns the member''s busy events (id, start, end).';

revoke all on function private.calendar_oauth_state_key(), private.calendar_oauth_state_signature(text, uuid, text, timestamptz),
  private.find_calendar_oauth_state(text, timestamptz), private.complete_calendar_connection(text, text, text, timestamptz),
  private.rotate_calendar_refresh_token(uuid, text), private.record_calendar_grant_revoked(uuid),
  private.calendar_provider_sync_position(uuid),
  private.apply_calendar_provider_read(uuid, text, boolean, jsonb, text[], text, timestamptz)
  from public, anon, authenticated;
grant execute on function private.find_calendar_oauth_state(text, timestamptz),
  private.complete_calendar_connection(text, text, text, timestamptz),
  private.rotate_calendar_refresh_token(uuid, text), private.record_calendar_grant_revoked(uuid),
  private.calendar_provider_sync_position(uuid),
  private.apply_calendar_provider_read(uuid, text, boolean, jsonb, text[], text, timestamptz)
  to service_role;
-- Admins call it from Studio (deliberately callable by authenticated; it checks for an admin).
revoke all on function public.admin_calendar_connect_link(uuid, text, timestamptz) from public, anon;
grant execute on function public.admin_calendar_connect_link(uuid, text, timestamptz) to authenticated, service_role;
