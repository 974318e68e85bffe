-- A private iCalendar subscription per team member: members whose own calendar is read-only (an
-- iCal feed) cannot receive bookings there, so their calendar app subscribes to this feed of their
-- upcoming bookings instead. Served by the bookings-feed function (verify_jwt = false: calendar
-- apps send no JWT; the random token in the URL is the credential).

-- Only a hash of the token is kept: whoever reads this table (or a backup) cannot subscribe.
create table if not exists public.team_member_booking_feeds (
  team_member_id uuid primary key references public.team_members (id) on delete cascade,
  token_hash bytea not null unique check (octet_length(token_hash) = 32),
  created_at timestamptz not null default now(),
  last_fetched_at timestamptz
);
comment on table public.team_member_booking_feeds is
  'Each team member''s private bookings feed (iCalendar subscription). Create or rotate one with admin_rotate_booking_feed(); only a hash of the token is stored.';
comment on column public.team_member_booking_feeds.team_member_id is 'Whose bookings the feed shows.';
comment on column public.team_member_booking_feeds.token_hash is 'SHA-256 of the token in the subscription URL (the token itself is shown once, by admin_rotate_booking_feed).';
comment on column public.team_member_booking_feeds.created_at is 'When the current token was made (rotating makes a new one).';
comment on column public.team_member_booking_feeds.last_fetched_at is 'When a calendar app last read the feed (null: never since the last rotation).';
alter table public.team_member_booking_feeds enable row level security;
-- Admins see which members have a feed and when it was last read; tokens change only through
-- admin_rotate_booking_feed / admin_revoke_booking_feed.
revoke all on public.team_member_booking_feeds from anon;
revoke insert, update, delete on public.team_member_booking_feeds from authenticated;
drop policy if exists "Admins manage bookings feeds" on public.team_member_booking_feeds;
drop policy if exists "Admins see bookings feeds" on public.team_member_booking_feeds;
create policy "Admins see bookings feeds" on public.team_member_booking_feeds for select to authenticated
  using ((select private.is_admin()));

-- Calendar identity of a booking. A reschedule writes a new booking row (rescheduled_from_id), but
-- for the member's calendar app it is the same event moved: it keeps the first booking's UID and
-- its SEQUENCE goes up, so the app updates the event instead of showing a second one.
alter table public.bookings add column if not exists calendar_uid uuid;
alter table public.bookings add column if not exists calendar_sequence integer not null default 0
  check (calendar_sequence >= 0);
comment on column public.bookings.calendar_uid is
  'The event UID in calendar feeds: the first booking of a reschedule chain (null: this booking''s own id). Maintained by the database.';
comment on column public.bookings.calendar_sequence is
  'iCalendar SEQUENCE: goes up each time the appointment changes (time, service, team member) or is rescheduled. Maintained by the database.';

create or replace function private.bookings_set_calendar_identity() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  v_previous public.bookings;
begin
  if tg_op = 'INSERT' then
    if new.rescheduled_from_id is not null then
      select * into v_previous from public.bookings where id = new.rescheduled_from_id;
      new.calendar_uid := coalesce(v_previous.calendar_uid, v_previous.id);
      new.calendar_sequence := coalesce(v_previous.calendar_sequence, 0) + 1;
    end if;
  elsif (new.starts_at, new.ends_at, new.service_id, new.team_member_id, new.status)
        is distinct from (old.starts_at, old.ends_at, old.service_id, old.team_member_id, old.status) then
    new.calendar_sequence := old.calendar_sequence + 1;
  else
    -- Nothing a calendar shows changed; the identity is not the caller's to edit.
    new.calendar_uid := old.calendar_uid;
    new.calendar_sequence := old.calendar_sequence;
  end if;
  return new;
end
$$;
revoke all on function private.bookings_set_calendar_identity() from public, anon, authenticated;
drop trigger if exists bookings_set_calendar_identity on public.bookings;
create trigger bookings_set_calendar_identity before insert or update on public.bookings
  for each row execute function private.bookings_set_calendar_identity();

-- Makes (or replaces) a member's feed token. Public so that an admin can call it from Studio's SQL
-- editor; refused to everyone else. The token is returned once, inside the subscription URL.
create or replace function public.admin_rotate_booking_feed(p_team_member_id uuid) returns text
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_token text := translate(rtrim(encode(extensions.gen_random_bytes(32), 'base64'), '='), '+/', '-_');
  v_project_url text := (select decrypted_secret from vault.decrypted_secrets where name = 'project_url');
