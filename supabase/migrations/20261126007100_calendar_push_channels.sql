-- Push notifications from Google (watch channels) and Microsoft Graph (subscriptions): the
-- calendar-notifications function checks each notification against the channel's secret token
-- (kept only as a SHA-256 hash) and queues an incremental sync of that one member. Channels expire
-- (Google: a TTL we ask for; Graph: at most 7 days), so pg_cron has calendar-push-renew replace
-- them in time. Polling every sync interval stays as the fallback.

create table if not exists private.calendar_push_channels (
  team_member_id uuid primary key references public.team_members (id) on delete cascade,
  provider text not null check (provider in ('google', 'outlook')),
  channel_id text not null unique check (length(channel_id) between 1 and 200),
  resource_id text,
  token_hash text not null check (token_hash ~ '^[0-9a-f]{64}$'),
  expires_at timestamptz not null,
  last_queued_at timestamptz,
  created_at timestamptz not null default now()
);
comment on table private.calendar_push_channels is
  'The live push channel (Google watch channel / Graph subscription) of each connected Google or Outlook calendar.';
comment on column private.calendar_push_channels.team_member_id is 'Whose calendar the channel watches.';
comment on column private.calendar_push_channels.provider is 'google or outlook.';
comment on column private.calendar_push_channels.channel_id is 'Google channel id (X-Goog-Channel-ID) or Graph subscription id.';
comment on column private.calendar_push_channels.resource_id is 'Google resourceId (needed to stop the channel); null for Graph.';
comment on column private.calendar_push_channels.token_hash is 'SHA-256 (hex) of the channel token / clientState; the token itself is never stored.';
comment on column private.calendar_push_channels.expires_at is 'When the provider stops sending; renewed a day before.';
comment on column private.calendar_push_channels.last_queued_at is 'When a notification last queued a sync (bursts queue one).';
comment on column private.calendar_push_channels.created_at is 'When the channel was opened.';
revoke all on private.calendar_push_channels from public, anon, authenticated;

-- After the provider confirmed a new channel: keep it (replacing the member's previous one).
create or replace function private.record_calendar_push_channel(
  p_team_member_id uuid, p_provider text, p_channel_id text, p_resource_id text, p_token text, p_expires_at timestamptz
) returns void
language sql volatile security definer set search_path = ''
as $$
  insert into private.calendar_push_channels as c (team_member_id, provider, channel_id, resource_id, token_hash, expires_at)
  values (p_team_member_id, p_provider, p_channel_id, p_resource_id,
          encode(extensions.digest(p_token, 'sha256'), 'hex'), p_expires_at)
  on conflict on constraint calendar_push_channels_pkey do update
    set provider = excluded.provider, channel_id = excluded.channel_id, resource_id = excluded.resource_id,
        token_hash = excluded.token_hash, expires_at = excluded.expires_at, created_at = now(), last_queued_at = null
$$;
comment on function private.record_calendar_push_channel(uuid, text, text, text, text, timestamptz) is
  'Service role (calendar-push-renew): keeps a member''s new push channel, storing only the hash of its token. Returns nothing.';

-- Work for calendar-push-renew: connected members without a channel or whose channel expires
-- within a day ('open'), and channels of members no longer connected to that provider ('stop').
create or replace function private.calendar_push_work(p_now timestamptz default now())
returns table (team_member_id uuid, name text, provider text, calendar_id text, action text, channel_id text, resource_id text)
language sql stable security definer set search_path = ''
as $$
  select m.id, m.name::text, m.calendar_provider, m.calendar_source_url, 'open', c.channel_id, c.resource_id
  from public.team_members m
  left join private.calendar_push_channels c on c.team_member_id = m.id and c.provider = m.calendar_provider
  where m.calendar_provider in ('google', 'outlook') and m.calendar_secret_ref is not null and m.is_active
    and m.calendar_sync_status <> 'disabled'
    and (c.team_member_id is null or c.expires_at < p_now + interval '1 day')
  union all
  select c.team_member_id, m.name::text, c.provider, m.calendar_source_url, 'stop', c.channel_id, c.resource_id
  from private.calendar_push_channels c
  join public.team_members m on m.id = c.team_member_id
  where m.calendar_provider is distinct from c.provider or not m.is_active or m.calendar_sync_status = 'disabled'
$$;
comment on function private.calendar_push_work(timestamptz) is
  'Service role (calendar-push-renew): push channels to open or renew (missing or expiring within a day) and to stop (member disconnected). Returns one row each with member, provider, calendar and the current channel.';

create or replace function private.forget_calendar_push_channel(p_channel_id text) returns void
language sql volatile security definer set search_path = ''
as $$
  delete from private.calendar_push_channels where channel_id = p_channel_id
$$;
comment on function private.forget_calendar_push_channel(text) is
  'Service role (calendar-push-renew): the channel was stopped. Returns nothing.';

-- One notification: genuine when the channel is known and the token matches. Queues a sync of
-- that member only; a burst queues one (the sync reads every change since its sync token) and
-- marks the member due, so a change arriving during that sync is read by the next minute's job.
-- Returns the member, or null for a forged or unknown notification (nothing is queued then).
create or replace function private.calendar_push_notified(
  p_provider text, p_channel_id text, p_token text, p_now timestamptz default now()
) returns uuid
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_channel private.calendar_push_channels;
begin
  select * into v_channel from private.calendar_push_channels
  where provider = p_provider and channel_id = p_channel_id and expires_at > p_now
  for update;
  if v_channel.team_member_id is null or p_token is null
     or encode(extensions.digest(p_token, 'sha256'), 'hex') <> v_channel.token_hash then
    return null;
  end if;
  update public.team_members set next_sync_at = least(next_sync_at, p_now)
  where id = v_channel.team_member_id and calendar_sync_status <> 'error';
  if v_channel.last_queued_at is null or v_channel.last_queued_at < p_now - interval '10 seconds' then
    update private.calendar_push_channels set last_queued_at = p_now where team_member_id = v_channel.team_member_id;
    perform private.call_edge_function('calendar-sync', jsonb_build_object('teamMemberId', v_channel.team_member_id));
  end if;
  return v_channel.team_member_id;
end
$$;
comment on function private.calendar_push_notified(text, text, text, timestamptz) is
  'Service role (calendar-notifications): checks a push notification''s channel and token and queues a sync of that member (one per burst). Returns the member, or null when the notification is not genuine.';

-- Hourly: renew channels in time (the function does nothing when there is no work).
create or replace function private.queue_calendar_push_renewal(p_now timestamptz default now()) returns bigint
language plpgsql volatile security definer set search_path = ''
as $$
begin
  if not exists (select 1 from private.calendar_push_work(p_now)) then
    return null;
  end if;
  return private.call_edge_function('calendar-push-renew', '{}'::jsonb);
end
$$;
comment on function private.queue_calendar_push_renewal(timestamptz) is
  'pg_cron: queues calendar-push-renew when a push channel is missing, expiring within a day or to be stopped. Returns the queued request, or null.';

revoke all on function private.record_calendar_push_channel(uuid, text, text, text, text, timestamptz),
  private.calendar_push_work(timestamptz), private.forget_calendar_push_channel(text),
  private.calendar_push_notified(text, text, text, timestamptz), private.queue_calendar_push_renewal(timestamptz)
  from public, anon, authenticated;
grant execute on function private.record_calendar_push_channel(uuid, text, text, text, text, timestamptz),
  private.calendar_push_work(timestamptz), private.forget_calendar_push_channel(text),
  private.calendar_push_notified(text, text, text, timestamptz)
  to service_role;
