-- Admin alerts by email (guide, "Error Handling": "Notify admin via email/dashboard alert").
--
-- Every admin_alerts row is mailed to the admins once when it opens and once when it is
-- resolved. Events are grouped: a mail goes out once the oldest unmailed event is
-- business_settings.alert_mail_delay_minutes old, carrying every event pending by then. The
-- decisions are here; the alert-mail edge function renders and sends (nodemailer, SMTP settings
-- in its environment) and reports back. pg_cron checks every minute (cron jobs migration).

-- The alert kinds (this feature adds calendar_secret_rotation) are listed in one place: the
-- admin_alert_kinds migration.
comment on column public.admin_alerts.message is 'What the admin should know and do; mailed to the admins (never contains a secret).';
comment on column public.admin_alerts.created_at is 'When the alert opened.';
comment on column public.admin_alerts.resolved_at is 'When it was resolved (by the system or an admin); the resolution is mailed too.';

create table if not exists public.admin_alert_mails (
  id bigint generated always as identity primary key,
  created_at timestamptz not null default now(),
  status text not null default 'pending' check (status in ('pending', 'sending', 'sent', 'failed')),
  attempts integer not null default 0 check (attempts >= 0),
  next_attempt_at timestamptz not null,
  last_error text check (length(last_error) <= 500),
  sent_at timestamptz,
  recipients text[]
);
create index if not exists admin_alert_mails_due_idx on public.admin_alert_mails (next_attempt_at) where status in ('pending', 'sending');
comment on table public.admin_alert_mails is
  'Mails to the admins, each carrying one or more admin alert events (opened or resolved); sent once, retried with backoff when SMTP fails.';
comment on column public.admin_alert_mails.id is 'Mail number (increasing); admin_alerts.mail_id and resolution_mail_id point here.';
comment on column public.admin_alert_mails.created_at is 'When the alert events were grouped into this mail.';
comment on column public.admin_alert_mails.status is 'pending (waiting to be sent), sending (claimed by the alert-mail function), sent, or failed (gave up after 6 attempts).';
comment on column public.admin_alert_mails.attempts is 'Send attempts so far.';
comment on column public.admin_alert_mails.next_attempt_at is 'When the mail is (re)tried: backoff 1, 5, 15, 60, 60 minutes; while sending, the end of the claim.';
comment on column public.admin_alert_mails.last_error is 'The last SMTP failure (code and server answer, never a password).';
comment on column public.admin_alert_mails.sent_at is 'When the SMTP server accepted the mail.';
comment on column public.admin_alert_mails.recipients is 'Who it was sent to (the admins'' addresses).';

alter table public.admin_alerts
  add column if not exists mail_id bigint references public.admin_alert_mails (id) on delete set null,
  add column if not exists resolution_mail_id bigint references public.admin_alert_mails (id) on delete set null;
create index if not exists admin_alerts_mail_idx on public.admin_alerts (mail_id);
create index if not exists admin_alerts_resolution_mail_idx on public.admin_alerts (resolution_mail_id);
create index if not exists admin_alerts_unmailed_idx on public.admin_alerts (created_at) where mail_id is null;
create index if not exists admin_alerts_unmailed_resolution_idx on public.admin_alerts (resolved_at)
  where resolved_at is not null and resolution_mail_id is null;
comment on column public.admin_alerts.mail_id is 'The mail that told the admins about this alert.';
comment on column public.admin_alerts.resolution_mail_id is 'The mail that told them it was resolved.';

alter table public.admin_alert_mails enable row level security;
-- Admins read the mails; only the alert-mail function (service role) writes them.
revoke all on public.admin_alert_mails from anon, authenticated;
grant select on public.admin_alert_mails to authenticated;
drop policy if exists "Admins read admin alert mails" on public.admin_alert_mails;
create policy "Admins read admin alert mails" on public.admin_alert_mails for select to authenticated
  using ((select private.is_admin()));

-- Unmailed events old enough: put all pending events into one new mail. Returns its id or null.
create or replace function private.group_admin_alert_events(p_now timestamptz) returns bigint
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_due timestamptz := p_now - make_interval(mins => (select alert_mail_delay_minutes from public.business_settings where id));
  v_mail bigint;
