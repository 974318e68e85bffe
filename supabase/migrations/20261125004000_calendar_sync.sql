-- Calendar sync bookkeeping (guide: "Per-Team-Member iCal Strategy", "Error Handling"): what the
-- calendar-sync function reads and writes, all through these functions, in one transaction each.

create table if not exists public.calendar_sync_state (
  team_member_id uuid primary key references public.team_members (id) on delete cascade,
  etag text,
  last_modified text,
  last_attempt_at timestamptz,
  last_result text check (last_result in ('synced', 'unchanged', 'failed')),
  last_busy_times integer,
  last_skipped_components integer,
  last_duration_ms integer
);
comment on table public.calendar_sync_state is 'Per team member: conditional-request validators and the outcome of the last sync attempt.';
comment on column public.calendar_sync_state.team_member_id is 'The team member whose calendar this state belongs to.';
comment on column public.calendar_sync_state.last_attempt_at is 'When the last sync attempt ran, successful or not.';
comment on column public.calendar_sync_state.last_result is 'Outcome of the last attempt: synced, unchanged (HTTP 304 or same data) or failed.';
comment on column public.calendar_sync_state.last_busy_times is 'How many busy times the last successful sync stored.';
comment on column public.calendar_sync_state.last_duration_ms is 'How long the last attempt took, in milliseconds.';
comment on column public.calendar_sync_state.etag is 'ETag of the last feed fetched (sent back as If-None-Match).';
comment on column public.calendar_sync_state.last_modified is 'Last-Modified of the last feed fetched (sent back as If-Modified-Since).';
comment on column public.calendar_sync_state.last_skipped_components is 'Broken calendar components skipped (the rest of the feed was used).';
alter table public.calendar_sync_state add column if not exists claimed_until timestamptz;
comment on column public.calendar_sync_state.claimed_until is
  'A calendar-sync run is reading this calendar until then (a lease: a crashed run''s claim runs out); other runs skip it.';

create table if not exists public.admin_alerts (
  id uuid primary key default gen_random_uuid(),
  team_member_id uuid references public.team_members (id) on delete cascade,
  -- The allowed kinds are checked by admin_alerts_kind_check, defined once for every feature in
  -- 20261126009900_admin_alert_kinds.sql.
  kind text not null,
  message text not null,
  created_at timestamptz not null default now(),
  resolved_at timestamptz
);
create unique index if not exists admin_alerts_one_open_per_kind
  on public.admin_alerts (team_member_id, kind) where resolved_at is null;
comment on table public.admin_alerts is 'Things an admin should look at (e.g. a calendar that keeps failing); resolved_at is set when it recovers.';
comment on column public.admin_alerts.id is 'Alert id.';
comment on column public.admin_alerts.team_member_id is 'The team member the alert is about, if any.';
comment on column public.admin_alerts.message is 'What is wrong, in words an admin can act on (never contains a secret).';
comment on column public.admin_alerts.created_at is 'When the problem was first noticed.';
comment on column public.admin_alerts.resolved_at is 'When it recovered; null while the alert is open.';

alter table public.calendar_sync_state enable row level security;
alter table public.admin_alerts enable row level security;
revoke all on public.calendar_sync_state, public.admin_alerts from anon;
drop policy if exists "Admins manage calendar sync state" on public.calendar_sync_state;
create policy "Admins manage calendar sync state" on public.calendar_sync_state for all to authenticated
  using ((select private.is_admin())) with check ((select private.is_admin()));
drop policy if exists "Admins manage admin alerts" on public.admin_alerts;
create policy "Admins manage admin alerts" on public.admin_alerts for all to authenticated
  using ((select private.is_admin())) with check ((select private.is_admin()));

-- A different calendar (provider, address or secret reference) starts from scratch: the old
-- ETag/Last-Modified must not go to the new server (a 304 would mean the new calendar is never
-- read), and the member is pending again until the new calendar is read in full.
create or replace function private.reset_calendar_sync_state(p_team_member_id uuid) returns void
language sql volatile security definer set search_path = ''
as $$
  update public.calendar_sync_state set etag = null, last_modified = null where team_member_id = p_team_member_id
$$;
revoke all on function private.reset_calendar_sync_state(uuid) from public, anon, authenticated;

