-- The WhatsApp outbox (issue #10): replies are queued in the transaction that decided them, claimed
-- by a sender, sent, and retried with backoff; Meta's statuses move them forward, never back.

-- Order of a message's life; a status only ever replaces a lower one. Meta's "played" (voice)
-- counts as read; "failed" is final.
create or replace function private.whatsapp_status_rank(p_status text) returns integer
language sql immutable set search_path = ''
as $$
  select case p_status when 'queued' then 0 when 'sending' then 1 when 'sent' then 2 when 'delivered' then 3
                       when 'read' then 4 when 'failed' then 5 end
$$;
comment on function private.whatsapp_status_rank(text) is
  'Rank of an outbound message status: queued < sending < sent < delivered < read < failed; a status never moves to a lower rank.';

-- Checks the channel-neutral shape; the limits Meta puts on lengths are applied when rendering
-- (shortened, never rejected), so only the structure is checked here.
create or replace function private.check_whatsapp_message(p_message jsonb) returns void
language plpgsql immutable set search_path = ''
as $$
declare
  v_type text := p_message ->> 'type';
begin
  if jsonb_typeof(p_message) is distinct from 'object' then
    raise exception 'invalid_message: a message is a JSON object with a "type"' using errcode = '22023';
  end if;
  if v_type in ('text', 'buttons', 'list')
     and (jsonb_typeof(p_message -> 'text') is distinct from 'string' or btrim(p_message ->> 'text') = '') then
    raise exception 'invalid_message: a % message needs a non-empty "text"', v_type using errcode = '22023';
  end if;
  case v_type
    when 'text' then null;
    when 'buttons' then
      if jsonb_typeof(p_message -> 'buttons') is distinct from 'array' or jsonb_array_length(p_message -> 'buttons') = 0
         or exists (select 1 from jsonb_array_elements(p_message -> 'buttons') b
                    where jsonb_typeof(b -> 'id') is distinct from 'string' or jsonb_typeof(b -> 'title') is distinct from 'string'
                       or b ->> 'id' = '' or char_length(b ->> 'id') > 200 or btrim(b ->> 'title') = '') then
        raise exception 'invalid_message: "buttons" must be a non-empty array of {"id" (at most 200 characters), "title"} strings'
          using errcode = '22023';
      end if;
    when 'list' then
      if jsonb_typeof(p_message -> 'rows') is distinct from 'array' or jsonb_array_length(p_message -> 'rows') = 0
         or exists (select 1 from jsonb_array_elements(p_message -> 'rows') r
                    where jsonb_typeof(r -> 'id') is distinct from 'string' or jsonb_typeof(r -> 'title') is distinct from 'string'
                       or r ->> 'id' = '' or char_length(r ->> 'id') > 200 or btrim(r ->> 'title') = ''
                       or (r ? 'description' and jsonb_typeof(r -> 'description') not in ('string', 'null'))) then
        raise exception 'invalid_message: "rows" must be a non-empty array of {"id" (at most 200 characters), "title", "description"?} strings'
          using errcode = '22023';
      end if;
      if jsonb_typeof(p_message -> 'button') is distinct from 'string' or btrim(p_message ->> 'button') = '' then
        raise exception 'invalid_message: a list needs the label of its "button"' using errcode = '22023';
      end if;
    when 'template' then
      if jsonb_typeof(p_message -> 'name') is distinct from 'string' or (p_message ->> 'name') !~ '^[a-z0-9_]+$' or length(p_message ->> 'name') > 512
         or jsonb_typeof(p_message -> 'language') is distinct from 'string' or (p_message ->> 'language') !~ '^[a-z]{2,3}(_[A-Z]{2})?$'
         or (p_message ? 'components' and jsonb_typeof(p_message -> 'components') <> 'array') then
        raise exception 'invalid_message: a template needs "name" (a-z, 0-9, _), "language" (e.g. de or en_US) and optional "components" array'
          using errcode = '22023';
      end if;
    else
      raise exception 'invalid_message: type must be text, buttons, list or template' using errcode = '22023';
  end case;
end
$$;
comment on function private.check_whatsapp_message(jsonb) is 'Raises invalid_message (22023) unless the channel-neutral message has a valid shape.';

-- Contract with the booking conversation (#11): queues one message in the CALLER's transaction,
-- so the reply exists exactly when the state change that caused it commits.
create or replace function private.queue_whatsapp_message(
  p_contact_id uuid, p_message jsonb, p_in_reply_to uuid default null, p_purpose text default 'reply'
) returns uuid
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_id uuid;
begin
  perform private.check_whatsapp_message(p_message);
  if p_purpose is null or p_purpose !~ '^[a-z_]{1,40}$' then
    raise exception 'invalid_message: purpose must be a short snake_case word such as reply or booking_confirmation'
      using errcode = '22023';
  end if;
  if not exists (select 1 from public.contacts where id = p_contact_id) then
    raise exception 'not_found: contact % does not exist', p_contact_id using errcode = 'BK003';
  end if;
  if p_in_reply_to is not null and not exists (
    select 1 from public.whatsapp_inbound_messages where id = p_in_reply_to and contact_id = p_contact_id) then
    raise exception 'not_found: inbound message % of this contact does not exist', p_in_reply_to using errcode = 'BK003';
  end if;
  insert into public.whatsapp_outbound_messages (contact_id, in_reply_to, purpose, message)
  values (p_contact_id, p_in_reply_to, p_purpose, p_message)
  returning id into v_id;
  return v_id;
end
$$;
comment on function private.queue_whatsapp_message(uuid, jsonb, uuid, text) is
  'Queues a WhatsApp message to a contact in the caller''s transaction; returns its outbox id. purpose booking_confirmation: a permanent failure raises an admin alert.';

-- Hands out due messages to a sender: the oldest pending message of each customer only (their
-- messages go out in order), rows another sender holds are skipped, and a claim lapses after two
-- minutes (the sender died) so the message is due again.
create or replace function private.claim_whatsapp_sends(
  p_limit integer default 20, p_contact_id uuid default null, p_now timestamptz default now()
) returns table (id uuid, contact_id uuid, whatsapp_id text, whatsapp_user_id text, purpose text, message jsonb,
                 attempts integer)
language sql volatile security definer set search_path = ''
as $$
  with due as (
    select o.id from public.whatsapp_outbound_messages o
    where (p_contact_id is null or o.contact_id = p_contact_id)
      and ((o.status = 'queued' and o.next_attempt_at <= p_now) or (o.status = 'sending' and o.claimed_until < p_now))
      and not exists (select 1 from public.whatsapp_outbound_messages e
                      where e.contact_id = o.contact_id and e.status in ('queued', 'sending')
                        and e.queue_position < o.queue_position)
    order by o.queue_position
    limit p_limit
    for update of o skip locked
  )
  update public.whatsapp_outbound_messages o
  set status = 'sending', attempts = o.attempts + 1, claimed_until = p_now + interval '2 minutes'
  from due, public.contacts c
  where o.id = due.id and c.id = o.contact_id
  returning o.id, o.contact_id, c.whatsapp_id, c.whatsapp_user_id, o.purpose, o.message, o.attempts
$$;
comment on function private.claim_whatsapp_sends(integer, uuid, timestamptz) is
  'Sender: claims due outbox messages (oldest pending per customer, skip locked, two-minute lease) and returns what sending needs.';

-- Backoff after a retryable failure (429, 5xx, 130429, 131056): 15 s, 30 s, 1 min, ... at most
-- 15 min; after this many attempts the message fails for good.
create or replace function private.whatsapp_retry_delay(p_attempts integer) returns interval
language sql immutable set search_path = ''
as $$ select least(interval '15 minutes', interval '15 seconds' * power(2, greatest(p_attempts, 1) - 1)) $$;
comment on function private.whatsapp_retry_delay(integer) is 'Wait before the next send attempt after p_attempts failed ones.';

create or replace function private.whatsapp_max_send_attempts() returns integer
language sql immutable set search_path = '' as $$ select 8 $$;
comment on function private.whatsapp_max_send_attempts() is 'Send attempts before a retryable failure becomes permanent.';

-- Applies what Meta reported for one of our messages: the highest-ranked status wins, timestamps
-- of delivered and read are kept even when they arrive late.
create or replace function private.apply_whatsapp_statuses(p_wa_message_id text) returns void
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_best public.whatsapp_message_statuses;
begin
  select * into v_best from public.whatsapp_message_statuses
  where wa_message_id = p_wa_message_id order by private.whatsapp_status_rank(status) desc limit 1;
  if v_best.wa_message_id is null then
    return;
  end if;
  update public.whatsapp_outbound_messages o
  set status = case when private.whatsapp_status_rank(v_best.status) > private.whatsapp_status_rank(o.status)
                    then v_best.status else o.status end,
      delivered_at = coalesce(o.delivered_at, (select s.occurred_at from public.whatsapp_message_statuses s
                                               where s.wa_message_id = p_wa_message_id and s.status = 'delivered')),
      read_at = coalesce(o.read_at, (select s.occurred_at from public.whatsapp_message_statuses s
                                     where s.wa_message_id = p_wa_message_id and s.status = 'read')),
      failed_at = case when v_best.status = 'failed' and o.status <> 'failed' then v_best.occurred_at else o.failed_at end,
      error_code = case when v_best.status = 'failed' and o.status <> 'failed' then v_best.error_code else o.error_code end,
      error_title = case when v_best.status = 'failed' and o.status <> 'failed' then v_best.error_title else o.error_title end,
      claimed_until = null
  where o.wa_message_id = p_wa_message_id and o.status in ('sent', 'delivered', 'read');
end
$$;
comment on function private.apply_whatsapp_statuses(text) is
  'Moves an outbound message to the highest status Meta reported for it (never backwards).';

-- Statuses from a webhook: each (message, status) is stored once; only new ones are applied, so a
-- repeated status changes nothing.
create or replace function private.record_whatsapp_statuses(p_statuses jsonb) returns integer
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_id text;
  v_count integer := 0;
begin
  for v_id in
    insert into public.whatsapp_message_statuses (wa_message_id, status, occurred_at, error_code, error_title)
    select x.id, case x.status when 'played' then 'read' else x.status end, to_timestamp(x.timestamp), x.error_code,
           left(x.error_title, 500)
    from jsonb_to_recordset(coalesce(p_statuses, '[]')) x(id text, status text, timestamp double precision,
                                                          error_code integer, error_title text)
    where x.status in ('sent', 'delivered', 'read', 'played', 'failed')
    on conflict (wa_message_id, status) do nothing
    returning wa_message_id
  loop
    v_count := v_count + 1;
    perform private.apply_whatsapp_statuses(v_id);
  end loop;
  return v_count;
end
$$;
comment on function private.record_whatsapp_statuses(jsonb) is
  'Webhook: stores Meta statuses [{"id","status","timestamp","error_code","error_title"}] once each and applies the new ones; returns how many were new.';

-- What happened to one send attempt. outcome: 'sent' (Meta accepted it, with its id), 'retry'
-- (rate limit, server error, network: due again after the backoff) or 'failed' (permanent, with
-- Meta's code). Only a message that is being sent is changed.
create or replace function private.record_whatsapp_send_result(
  p_id uuid, p_outcome text, p_wa_message_id text default null, p_error_code integer default null,
  p_error_title text default null, p_now timestamptz default now()
) returns text
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_row public.whatsapp_outbound_messages;
begin
  select * into v_row from public.whatsapp_outbound_messages where id = p_id for update;
  if v_row.id is null then
    raise exception 'not_found: outbound message % does not exist', p_id using errcode = 'BK003';
  end if;
  if v_row.status <> 'sending' then
    return v_row.status;
  end if;
  if p_outcome = 'sent' then
    if p_wa_message_id is null or p_wa_message_id = '' then
      raise exception 'invalid_request: a sent message needs Meta''s message id' using errcode = 'BK004';
    end if;
    update public.whatsapp_outbound_messages
    set status = 'sent', wa_message_id = p_wa_message_id, sent_at = p_now, claimed_until = null,
        error_code = null, error_title = null
    where id = p_id;
    -- Meta's statuses can overtake the answer to our send.
    perform private.apply_whatsapp_statuses(p_wa_message_id);
  elsif p_outcome = 'retry' and v_row.attempts < private.whatsapp_max_send_attempts() then
    update public.whatsapp_outbound_messages
    set status = 'queued', next_attempt_at = p_now + private.whatsapp_retry_delay(v_row.attempts), claimed_until = null,
        error_code = p_error_code, error_title = left(p_error_title, 500)
    where id = p_id;
  elsif p_outcome in ('retry', 'failed') then
    update public.whatsapp_outbound_messages
    set status = 'failed', failed_at = p_now, claimed_until = null, error_code = p_error_code,
        error_title = left(coalesce(p_error_title, 'send failed') ||
                           case when p_outcome = 'retry' then format(' (gave up after %s attempts)', v_row.attempts) else '' end, 500)
    where id = p_id;
  else
    raise exception 'invalid_request: outcome must be sent, retry or failed' using errcode = 'BK004';
  end if;
  return (select status from public.whatsapp_outbound_messages where id = p_id);
end
$$;
comment on function private.record_whatsapp_send_result(uuid, text, text, integer, text, timestamptz) is
  'Sender: records one send attempt (sent with Meta''s id, retry with backoff, or failed with the code); returns the new status.';

-- A booking confirmation that can never be delivered is an admin's problem: the customer may not
-- know they are booked.
create or replace function private.alert_failed_whatsapp_confirmation() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  v_contact public.contacts;
begin
  select * into v_contact from public.contacts where id = new.contact_id;
  insert into public.admin_alerts (kind, whatsapp_message_id, message)
  values ('whatsapp_send_failed', new.id,
          format('The WhatsApp booking confirmation to %s (%s) could not be delivered: error %s (%s). Please confirm the booking another way.',
                 coalesce(v_contact.name, 'a customer'), coalesce(v_contact.whatsapp_id, v_contact.whatsapp_user_id),
                 coalesce(new.error_code::text, 'unknown'), coalesce(new.error_title, 'no details')));
  return new;
end
$$;
comment on function private.alert_failed_whatsapp_confirmation() is 'Trigger: opens an admin alert when a booking confirmation fails for good.';

drop trigger if exists alert_failed_whatsapp_confirmation on public.whatsapp_outbound_messages;
create trigger alert_failed_whatsapp_confirmation
  after update of status on public.whatsapp_outbound_messages
  for each row when (new.status = 'failed' and old.status <> 'failed' and new.purpose = 'booking_confirmation')
  execute function private.alert_failed_whatsapp_confirmation();

revoke all on function private.whatsapp_status_rank(text), private.check_whatsapp_message(jsonb),
  private.queue_whatsapp_message(uuid, jsonb, uuid, text), private.claim_whatsapp_sends(integer, uuid, timestamptz),
  private.whatsapp_retry_delay(integer), private.whatsapp_max_send_attempts(), private.apply_whatsapp_statuses(text),
  private.record_whatsapp_statuses(jsonb), private.record_whatsapp_send_result(uuid, text, text, integer, text, timestamptz),
  private.alert_failed_whatsapp_confirmation()
  from public, anon, authenticated;
grant execute on function private.whatsapp_status_rank(text), private.check_whatsapp_message(jsonb),
  private.queue_whatsapp_message(uuid, jsonb, uuid, text), private.claim_whatsapp_sends(integer, uuid, timestamptz),
  private.whatsapp_retry_delay(integer), private.whatsapp_max_send_attempts(), private.apply_whatsapp_statuses(text),
  private.record_whatsapp_statuses(jsonb), private.record_whatsapp_send_result(uuid, text, text, integer, text, timestamptz)
  to service_role;