begin
  if not exists (select 1 from public.admin_alerts where mail_id is null and created_at <= v_due)
     and not exists (select 1 from public.admin_alerts
                     where resolved_at is not null and resolution_mail_id is null and resolved_at <= v_due) then
    return null;
  end if;
  insert into public.admin_alert_mails (created_at, next_attempt_at) values (p_now, p_now) returning id into v_mail;
  update public.admin_alerts set mail_id = v_mail where mail_id is null and created_at <= p_now;
  update public.admin_alerts set resolution_mail_id = v_mail
  where resolved_at is not null and resolution_mail_id is null and resolved_at <= p_now;
  return v_mail;
end
$$;

-- For the alert-mail function (service role): group what is due, then claim the mails to send
-- now (pending and due, or a claim that ran out: the sender died). A claim lasts p_lease_minutes.
create or replace function public.claim_admin_alert_mails(p_now timestamptz default now(), p_lease_minutes integer default 5)
returns table (mail_id bigint, attempt integer, business_name text, recipients text[], events jsonb)
language plpgsql volatile security definer set search_path = ''
as $$
begin
  -- One grouper at a time, so two calls cannot split or duplicate the pending events.
  perform pg_advisory_xact_lock(hashtext('admin_alert_mails'));
  perform private.group_admin_alert_events(p_now);
  return query
  with claimed as (
    update public.admin_alert_mails m
    set status = 'sending', attempts = m.attempts + 1, next_attempt_at = p_now + make_interval(mins => p_lease_minutes),
        recipients = array(select u.email::text from auth.users u
                           where u.raw_app_meta_data ->> 'role' = 'admin' and u.email is not null order by u.email)
    where m.id in (select id from public.admin_alert_mails
                   where status in ('pending', 'sending') and next_attempt_at <= p_now
                   order by id for update skip locked)
    returning m.id, m.attempts, m.recipients
  )
  select c.id, c.attempts, st.business_name, c.recipients,
         coalesce((select jsonb_agg(e order by e ->> 'at', e ->> 'kind') from (
                     select jsonb_build_object('event', 'opened', 'kind', a.kind, 'message', a.message,
                                               'team_member', t.name, 'at', a.created_at,
                                               'local_time', to_char(a.created_at at time zone st.time_zone, 'YYYY-MM-DD HH24:MI')) as e
                     from public.admin_alerts a left join public.team_members t on t.id = a.team_member_id
                     where a.mail_id = c.id
                     union all
                     select jsonb_build_object('event', 'resolved', 'kind', a.kind, 'message', a.message,
                                               'team_member', t.name, 'at', a.resolved_at,
                                               'local_time', to_char(a.resolved_at at time zone st.time_zone, 'YYYY-MM-DD HH24:MI'))
                     from public.admin_alerts a left join public.team_members t on t.id = a.team_member_id
                     where a.resolution_mail_id = c.id) x), '[]'::jsonb)
  from claimed c cross join public.business_settings st
  where st.id
  order by c.id;
end
$$;
comment on function public.claim_admin_alert_mails(timestamptz, integer) is
  'Service role (alert-mail function): groups due alert events into a mail and claims the mails to send now. Returns each claimed mail with its attempt number, events and the admins'' addresses.';

create or replace function public.admin_alert_mail_sent(p_mail_id bigint, p_now timestamptz default now()) returns void
language sql volatile security definer set search_path = ''
as $$
  update public.admin_alert_mails set status = 'sent', sent_at = p_now, last_error = null
  where id = p_mail_id and status = 'sending'
$$;
comment on function public.admin_alert_mail_sent(bigint, timestamptz) is 'Service role: the SMTP server accepted this mail.';

-- A failed send is retried after 1, 5, 15, 60, 60 minutes; after 6 attempts the mail is given
-- up (status failed; the alerts stay visible in Studio).
create or replace function public.admin_alert_mail_failed(p_mail_id bigint, p_error text, p_now timestamptz default now())
returns timestamptz
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_attempts integer;
  v_next timestamptz;
begin
  select attempts into v_attempts from public.admin_alert_mails where id = p_mail_id and status = 'sending' for update;
  if v_attempts is null then
    return null;
  end if;
  if v_attempts < 6 then
    v_next := p_now + (array[interval '1 minute', interval '5 minutes', interval '15 minutes', interval '1 hour',
                             interval '1 hour'])[v_attempts];
  end if;
  update public.admin_alert_mails
  set status = case when v_next is null then 'failed' else 'pending' end,
      next_attempt_at = coalesce(v_next, p_now), last_error = left(coalesce(p_error, 'SMTP failure'), 500)
  where id = p_mail_id;
  return v_next;