create or replace function private.team_members_calendar_changed() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  if (new.calendar_provider, new.calendar_source_url, new.calendar_secret_ref)
     is distinct from (old.calendar_provider, old.calendar_source_url, old.calendar_secret_ref) then
    new.calendar_sync_status := case when new.calendar_sync_status = 'disabled' then 'disabled' else 'pending' end;
    new.calendar_sync_error := null;
    new.consecutive_failures := 0;
    new.calendar_last_synced := null;
    new.next_sync_at := now();
    perform private.reset_calendar_sync_state(new.id);
  end if;
  return new;
end
$$;
drop trigger if exists team_members_calendar_changed on public.team_members;
-- Named to sort before team_members_set_bookable, which then sees the reset status.
create trigger team_members_calendar_changed before update of calendar_provider, calendar_source_url, calendar_secret_ref
  on public.team_members for each row execute function private.team_members_calendar_changed();

-- Removes a secret (and its parts: host path, query) from a message, in case one slipped in.
create or replace function private.scrub_secret(p_message text, p_secret text) returns text
language plpgsql immutable set search_path = ''
as $$
declare
  v_message text := p_message;
  v_part text;
begin
  if p_message is null or p_secret is null or p_secret = '' then
    return p_message;
  end if;
  v_message := replace(v_message, p_secret, '[secret]');
  -- The values of a JSON secret (CalDAV {"url", "username", "password"}), longest first.
  if p_secret ~ '^\s*\{' then
    begin
      for v_part in
        select value from jsonb_each_text(p_secret::jsonb) where length(value) >= 6 order by length(value) desc
      loop
        v_message := replace(v_message, v_part, '[secret]');
      end loop;
    exception when invalid_text_representation then
      null;  -- not JSON after all: the URL pieces below still apply
    end;
  end if;
  -- Path, query and user-info pieces of a URL-shaped secret, longest first.
  for v_part in
    select x from regexp_split_to_table(p_secret, '[/?&=@:#]+') x where length(x) >= 6 order by length(x) desc
  loop
    v_message := replace(v_message, v_part, '[secret]');
  end loop;
  return v_message;
end
$$;

-- Members whose calendar should be synced: one, all active ones, or those that are due (sync
-- interval elapsed or retry time reached).
create or replace function public.calendar_sync_targets(
  p_team_member_id uuid default null, p_only_due boolean default true, p_now timestamptz default now()
) returns table (team_member_id uuid, name text, calendar_provider text, calendar_source_url text,
                 calendar_secret_ref text, etag text, last_modified text)
language sql stable security definer set search_path = ''
as $$
  select m.id, m.name::text, m.calendar_provider, m.calendar_source_url, m.calendar_secret_ref::text, s.etag, s.last_modified
  from public.team_members m
  left join public.calendar_sync_state s on s.team_member_id = m.id
  where m.calendar_provider is not null and not m.is_general_calendar
    and (m.calendar_source_url is not null or m.calendar_secret_ref is not null)
    and m.calendar_sync_status <> 'disabled'
    and (p_team_member_id is null or m.id = p_team_member_id)
    and (p_team_member_id is not null or m.is_active)
    and (not p_only_due or m.next_sync_at is null or m.next_sync_at <= p_now)
  order by m.name
$$;
comment on function public.calendar_sync_targets(uuid, boolean, timestamptz) is
  'Service role (calendar-sync): the team members whose calendar to read: one, every active one, or (p_only_due) those whose sync interval or retry time has come. Returns one row each with provider, source address, secret name and the last ETag/Last-Modified.';

