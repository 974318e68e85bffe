-- Write-back (guide, step [7] "Create event in team member's calendar"): confirmed bookings of a
-- team member with a read-write calendar (CalDAV) become events there, cancellations delete
-- them. The database keeps an outbox in the booking's own transaction and wakes the
-- calendar-sync function; a write that fails stays queued and is retried every minute.
create table if not exists public.calendar_writeback_queue (
  id bigint generated always as identity primary key,
  booking_id uuid not null references public.bookings (id) on delete cascade,
  action text not null check (action in ('upsert', 'delete')),
  event_href text,
  attempts integer not null default 0,
  last_error text,
  next_attempt_at timestamptz not null default now(),
  created_at timestamptz not null default now()
);
create index if not exists calendar_writeback_queue_due_idx on public.calendar_writeback_queue (next_attempt_at);
-- The foreign key's index: deleting a booking (cascade) and the tests' per-booking lookups.
create index if not exists calendar_writeback_queue_booking_idx on public.calendar_writeback_queue (booking_id);
comment on table public.calendar_writeback_queue is
  'Bookings still to be written to (or deleted from) team members'' calendars; emptied by calendar-sync.';
comment on column public.calendar_writeback_queue.id is 'Queue entry id.';
comment on column public.calendar_writeback_queue.booking_id is 'The booking to write to (or delete from) the team member''s calendar.';
comment on column public.calendar_writeback_queue.action is 'upsert (write or move the event) or delete (remove it).';
comment on column public.calendar_writeback_queue.event_href is 'Address of the event already in the calendar (to move or delete it); null when it is still to be created.';
comment on column public.calendar_writeback_queue.attempts is 'How many times the write has been tried (counted when a run claims it).';
comment on column public.calendar_writeback_queue.last_error is 'Why the last attempt failed (secrets scrubbed, at most 500 characters); the entry is deleted on success.';
comment on column public.calendar_writeback_queue.next_attempt_at is 'When the next attempt is due (retries back off).';
comment on column public.calendar_writeback_queue.created_at is 'When the write was queued (in the booking''s own transaction).';

alter table public.calendar_writeback_queue add column if not exists gave_up_at timestamptz;
comment on column public.calendar_writeback_queue.gave_up_at is
  'Set after too many failed attempts (an admin alert is open); no more retries until an admin clears it.';

-- A write-back that keeps failing opens an admin alert of its own kind (calendar_writeback_failing,
-- allowed in 20261126009900_admin_alert_kinds.sql).
alter table public.calendar_writeback_queue enable row level security;
revoke all on public.calendar_writeback_queue from anon;
drop policy if exists "Admins manage the calendar write-back queue" on public.calendar_writeback_queue;
create policy "Admins manage the calendar write-back queue" on public.calendar_writeback_queue for all to authenticated
  using ((select private.is_admin())) with check ((select private.is_admin()));

-- bookings.external_event_id is written by the write-back alone: an admin who could set it would
-- choose where a team member's calendar credentials are sent. API users write every other column.
do $$
declare
  v_columns text := (select string_agg(quote_ident(attname), ', ' order by attnum) from pg_attribute
                     where attrelid = 'public.bookings'::regclass and attnum > 0 and not attisdropped
                       and attname <> 'external_event_id');
begin
  revoke insert, update on public.bookings from authenticated;
  execute format('grant insert (%s), update (%s) on public.bookings to authenticated', v_columns, v_columns);
end
$$;