begin
  perform private.require_trusted_caller();
  if not exists (select 1 from public.team_members where id = p_team_member_id) then
    raise exception 'not_found: team member % does not exist', p_team_member_id using errcode = 'BK003';
  end if;
  insert into public.team_member_booking_feeds as f (team_member_id, token_hash, created_at, last_fetched_at)
  values (p_team_member_id, extensions.digest(v_token, 'sha256'), now(), null)
  on conflict (team_member_id) do update
    set token_hash = excluded.token_hash, created_at = excluded.created_at, last_fetched_at = null;
  return coalesce(rtrim(v_project_url, '/'), '') || '/functions/v1/bookings-feed?token=' || v_token;
end
$$;
comment on function public.admin_rotate_booking_feed(uuid) is
  'Creates or rotates a team member''s private bookings feed. Returns the subscription URL (shown only now; the previous URL stops working at once). Subscribe to it in Google Calendar, Apple Calendar or Outlook.';
revoke all on function public.admin_rotate_booking_feed(uuid) from public, anon;
grant execute on function public.admin_rotate_booking_feed(uuid) to authenticated, service_role;

create or replace function public.admin_revoke_booking_feed(p_team_member_id uuid) returns boolean
language plpgsql volatile security definer set search_path = ''
as $$
begin
  perform private.require_trusted_caller();
  delete from public.team_member_booking_feeds where team_member_id = p_team_member_id;
  return found;
end
$$;
comment on function public.admin_revoke_booking_feed(uuid) is
  'Turns a team member''s bookings feed off (its URL answers 404). Returns true if there was one.';
revoke all on function public.admin_revoke_booking_feed(uuid) from public, anon;
grant execute on function public.admin_revoke_booking_feed(uuid) to authenticated, service_role;

-- A customer's first name as the member's calendar shows it: the first word of the name, never
-- anything with digits in it (a WhatsApp profile name can be a phone number).
create or replace function private.customer_first_name(p_name text) returns text
language sql immutable set search_path = ''
as $$
  select case when w is null or w = '' or w ~ '[0-9]' then null else left(w, 60) end
  from (select (regexp_split_to_array(btrim(coalesce(p_name, '')), '\s+'))[1] as w) x
$$;
comment on function private.customer_first_name(text) is
  'First word of a customer''s name for calendars; null when empty or when it has digits (could be a phone number).';

-- What the feed of a token shows. No row: unknown, revoked or rotated token (the function answers
-- 404). One row with uid null: a valid feed without upcoming bookings. Upcoming = not yet ended.
create or replace function private.booking_feed(p_token text, p_now timestamptz default now())
returns table (team_member_id uuid, team_member_name text, time_zone text, uid uuid, sequence integer,
               starts_local text, ends_local text, service_name text, customer_first_name text,
               created_at timestamptz, last_modified timestamptz)
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_member_id uuid;
begin
  if p_token is null or length(p_token) <> 43 then
    return;
  end if;
  update public.team_member_booking_feeds f set last_fetched_at = p_now
  where f.token_hash = extensions.digest(p_token, 'sha256')
  returning f.team_member_id into v_member_id;
  if v_member_id is null then
    return;
  end if;
  return query
  select m.id, m.name::text, s.time_zone, coalesce(b.calendar_uid, b.id), b.calendar_sequence,
         to_char(b.starts_at at time zone s.time_zone, 'YYYY-MM-DD"T"HH24:MI:SS'),
         to_char(b.ends_at at time zone s.time_zone, 'YYYY-MM-DD"T"HH24:MI:SS'),
         b.service_name, b.first_name, b.created_at, b.updated_at
  from public.team_members m
  cross join public.business_settings s
  left join lateral (
    select bk.*, sv.name as service_name, private.customer_first_name(c.name) as first_name
    from public.bookings bk
    join public.services sv on sv.id = bk.service_id
    join public.contacts c on c.id = bk.contact_id
    where bk.team_member_id = m.id and bk.status = 'confirmed' and bk.ends_at > p_now
  ) b on true
  where m.id = v_member_id and s.id
  order by b.starts_at nulls first;
end
$$;
comment on function private.booking_feed(text, timestamptz) is
  'The bookings feed of a token: returns one row per upcoming confirmed booking (UID, SEQUENCE, business-local wall-clock times, service, customer first name), one row with uid null for an empty feed, no row for an unknown token.';
revoke all on function private.booking_feed(text, timestamptz) from public, anon, authenticated;
grant execute on function private.booking_feed(text, timestamptz) to service_role;