create or replace function private.record_sync_success(
  p_team_member_id uuid, p_result text, p_busy integer, p_skipped integer, p_etag text, p_last_modified text,
  p_duration_ms integer, p_now timestamptz
) returns void
language plpgsql volatile security definer set search_path = ''
as $$
begin
  update public.team_members
  set calendar_last_synced = p_now, calendar_sync_status = 'active', calendar_sync_error = null,
      consecutive_failures = 0,
      next_sync_at = p_now + make_interval(mins => (select sync_interval_minutes from public.business_settings where id))
  where id = p_team_member_id;
  insert into public.calendar_sync_state as s (team_member_id, etag, last_modified, last_attempt_at, last_result,
                                                last_busy_times, last_skipped_components, last_duration_ms)
  values (p_team_member_id, p_etag, p_last_modified, p_now, p_result, p_busy, p_skipped, p_duration_ms)
  on conflict (team_member_id) do update set
    etag = case when p_result = 'synced' then excluded.etag else s.etag end,
    last_modified = case when p_result = 'synced' then excluded.last_modified else s.last_modified end,
    last_attempt_at = excluded.last_attempt_at, last_result = excluded.last_result,
    last_busy_times = coalesce(excluded.last_busy_times, s.last_busy_times),
    last_skipped_components = coalesce(excluded.last_skipped_components, s.last_skipped_components),
    last_duration_ms = excluded.last_duration_ms, claimed_until = null;
  update public.admin_alerts set resolved_at = p_now
  where team_member_id = p_team_member_id and kind = 'calendar_sync_failing' and resolved_at is null;
  perform private.record_sync_attempt(p_team_member_id, p_result, null, p_duration_ms, p_busy, p_now);  -- metrics
end
$$;

-- A successful sync: the member's busy times in the window are replaced in one go; a failed
-- sync never gets here, so known busy times are never deleted by a failure.
-- A feed read only in part (fail closed): busy times of the UIDs that could not be read
-- (p_keep_uids) are kept, and when some unreadable part had no UID at all (p_keep_unlisted)
-- every stored busy time whose UID was not read again is kept too; new rows that repeat a kept
-- one are not added twice. The calendar is then 'partial' (still bookable) with the reason in
-- calendar_sync_error, and no ETag is kept, so the next sync reads the whole feed again.
drop function if exists public.replace_busy_times(uuid, timestamptz, timestamptz, jsonb, text, text, integer, integer, timestamptz);
create or replace function public.replace_busy_times(
  p_team_member_id uuid, p_window_start timestamptz, p_window_end timestamptz, p_intervals jsonb,
  p_etag text default null, p_last_modified text default null, p_skipped integer default 0,
  p_duration_ms integer default null, p_now timestamptz default now(),
  p_keep_uids text[] default null, p_keep_unlisted boolean default false
) returns integer
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_count integer;
  v_window tstzrange;
  v_partial boolean := coalesce(cardinality(p_keep_uids), 0) > 0 or coalesce(p_keep_unlisted, false);
begin
  if not exists (select 1 from public.team_members where id = p_team_member_id) then
    raise exception 'not_found: team member % does not exist', p_team_member_id using errcode = 'BK003';
  end if;
  perform private.require_own_clock(p_now);
  perform private.require_window(p_window_start, p_window_end, interval '400 days');
  if jsonb_typeof(p_intervals) <> 'array' then
    raise exception 'invalid_request: a window that ends after it starts and an array of intervals are needed' using errcode = 'BK004';
  end if;
  if exists (select 1 from jsonb_to_recordset(p_intervals) x(starts_at timestamptz, ends_at timestamptz)
             where x.starts_at is null or x.ends_at is null or x.ends_at <= x.starts_at) then
    raise exception 'invalid_request: every busy interval needs a start before its end' using errcode = 'BK004';
  end if;
  v_window := tstzrange(p_window_start, p_window_end);

  delete from public.calendar_busy_times b
  where b.team_member_id = p_team_member_id and b.during && v_window
    and not (v_partial and coalesce(
      b.source_uid = any(coalesce(p_keep_uids, '{}'))
      or (coalesce(p_keep_unlisted, false) and (b.source_uid is null or b.source_uid not in (
            select x.uid from jsonb_to_recordset(p_intervals) x(uid text) where x.uid is not null))), false));
  insert into public.calendar_busy_times (team_member_id, starts_at, ends_at, source_uid, recurrence_id, synced_at)
  select p_team_member_id, x.starts_at, x.ends_at, left(x.uid, 500), left(x.recurrence_id, 100), p_now
  from jsonb_to_recordset(p_intervals) x(starts_at timestamptz, ends_at timestamptz, uid text, recurrence_id text)
  where tstzrange(x.starts_at, x.ends_at) && v_window
    and not (v_partial and exists (
      select 1 from public.calendar_busy_times k
      where k.team_member_id = p_team_member_id and k.starts_at = x.starts_at and k.ends_at = x.ends_at
        and k.source_uid is not distinct from left(x.uid, 500)));
  get diagnostics v_count = row_count;

  if v_partial then
    perform private.record_sync_success(p_team_member_id, 'synced', v_count, p_skipped, null, null, p_duration_ms, p_now);
    update public.team_members
    set calendar_sync_status = 'partial',
        calendar_sync_error = format('%s calendar entries could not be read completely; their earlier busy times were kept',
                                     greatest(coalesce(p_skipped, 0), 1))
    where id = p_team_member_id;
  else
    perform private.record_sync_success(p_team_member_id, 'synced', v_count, p_skipped, p_etag, p_last_modified, p_duration_ms, p_now);
  end if;
  return v_count;
