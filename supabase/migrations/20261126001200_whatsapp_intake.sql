-- WhatsApp intake (issue #10): the webhook stores what Meta sent in one call, then each customer's
-- messages are handled one at a time, in timestamp order, under a per-customer lock; a pg_cron
-- sweep picks up whatever was stored but not handled (a crashed or recycled function).

-- The contact of a sender, created on first contact with their profile name. Meta keys customers
-- by wa_id (digits, no '+') or, for username users, only by a business-scoped user id. An existing
-- contact is only completed (the id it lacked), never renamed.
create or replace function private.whatsapp_contact_id(p_wa_id text, p_user_id text, p_profile_name text)
returns uuid
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_number text := case when p_wa_id is not null then '+' || p_wa_id end;
  v_contact public.contacts;
  v_id uuid;
begin
  if v_number is null and p_user_id is null then
    raise exception 'invalid_request: a WhatsApp sender needs a wa_id or a user_id' using errcode = 'BK004';
  end if;
  if v_number is not null then
    select * into v_contact from public.contacts where whatsapp_id = v_number;
  end if;
  if v_contact.id is null and p_user_id is not null then
    select * into v_contact from public.contacts where whatsapp_user_id = p_user_id;
  end if;
  if v_contact.id is not null then
    if (v_contact.whatsapp_id is null and v_number is not null)
       or (v_contact.whatsapp_user_id is null and p_user_id is not null
           and not exists (select 1 from public.contacts where whatsapp_user_id = p_user_id)) then
      update public.contacts set whatsapp_id = coalesce(whatsapp_id, v_number),
                                 whatsapp_user_id = coalesce(whatsapp_user_id, p_user_id)
      where id = v_contact.id;
    end if;
    return v_contact.id;
  end if;
  -- Two deliveries of a new sender's first message may race: one insert wins, both find it.
  insert into public.contacts (whatsapp_id, whatsapp_user_id, name)
  values (v_number, p_user_id, nullif(left(btrim(p_profile_name), 200), ''))
  on conflict do nothing
  returning id into v_id;
  if v_id is null then
    select id into v_id from public.contacts
    where (v_number is not null and whatsapp_id = v_number) or (p_user_id is not null and whatsapp_user_id = p_user_id)
    limit 1;
  end if;
  return v_id;
end
$$;
comment on function private.whatsapp_contact_id(text, text, text) is
  'The contact of a WhatsApp sender (by wa_id, else business-scoped user id), created with their profile name on first contact.';

-- Everything one webhook delivery carries, stored in one transaction. Messages whose Meta id was
-- seen before change nothing (unique constraint, not read-then-write). Returns the customers with
-- newly stored messages, for the handler to work on.
create or replace function private.record_whatsapp_webhook(
  p_messages jsonb, p_statuses jsonb default '[]', p_now timestamptz default now()
) returns table (contact_id uuid, new_messages integer)
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_message record;
  v_contact uuid;
  v_stored uuid;
  v_new jsonb := '{}';
begin
  for v_message in
    select x.* from jsonb_array_elements(coalesce(p_messages, '[]')) with ordinality as e(item, n),
      jsonb_to_record(e.item) x(
        wa_message_id text, wa_id text, user_id text, profile_name text, phone_number_id text, kind text, text text,
        reply_id text, context_id text, timestamp double precision, payload jsonb)
    order by x.timestamp, e.n
  loop
    v_contact := private.whatsapp_contact_id(v_message.wa_id, v_message.user_id, v_message.profile_name);
    insert into public.whatsapp_inbound_messages as m
      (wa_message_id, contact_id, business_phone_number_id, profile_name, kind, text, reply_id, context_wa_message_id,
       sent_at, received_at, payload)
    values (v_message.wa_message_id, v_contact, v_message.phone_number_id, left(v_message.profile_name, 256),
            v_message.kind, left(v_message.text, 4096), left(v_message.reply_id, 256), left(v_message.context_id, 256),
            to_timestamp(v_message.timestamp), p_now,
            case when octet_length(v_message.payload::text) <= 65536 then v_message.payload
                 else jsonb_build_object('truncated', true, 'type', v_message.payload -> 'type') end)
    on conflict (wa_message_id) do nothing
    returning m.id into v_stored;
    if v_stored is not null then
      v_new := jsonb_set(v_new, array[v_contact::text], to_jsonb(coalesce((v_new ->> v_contact::text)::integer, 0) + 1));
    end if;
  end loop;
  perform private.record_whatsapp_statuses(p_statuses);
  return query select key::uuid, value::integer from jsonb_each_text(v_new);
end
$$;
comment on function private.record_whatsapp_webhook(jsonb, jsonb, timestamptz) is
  'Webhook: stores inbound messages (once per Meta id, creating contacts) and statuses in one transaction; returns the contacts with new messages.';

-- The next message of a customer to handle, with the customer's lock held until the caller's
-- transaction ends: one handler per customer at a time, messages in Meta's timestamp order.
create or replace function private.next_whatsapp_inbound(p_contact_id uuid, p_now timestamptz default now())
returns table (id uuid, contact_id uuid, wa_message_id text, kind text, text text, reply_id text, sent_at timestamptz,
               profile_name text, language text)
language plpgsql volatile security definer set search_path = ''
as $$
begin
  perform pg_advisory_xact_lock(hashtextextended('whatsapp_contact:' || p_contact_id::text, 0));
  return query
    select m.id, m.contact_id, m.wa_message_id, m.kind, m.text, m.reply_id, m.sent_at, m.profile_name, c.language
    from public.whatsapp_inbound_messages m
    join public.contacts c on c.id = m.contact_id
    where m.contact_id = p_contact_id and m.handled_at is null and (m.next_handle_at is null or m.next_handle_at <= p_now)
    order by m.sent_at, m.arrival
    limit 1
    for update of m;
end
$$;
comment on function private.next_whatsapp_inbound(uuid, timestamptz) is
  'Handler: locks the customer for the current transaction and returns their oldest unhandled message that is due.';

-- The same without waiting: when another handler holds the customer (busy = true) this one
-- leaves at once instead of holding a connection while it waits; the holder looks again after
-- its last transaction, so a message stored meanwhile is never left behind.
create or replace function private.try_next_whatsapp_inbound(p_contact_id uuid, p_now timestamptz default now())
returns table (busy boolean, id uuid, contact_id uuid, wa_message_id text, kind text, text text, reply_id text,
               sent_at timestamptz, profile_name text, language text)
language plpgsql volatile security definer set search_path = ''
as $$
begin
  if not pg_try_advisory_xact_lock(hashtextextended('whatsapp_contact:' || p_contact_id::text, 0)) then
    return query select true, null::uuid, null::uuid, null::text, null::text, null::text, null::text,
                        null::timestamptz, null::text, null::text;
    return;
  end if;
  return query
    select false, m.id, m.contact_id, m.wa_message_id, m.kind, m.text, m.reply_id, m.sent_at, m.profile_name, c.language
    from public.whatsapp_inbound_messages m
    join public.contacts c on c.id = m.contact_id
    where m.contact_id = p_contact_id and m.handled_at is null and (m.next_handle_at is null or m.next_handle_at <= p_now)
    order by m.sent_at, m.arrival
    limit 1
    for update of m;
end
$$;
comment on function private.try_next_whatsapp_inbound(uuid, timestamptz) is
  'Handler: like next_whatsapp_inbound, but answers busy = true at once when another handler holds the customer.';

-- Whether a customer has a message waiting (the handler''s last look after releasing the lock).
create or replace function private.whatsapp_inbound_waiting(p_contact_id uuid, p_now timestamptz default now())
returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (select 1 from public.whatsapp_inbound_messages m
                 where m.contact_id = p_contact_id and m.handled_at is null
                   and (m.next_handle_at is null or m.next_handle_at <= p_now))
$$;
comment on function private.whatsapp_inbound_waiting(uuid, timestamptz) is
  'Handler: true when the customer has an unhandled message that is due.';

create or replace function private.mark_whatsapp_inbound_handled(p_id uuid, p_now timestamptz default now())
returns void
language sql volatile security definer set search_path = ''
as $$
  update public.whatsapp_inbound_messages set handled_at = p_now, last_handle_error = null
  where id = p_id and handled_at is null
$$;
comment on function private.mark_whatsapp_inbound_handled(uuid, timestamptz) is
  'Handler: marks a message handled, in the transaction that queued its reply.';

-- A handler that failed (the transaction with the reply rolled back) tries again after 1, 5, 15
-- and 60 minutes; the fifth failure gives up with an admin alert rather than retrying forever.
create or replace function private.record_whatsapp_handle_failure(p_id uuid, p_error text, p_now timestamptz default now())
returns void
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_row public.whatsapp_inbound_messages;
begin
  update public.whatsapp_inbound_messages
  set handle_attempts = handle_attempts + 1, last_handle_error = left(coalesce(p_error, 'handler failed'), 500),
      next_handle_at = p_now + (array[interval '1 minute', interval '5 minutes', interval '15 minutes', interval '1 hour'])
                                  [least(handle_attempts + 1, 4)]
  where id = p_id and handled_at is null
  returning * into v_row;
  if v_row.handle_attempts >= 5 then
    update public.whatsapp_inbound_messages set handled_at = p_now where id = p_id;
    insert into public.admin_alerts (kind, message)
    select 'whatsapp_message_unanswered',
           format('A WhatsApp message from %s (%s) could not be answered after %s attempts (%s). Please reply by hand.',
                  coalesce(c.name, 'a customer'), coalesce(c.whatsapp_id, c.whatsapp_user_id), v_row.handle_attempts,
                  v_row.last_handle_error)
    from public.contacts c where c.id = v_row.contact_id;
  end if;
end
$$;
comment on function private.record_whatsapp_handle_failure(uuid, text, timestamptz) is
  'Handler: records a failed attempt (retry with backoff; after 5 the message is given up with an admin alert).';

-- Images, voice notes, locations, reactions...: the channel answers them itself, in the
-- customer's language, instead of passing them to the booking conversation.
create or replace function private.answer_unsupported_whatsapp_message(p_inbound_id uuid) returns uuid
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_contact uuid;
  v_language text;
begin
  select m.contact_id, left(c.language, 2) into v_contact, v_language
  from public.whatsapp_inbound_messages m join public.contacts c on c.id = m.contact_id where m.id = p_inbound_id;
  if v_contact is null then
    raise exception 'not_found: inbound message % does not exist', p_inbound_id using errcode = 'BK003';
  end if;
  return private.queue_whatsapp_message(v_contact, jsonb_build_object('type', 'text', 'text', case v_language
    when 'de' then 'Entschuldigung, ich kann nur Textnachrichten lesen. Bitte schreiben Sie mir, was Sie möchten.'
    when 'fr' then 'Désolé, je ne peux lire que les messages texte. Écrivez-moi ce que vous souhaitez, s''il vous plaît.'
    when 'it' then 'Mi dispiace, posso leggere solo messaggi di testo. Mi scriva che cosa desidera, per favore.'
    else 'Sorry, I can read text messages only. Please write to me what you would like.' end),
    p_inbound_id, 'unsupported_message_notice');
end
$$;
comment on function private.answer_unsupported_whatsapp_message(uuid) is
  'Queues the polite "I can read text messages only" answer to a non-text message, in the customer''s language.';

-- Customers with work: unhandled messages that are due (p_settle: only those stored at least that
-- long ago, so the sweep leaves fresh ones to the webhook that stored them) or outbox messages due.
create or replace function private.whatsapp_contacts_with_work(
  p_now timestamptz default now(), p_settle interval default interval '0', p_limit integer default 100
) returns setof uuid
language sql stable security definer set search_path = ''
as $$
  select contact_id from (
    select m.contact_id from public.whatsapp_inbound_messages m
    where m.handled_at is null and (m.next_handle_at is null or m.next_handle_at <= p_now)
      and m.received_at <= p_now - p_settle
    union
    select o.contact_id from public.whatsapp_outbound_messages o
    where (o.status = 'queued' and o.next_attempt_at <= p_now) or (o.status = 'sending' and o.claimed_until < p_now)
  ) w
  limit p_limit
$$;
comment on function private.whatsapp_contacts_with_work(timestamptz, interval, integer) is
  'Sweep: customers with unhandled messages (stored at least p_settle ago) or due outbox messages.';

-- pg_cron, every minute: wakes the whatsapp-worker function only when there is something to do.
create or replace function private.whatsapp_sweep(p_now timestamptz default now()) returns bigint
language plpgsql volatile security definer set search_path = ''
as $$
begin
  if exists (select 1 from private.whatsapp_contacts_with_work(p_now, interval '1 minute', 1)) then
    return private.call_edge_function('whatsapp-worker', '{}'::jsonb);
  end if;
  return null;
end
$$;
comment on function private.whatsapp_sweep(timestamptz) is
  'pg_cron: calls the whatsapp-worker function when a message waits to be handled (over a minute) or an outbox message is due.';

revoke all on function private.whatsapp_contact_id(text, text, text),
  private.record_whatsapp_webhook(jsonb, jsonb, timestamptz), private.next_whatsapp_inbound(uuid, timestamptz),
  private.try_next_whatsapp_inbound(uuid, timestamptz), private.whatsapp_inbound_waiting(uuid, timestamptz),
  private.mark_whatsapp_inbound_handled(uuid, timestamptz), private.record_whatsapp_handle_failure(uuid, text, timestamptz),
  private.answer_unsupported_whatsapp_message(uuid), private.whatsapp_contacts_with_work(timestamptz, interval, integer),
  private.whatsapp_sweep(timestamptz)
  from public, anon, authenticated;
grant execute on function private.whatsapp_contact_id(text, text, text),
  private.record_whatsapp_webhook(jsonb, jsonb, timestamptz), private.next_whatsapp_inbound(uuid, timestamptz),
  private.try_next_whatsapp_inbound(uuid, timestamptz), private.whatsapp_inbound_waiting(uuid, timestamptz),
  private.mark_whatsapp_inbound_handled(uuid, timestamptz), private.record_whatsapp_handle_failure(uuid, text, timestamptz),
  private.answer_unsupported_whatsapp_message(uuid), private.whatsapp_contacts_with_work(timestamptz, interval, integer),
  private.whatsapp_sweep(timestamptz)
  to service_role;