end
$$;
comment on function public.admin_alert_mail_failed(bigint, text, timestamptz) is
  'Service role: sending this mail failed; schedules the retry (1, 5, 15, 60, 60 minutes) and returns when, or null after the last attempt.';

revoke all on function public.claim_admin_alert_mails(timestamptz, integer), public.admin_alert_mail_sent(bigint, timestamptz),
  public.admin_alert_mail_failed(bigint, text, timestamptz) from public, anon, authenticated;
grant execute on function public.claim_admin_alert_mails(timestamptz, integer), public.admin_alert_mail_sent(bigint, timestamptz),
  public.admin_alert_mail_failed(bigint, text, timestamptz) to service_role;
comment on function private.group_admin_alert_events(timestamptz) is
  'Puts every pending alert event into one new mail once the oldest is alert_mail_delay_minutes old. Returns the mail id, or null.';
revoke all on function private.group_admin_alert_events(timestamptz) from public, anon, authenticated;

-- Guide, "Calendar Secret Security": rotate secrets quarterly. A Vault secret older than
-- secret_max_age_days raises one "rotate" alert per secret version (rotating it resolves the
-- alert; an admin resolving it by hand is not nagged again until the next version ages).
-- Secrets kept in environment variables have no age the database can see.
create or replace function private.raise_secret_rotation_alerts(p_now timestamptz default now()) returns integer
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_raised integer;
begin
  update public.admin_alerts a set resolved_at = p_now
  from public.team_members m join vault.secrets s on s.name = m.calendar_secret_ref
  where a.team_member_id = m.id and a.kind = 'calendar_secret_rotation' and a.resolved_at is null
    and s.updated_at > a.created_at;
  insert into public.admin_alerts (team_member_id, kind, message, created_at)
  select m.id, 'calendar_secret_rotation',
         format('The calendar secret of %s was last changed %s days ago (on %s); the limit is %s days. Rotate it: ask for a new '
                'private address or password and store it with admin_set_calendar_secret(''%s'', ''<new secret>'').',
                m.name, floor(extract(epoch from p_now - s.updated_at) / 86400)::int,
                to_char(s.updated_at at time zone st.time_zone, 'YYYY-MM-DD'), st.secret_max_age_days, m.id),
         p_now
  from public.team_members m
  join vault.secrets s on s.name = m.calendar_secret_ref
  cross join public.business_settings st
  where st.id and m.is_active
    and s.updated_at < p_now - make_interval(days => st.secret_max_age_days)
    and not exists (select 1 from public.admin_alerts a
                    where a.team_member_id = m.id and a.kind = 'calendar_secret_rotation' and a.created_at >= s.updated_at)
  on conflict (team_member_id, kind) where resolved_at is null do nothing;
  get diagnostics v_raised = row_count;
  return v_raised;
end
$$;
comment on function private.raise_secret_rotation_alerts(timestamptz) is
  'Raises one calendar_secret_rotation alert per team member whose Vault calendar secret is older than secret_max_age_days; resolves it once rotated. Returns how many alerts were raised.';

-- The every-minute job: rotation check, then call alert-mail if anything is due.
create or replace function private.admin_alert_mail_tick(p_now timestamptz default now()) returns bigint
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_due timestamptz := p_now - make_interval(mins => (select alert_mail_delay_minutes from public.business_settings where id));
begin
  perform private.raise_secret_rotation_alerts(p_now);
  if exists (select 1 from public.admin_alerts where mail_id is null and created_at <= v_due)
     or exists (select 1 from public.admin_alerts where resolved_at is not null and resolution_mail_id is null and resolved_at <= v_due)
     or exists (select 1 from public.admin_alert_mails where status in ('pending', 'sending') and next_attempt_at <= p_now) then
    return private.call_edge_function('alert-mail', '{}'::jsonb);
  end if;
  return null;
end
$$;
comment on function private.admin_alert_mail_tick(timestamptz) is
  'pg_cron, every minute: raise secret-rotation alerts, then queue the alert-mail function when a mail is due. Returns the pg_net request id, or null when nothing was due.';
revoke all on function private.raise_secret_rotation_alerts(timestamptz), private.admin_alert_mail_tick(timestamptz)
  from public, anon, authenticated;