end
$$;
comment on function public.replace_busy_times(uuid, timestamptz, timestamptz, jsonb, text, text, integer, integer, timestamptz, text[], boolean) is
  'Service role: replaces a team member''s calendar busy times inside the sync window in one transaction and marks the sync successful; for a feed read only in part, keeps the earlier busy times of what could not be read (p_keep_uids, p_keep_unlisted) and marks the calendar partial. Returns how many busy times were stored.';

-- The feed did not change (HTTP 304): nothing to replace, but the sync succeeded. Only a
-- calendar that was read in full before can be "unchanged".
create or replace function public.mark_calendar_unchanged(
  p_team_member_id uuid, p_duration_ms integer default null, p_now timestamptz default now()
) returns void
language plpgsql volatile security definer set search_path = ''
as $$
begin
  perform private.require_own_clock(p_now);
  if not exists (select 1 from public.team_members where id = p_team_member_id and calendar_last_synced is not null) then
    raise exception 'invalid_request: the calendar of team member % was never read in full, so it cannot be unchanged', p_team_member_id
      using errcode = 'BK004';
  end if;
  perform private.record_sync_success(p_team_member_id, 'unchanged', null::integer, null::integer, null::text, null::text,
                                      p_duration_ms, p_now);
end
$$;
comment on function public.mark_calendar_unchanged(uuid, integer, timestamptz) is
  'Service role (calendar-sync): records a successful sync whose calendar had not changed (HTTP 304); busy times stay as they are.';

-- The guide's retry backoff, for calendar reads and calendar write-backs alike: after the 1st
-- failure in a row 1 minute, then 5 minutes, 15 minutes, and hourly from the 4th on.
create or replace function private.retry_delay(p_failures_in_a_row integer) returns interval
language sql immutable set search_path = ''
as $$
  select (array[interval '1 minute', interval '5 minutes', interval '15 minutes', interval '1 hour'])
         [least(greatest(p_failures_in_a_row, 1), 4)]
$$;
comment on function private.retry_delay(integer) is
  'How long to wait before retrying a calendar read or write after this many failures in a row (1 min, 5 min, 15 min, then hourly).';
revoke all on function private.retry_delay(integer) from public, anon, authenticated;

-- A failed sync (guide, "Calendar Sync Failures"): the error (secrets removed) goes to
-- calendar_sync_error, status 'error', retry with backoff 1 min, 5 min, 15 min, then hourly;
-- from business_settings.sync_failures_before_unbookable failures in a row the member is
-- unbookable (is_bookable follows) and an admin alert is open until the next success.
create or replace function public.record_sync_failure(
  p_team_member_id uuid, p_error text, p_duration_ms integer default null, p_now timestamptz default now()
) returns timestamptz
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_member public.team_members;
  v_message text;
  v_next timestamptz;