create or replace function private.bookings_queue_writeback() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  v_writable boolean;
begin
  select m.calendar_provider in ('caldav', 'google', 'outlook') into v_writable from public.team_members m where m.id = new.team_member_id;
  if not coalesce(v_writable, false) then
    return null;
  end if;
  if new.status = 'confirmed' and (tg_op = 'INSERT' or old.status <> 'confirmed') then
    insert into public.calendar_writeback_queue (booking_id, action) values (new.id, 'upsert');
  -- Always, even without external_event_id: the event's address is derived from the booking, and
  -- a write whose answer was lost left an event but no id.
  elsif tg_op = 'UPDATE' and old.status = 'confirmed' and new.status = 'cancelled' then
    insert into public.calendar_writeback_queue (booking_id, action, event_href) values (new.id, 'delete', new.external_event_id);
  else
    return null;
  end if;
  -- One wake-up per transaction is enough (the function takes every queued write), not one pg_net
  -- request per booking row: a transaction-local flag remembers that it was sent.
  if coalesce(current_setting('booking.writeback_wakeup_sent', true), '') <> 'yes' then
    perform private.call_edge_function('calendar-sync', '{"writeBack": true}'::jsonb);
    perform set_config('booking.writeback_wakeup_sent', 'yes', true);
  end if;
  return null;
end
$$;
drop trigger if exists bookings_queue_writeback on public.bookings;
create trigger bookings_queue_writeback after insert or update of status on public.bookings
  for each row execute function private.bookings_queue_writeback();

-- For the calendar-sync function: the write-backs that are due, locked for this run. One item per
-- booking at a time, oldest first, so a write and the delete that follows it never cross.
create or replace function public.claim_calendar_writebacks(p_limit integer default 50, p_now timestamptz default now())
returns table (queue_id bigint, action text, event_href text, booking_id uuid, team_member_id uuid, team_member_name text,
               calendar_source_url text, calendar_secret_ref text, starts_at timestamptz, ends_at timestamptz, service_name text, customer_name text,
               booking_status text)
language sql volatile security definer set search_path = ''
as $$
  with due as (
    select q.id from public.calendar_writeback_queue q
    where q.next_attempt_at <= p_now and q.gave_up_at is null
      and not exists (select 1 from public.calendar_writeback_queue earlier
                      where earlier.booking_id = q.booking_id and earlier.id < q.id)
    order by q.id
    limit p_limit
    for update skip locked
  ),
  bumped as (
    update public.calendar_writeback_queue q set attempts = q.attempts + 1,
      next_attempt_at = p_now + interval '5 minutes'  -- a crashed run is retried later
    from due where q.id = due.id
    returning q.*
  )
  select q.id, q.action, q.event_href, b.id, m.id, m.name::text, m.calendar_source_url, m.calendar_secret_ref::text, b.starts_at, b.ends_at, s.name,
         coalesce(c.name, 'WhatsApp customer'), b.status
  from bumped q
  join public.bookings b on b.id = q.booking_id
  join public.team_members m on m.id = b.team_member_id
  join public.services s on s.id = b.service_id
  join public.contacts c on c.id = b.contact_id
  order by q.id
$$;
comment on function public.claim_calendar_writebacks(integer, timestamptz) is
  'Service role (calendar-sync): takes up to p_limit due calendar write-backs for this run (others skip them). Returns one row each with what to write: action, event address, booking, team member, calendar, times, service and customer name.';

create or replace function public.complete_calendar_writeback(p_queue_id bigint, p_event_href text default null)
returns void
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_item public.calendar_writeback_queue;
begin
  delete from public.calendar_writeback_queue where id = p_queue_id returning * into v_item;
  if v_item.action = 'upsert' and p_event_href is not null then
    update public.bookings set external_event_id = p_event_href where id = v_item.booking_id;
  end if;
  -- The calendar takes writes again: a write-back alert of this member is resolved once nothing
  -- of theirs is stuck any more.
  update public.admin_alerts a set resolved_at = now()
  from public.bookings b
  where b.id = v_item.booking_id and a.team_member_id = b.team_member_id and a.kind = 'calendar_writeback_failing'
    and a.resolved_at is null
    and not exists (select 1 from public.calendar_writeback_queue q join public.bookings qb on qb.id = q.booking_id
                    where qb.team_member_id = b.team_member_id and q.gave_up_at is not null);