begin
  perform private.require_own_clock(p_now);
  select * into v_member from public.team_members where id = p_team_member_id for no key update;
  if v_member.id is null then
    raise exception 'not_found: team member % does not exist', p_team_member_id using errcode = 'BK003';
  end if;
  v_message := left(private.scrub_secret(coalesce(p_error, 'calendar sync failed'), private.calendar_secret(p_team_member_id)), 500);
  v_next := p_now + private.retry_delay(v_member.consecutive_failures + 1);
  update public.team_members
  set calendar_sync_status = 'error', calendar_sync_error = v_message,
      consecutive_failures = consecutive_failures + 1, next_sync_at = v_next
  where id = p_team_member_id;
  insert into public.calendar_sync_state as s (team_member_id, last_attempt_at, last_result, last_duration_ms)
  values (p_team_member_id, p_now, 'failed', p_duration_ms)
  on conflict (team_member_id) do update set last_attempt_at = excluded.last_attempt_at, last_result = 'failed',
    last_duration_ms = excluded.last_duration_ms, claimed_until = null;
  perform private.record_sync_attempt(p_team_member_id, 'failed', v_message, p_duration_ms, null, p_now);  -- metrics
  if v_member.consecutive_failures + 1 >= (select sync_failures_before_unbookable from public.business_settings where id) then
    insert into public.admin_alerts (team_member_id, kind, message)
    values (p_team_member_id, 'calendar_sync_failing',
            format('Calendar of %s failed %s time(s) in a row: %s. %s is not bookable until the next successful sync.',
                   v_member.name, v_member.consecutive_failures + 1, v_message, v_member.name))
    on conflict (team_member_id, kind) where resolved_at is null
      do update set message = excluded.message;
  end if;
  return v_next;
end
$$;
comment on function public.record_sync_failure(uuid, text, integer, timestamptz) is
  'Service role (calendar-sync): records a failed sync (error without secrets, status error, backoff 1 min, 5 min, 15 min, then hourly; unbookable and an admin alert after sync_failures_before_unbookable failures). Returns when the next attempt is due.';

revoke all on function public.calendar_sync_targets(uuid, boolean, timestamptz),
  public.replace_busy_times(uuid, timestamptz, timestamptz, jsonb, text, text, integer, integer, timestamptz, text[], boolean),
  public.mark_calendar_unchanged(uuid, integer, timestamptz),
  public.record_sync_failure(uuid, text, integer, timestamptz) from public, anon, authenticated;
grant execute on function public.calendar_sync_targets(uuid, boolean, timestamptz),
  public.replace_busy_times(uuid, timestamptz, timestamptz, jsonb, text, text, integer, integer, timestamptz, text[], boolean),
  public.mark_calendar_unchanged(uuid, integer, timestamptz),
  public.record_sync_failure(uuid, text, integer, timestamptz) to service_role;
revoke all on function private.record_sync_success(uuid, text, integer, integer, text, text, integer, timestamptz),
  private.scrub_secret(text, text) from public, anon, authenticated;

-- Runs never read the same calendar at once (the every-minute job can start while a slow run
-- still works): a run claims up to p_limit targets (row locks skipped, then a lease in
-- calendar_sync_state.claimed_until that success or failure releases and that runs out if the
-- run dies) and syncs only those.
create or replace function public.claim_calendar_syncs(
  p_team_member_id uuid default null, p_only_due boolean default true, p_limit integer default 20,
  p_lease interval default interval '10 minutes', p_now timestamptz default now()
) returns table (team_member_id uuid, name text, calendar_provider text, calendar_source_url text,
                 calendar_secret_ref text, etag text, last_modified text)
language plpgsql volatile security definer set search_path = ''
as $$
#variable_conflict use_column
begin
  perform private.require_own_clock(p_now);
  if p_limit is null or p_limit not between 1 and 100 or p_lease is null or p_lease not between interval '1 minute' and interval '1 hour' then
    raise exception 'invalid_request: claim 1 to 100 calendars for 1 minute to 1 hour' using errcode = 'BK004';
  end if;
  return query
    with picked as (
      select m.id
      from public.calendar_sync_targets(p_team_member_id, p_only_due, p_now) t
      join public.team_members m on m.id = t.team_member_id
      where not exists (select 1 from public.calendar_sync_state s
                        where s.team_member_id = m.id and s.claimed_until > p_now)
      order by m.next_sync_at nulls first, m.name
      limit p_limit
      for update of m skip locked
    ),
    claimed as (
      insert into public.calendar_sync_state as s (team_member_id, claimed_until)
      select id, p_now + p_lease from picked
      on conflict (team_member_id) do update set claimed_until = excluded.claimed_until
      returning s.team_member_id
    )
    select m.id, m.name::text, m.calendar_provider, m.calendar_source_url, m.calendar_secret_ref::text, s.etag, s.last_modified
    from claimed c
    join public.team_members m on m.id = c.team_member_id
    left join public.calendar_sync_state s on s.team_member_id = m.id
    order by m.name;
end
$$;
comment on function public.claim_calendar_syncs(uuid, boolean, integer, interval, timestamptz) is
  'Service role: claims up to p_limit calendars to sync (one, all active, or the due ones) that no other run is syncing. Returns one row per claimed calendar with what the sync needs (provider, address, secret reference, cache validators).';

-- Calendars that are due and that no run is syncing: the every-minute job starts a run for them,
-- and a run that could not take them all starts the next one.
create or replace function public.calendar_syncs_waiting(p_now timestamptz default now()) returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (select 1 from public.calendar_sync_targets(null, true, p_now) t
                 where not exists (select 1 from public.calendar_sync_state s
                                   where s.team_member_id = t.team_member_id and s.claimed_until > p_now))
$$;
comment on function public.calendar_syncs_waiting(timestamptz) is 'Service role: is any due calendar waiting for a sync run? Returns true when one is due and unclaimed.';

-- The nightly "sync everyone": every active calendar becomes due now, then runs take them in
-- batches like any due sync.
create or replace function public.make_all_calendars_due(p_now timestamptz default now()) returns integer
language sql volatile security definer set search_path = ''
as $$
  with due as (
    update public.team_members m set next_sync_at = p_now
    from public.calendar_sync_targets(null, false, p_now) t
    where m.id = t.team_member_id
    returning 1)
  select count(*)::int from due
$$;
comment on function public.make_all_calendars_due(timestamptz) is 'Service role: makes every active calendar due for sync now; returns how many.';

revoke all on function public.claim_calendar_syncs(uuid, boolean, integer, interval, timestamptz),
  public.calendar_syncs_waiting(timestamptz), public.make_all_calendars_due(timestamptz) from public, anon, authenticated;
grant execute on function public.claim_calendar_syncs(uuid, boolean, integer, interval, timestamptz),
  public.calendar_syncs_waiting(timestamptz), public.make_all_calendars_due(timestamptz) to service_role;

-- The admin's "Test sync" button (guide, admin step 4): queue one member's sync now.
create or replace function public.admin_test_calendar_sync(p_team_member_id uuid) returns bigint
language plpgsql volatile security definer set search_path = ''
as $$
begin
  perform private.require_trusted_caller();
  if not exists (select 1 from public.team_members where id = p_team_member_id) then
    raise exception 'not_found: team member % does not exist', p_team_member_id using errcode = 'BK003';
  end if;
  return private.call_edge_function('calendar-sync', jsonb_build_object('teamMemberId', p_team_member_id));
end
$$;
comment on function public.admin_test_calendar_sync(uuid) is
  'Admins: queue a calendar sync of one team member now; then look at calendar_sync_overview. Returns the id of the queued request (pg_net).';
revoke all on function public.admin_test_calendar_sync(uuid) from public, anon;
grant execute on function public.admin_test_calendar_sync(uuid) to authenticated, service_role;

-- Free start times of a member over the next days, across the services they offer, as the
-- availability cache knows them (reading a view must not compute and write the cache), without
-- the ones a live booking or hold has taken since. Called by the view below as the API user who
-- reads it, hence the grant; the view's row-level security decides whose rows they see.
create or replace function private.available_slot_count(p_team_member_id uuid, p_days integer) returns integer
language sql stable security definer set search_path = ''
as $$
  -- A cached slot is {"at": <start, Unix seconds>, "minutes": <length>, ...} (private.cache_slot_json);
  -- only current entries count (a change since they were computed invalidates them).
  select count(distinct slot.starts_at)::int
  from public.availability_cache c
  cross join lateral jsonb_array_elements(c.time_slots) e
  cross join lateral (select pg_catalog.to_timestamp((e ->> 'at')::bigint) as starts_at,
                             pg_catalog.to_timestamp((e ->> 'at')::bigint)
                               + make_interval(mins => (e ->> 'minutes')::int) as ends_at) slot
  where c.team_member_id = p_team_member_id
    and c.date between private.local_date(now()) and private.local_date(now()) + least(greatest(p_days, 0), 60)
    and private.cache_entry_is_current(c.team_member_id, c.service_id, c.date)
    and slot.starts_at >= now()
    and slot.starts_at < now() + make_interval(days => least(greatest(p_days, 0), 60))
    and not exists (select 1 from public.bookings b
                    where b.team_member_id = p_team_member_id
                      and (b.status = 'confirmed' or (b.status = 'held' and b.hold_expires_at > now()))
                      and b.blocked_during && tstzrange(slot.starts_at, slot.ends_at))