end
$$;
comment on function public.complete_calendar_writeback(bigint, text) is
  'Service role (calendar-sync): a write-back succeeded: removes it from the queue and keeps the event''s address in bookings.external_event_id.';

-- A failed write is retried after 1, 5, 15 minutes, then hourly; after
-- private.writeback_max_attempts() attempts it stops and an admin alert says which booking and why.
create or replace function private.writeback_max_attempts() returns integer
language sql immutable set search_path = ''
as $$ select 8 $$;  -- about six hours of retries
comment on function private.writeback_max_attempts() is 'Failed attempts after which a calendar write-back stops and alerts an admin.';
revoke all on function private.writeback_max_attempts() from public, anon, authenticated;

create or replace function public.fail_calendar_writeback(p_queue_id bigint, p_error text, p_now timestamptz default now())
returns void
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_item public.calendar_writeback_queue;
  v_member public.team_members;
begin
  perform private.require_own_clock(p_now);
  select q.* into v_item from public.calendar_writeback_queue q where q.id = p_queue_id for update;
  if v_item.id is null then
    return;
  end if;
  select m.* into v_member from public.team_members m join public.bookings b on b.team_member_id = m.id
  where b.id = v_item.booking_id;
  update public.calendar_writeback_queue q
  set last_error = left(private.scrub_secret(p_error, private.calendar_secret(v_member.id)), 500),
      next_attempt_at = p_now + private.retry_delay(q.attempts),  -- attempts counts this one (claim)
      gave_up_at = case when q.attempts >= private.writeback_max_attempts() then p_now end
  where q.id = p_queue_id
  returning * into v_item;
  if v_item.gave_up_at is not null then
    insert into public.admin_alerts (team_member_id, kind, message)
    values (v_member.id, 'calendar_writeback_failing',
            format('Booking %s could not be %s the calendar of %s after %s attempts: %s. Fix the calendar, then retry with: '
                   || 'update calendar_writeback_queue set gave_up_at = null, next_attempt_at = now() where id = %s',
                   v_item.booking_id, case v_item.action when 'delete' then 'removed from' else 'written to' end,
                   v_member.name, v_item.attempts, v_item.last_error, v_item.id))
    on conflict (team_member_id, kind) where resolved_at is null
      do update set message = excluded.message;
  end if;
end
$$;
comment on function public.fail_calendar_writeback(bigint, text, timestamptz) is
  'Service role (calendar-sync): a write-back failed: keeps the error (secrets scrubbed) and retries after 1 min, 5 min, 15 min, then hourly.';

revoke all on function public.claim_calendar_writebacks(integer, timestamptz), public.complete_calendar_writeback(bigint, text),
  public.fail_calendar_writeback(bigint, text, timestamptz) from public, anon, authenticated;
grant execute on function public.claim_calendar_writebacks(integer, timestamptz), public.complete_calendar_writeback(bigint, text),
  public.fail_calendar_writeback(bigint, text, timestamptz) to service_role;

-- The every-minute job also retries write-backs that are due.
create or replace function private.queue_due_calendar_syncs(p_now timestamptz default now()) returns bigint
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_request bigint;
begin
  if exists (select 1 from public.calendar_writeback_queue where next_attempt_at <= p_now and gave_up_at is null) then
    v_request := private.call_edge_function('calendar-sync', '{"writeBack": true}'::jsonb);
  end if;
  -- Not while a run is still syncing them (claimed): that run starts the next one if needed.
  if public.calendar_syncs_waiting(p_now) then
    v_request := private.call_edge_function('calendar-sync', '{"due": true}'::jsonb);
  end if;
  return v_request;
end
$$;
comment on function private.queue_due_calendar_syncs(timestamptz) is
  'pg_cron, every minute: queues calendar-sync for due write-backs and for due calendars no run has claimed. Returns the last pg_net request id, or null when nothing was due.';
revoke all on function private.queue_due_calendar_syncs(timestamptz) from public, anon, authenticated;