$$;

create or replace view public.calendar_sync_overview with (security_invoker = true) as
select m.id, m.name, m.calendar_provider,
       case when m.calendar_last_synced is null then 'never'
            else (extract(epoch from now() - m.calendar_last_synced)::int / 60) || ' minutes ago' end as last_synced,
       m.calendar_sync_status as status, m.calendar_sync_error as last_error, m.next_sync_at,
       s.last_result, s.last_busy_times, s.last_skipped_components,
       case when m.is_active and m.is_bookable then private.available_slot_count(m.id, 7) else 0 end as available_slots_next_7_days
from public.team_members m
left join public.calendar_sync_state s on s.team_member_id = m.id
where not m.is_general_calendar
order by m.display_order, m.name;
comment on view public.calendar_sync_overview is
  'Calendar sync per team member, as the guide''s Test Sync panel: last synced, status, next 7 days: N available slots (as cached).';
comment on column public.calendar_sync_overview.id is 'Team member id.';
comment on column public.calendar_sync_overview.name is 'The team member''s name.';
comment on column public.calendar_sync_overview.calendar_provider is 'Calendar type: ical, caldav, google or outlook.';
comment on column public.calendar_sync_overview.last_synced is 'How long ago the calendar was last read, e.g. ''5 minutes ago'', or ''never''.';
comment on column public.calendar_sync_overview.status is 'Sync status: pending, active, error or disabled.';
comment on column public.calendar_sync_overview.last_error is 'The last sync error in plain words (no secrets); null when syncing works.';
comment on column public.calendar_sync_overview.next_sync_at is 'When the calendar is due to be read next (sync interval or retry time).';
comment on column public.calendar_sync_overview.last_result is 'Outcome of the last attempt: synced, unchanged or failed.';
comment on column public.calendar_sync_overview.last_busy_times is 'How many busy times the last successful sync stored.';
comment on column public.calendar_sync_overview.last_skipped_components is 'Calendar entries the last sync could not read and skipped.';
comment on column public.calendar_sync_overview.available_slots_next_7_days is 'Free start times over the next 7 days across their services; 0 when not bookable.';
revoke all on public.calendar_sync_overview from anon, authenticated;
grant select on public.calendar_sync_overview to authenticated;

-- The every-minute job (due calendars, then due write-backs) is private.queue_due_calendar_syncs,
-- defined once in the write-back migration because it wakes both. Nightly at 02:00 business
-- time: every active member, then the 30-day cache refresh (the sync queues it when done).
-- Named for both things it starts: a sync of every calendar, which then queues the cache refresh.
drop function if exists private.nightly_cache_refresh_if_due(timestamptz);
create or replace function private.queue_nightly_sync_and_cache_refresh(p_now timestamptz default now()) returns bigint
language plpgsql volatile security definer set search_path = ''
as $$
begin
  if not private.claim_daily_run('nightly-sync-and-cache-refresh', time '02:00', p_now) then
    return null;
  end if;
  return private.call_edge_function('calendar-sync', '{"all": true, "refreshCacheAfter": true}'::jsonb);
end
$$;
revoke all on function private.available_slot_count(uuid, integer) from public, anon, authenticated;
-- The overview (security_invoker) calls it for whoever reads the view (RLS decides the rows).
grant execute on function private.available_slot_count(uuid, integer) to authenticated, service_role;

comment on function private.queue_nightly_sync_and_cache_refresh(timestamptz) is
  'Once per business-local night from 02:00: queues calendar-sync of every active calendar, which then queues the 30-day cache refresh.';
revoke all on function private.queue_nightly_sync_and_cache_refresh(timestamptz) from public, anon, authenticated;

-- Their schedules are in the cron jobs migration (20261127000000_cron_jobs.sql).
