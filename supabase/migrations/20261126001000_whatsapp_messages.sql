-- The WhatsApp channel's tables (issue #10): customers keyed by WhatsApp id, every inbound message
-- exactly once (Meta's message id is unique), an outbox of replies, and every delivery status Meta
-- reported. Logic lives in 20261126001100_whatsapp_outbox.sql and 20261126001200_whatsapp_intake.sql.

-- Contacts: since 2026 Meta may send only a business-scoped user id (BSUID, "US.1349...") for a
-- customer who adopted a username; such a customer has no phone number we may know.
alter table public.contacts add column if not exists whatsapp_user_id text;
alter table public.contacts alter column whatsapp_id drop not null;
do $$
begin
  if not exists (select 1 from pg_constraint where conname = 'contacts_whatsapp_user_id_format') then
    alter table public.contacts add constraint contacts_whatsapp_user_id_format
      check (whatsapp_user_id ~ '^[A-Z]{2}\.[A-Za-z0-9]{1,128}$');
  end if;
  if not exists (select 1 from pg_constraint where conname = 'contacts_whatsapp_user_id_key') then
    alter table public.contacts add constraint contacts_whatsapp_user_id_key unique (whatsapp_user_id);
  end if;
  if not exists (select 1 from pg_constraint where conname = 'contacts_reachable_on_whatsapp') then
    alter table public.contacts add constraint contacts_reachable_on_whatsapp
      check (whatsapp_id is not null or whatsapp_user_id is not null);
  end if;
end
$$;
comment on column public.contacts.whatsapp_id is
  'WhatsApp number in E.164 form, e.g. +41791234567 (Meta''s wa_id with a +). Null only for a customer Meta identifies by whatsapp_user_id alone.';
comment on column public.contacts.whatsapp_user_id is
  'Meta''s business-scoped user id (BSUID, e.g. US.13491208655302741918), sent instead of or beside the number since 2026.';

create table if not exists public.whatsapp_inbound_messages (
  id uuid primary key default gen_random_uuid(),
  wa_message_id text not null unique check (char_length(wa_message_id) between 1 and 256),
  contact_id uuid not null references public.contacts (id) on delete cascade,
  business_phone_number_id text check (char_length(business_phone_number_id) <= 64),
  profile_name text check (char_length(profile_name) <= 256),
  kind text not null check (kind ~ '^[a-z_]{1,40}$'),
  text text check (char_length(text) <= 4096),
  reply_id text check (char_length(reply_id) <= 256),
  context_wa_message_id text check (char_length(context_wa_message_id) <= 256),
  sent_at timestamptz not null check (sent_at > '2000-01-01' and sent_at < '3000-01-01'),
  received_at timestamptz not null default now(),
  payload jsonb not null check (jsonb_typeof(payload) = 'object' and octet_length(payload::text) <= 65536),
  handled_at timestamptz,
  handle_attempts integer not null default 0 check (handle_attempts >= 0),
  next_handle_at timestamptz,
  last_handle_error text check (char_length(last_handle_error) <= 500),
  arrival bigint generated always as identity
);
create index if not exists whatsapp_inbound_unhandled_idx
  on public.whatsapp_inbound_messages (contact_id, sent_at, arrival) where handled_at is null;
create index if not exists whatsapp_inbound_contact_idx on public.whatsapp_inbound_messages (contact_id, sent_at);

comment on table public.whatsapp_inbound_messages is
  'Every message a customer sent on WhatsApp, stored once (Meta retries and may deliver twice), then handled one at a time per customer in timestamp order.';
comment on column public.whatsapp_inbound_messages.id is 'Our id of the message (the responder''s InboundMessage.id, replies'' in_reply_to).';
comment on column public.whatsapp_inbound_messages.wa_message_id is 'Meta''s message id (wamid...); unique, so a redelivery changes nothing.';
comment on column public.whatsapp_inbound_messages.contact_id is 'The customer who wrote.';
comment on column public.whatsapp_inbound_messages.business_phone_number_id is 'Our WhatsApp number (Meta phone_number_id) that received it.';
comment on column public.whatsapp_inbound_messages.profile_name is 'The WhatsApp profile name the customer had when writing.';
comment on column public.whatsapp_inbound_messages.kind is
  'text, button_reply, list_reply, button (template quick reply), or what Meta called anything else (image, audio, location, reaction, unsupported, ...).';
comment on column public.whatsapp_inbound_messages.text is 'Text body, or the title of the tapped button or list row (first 4096 characters).';
comment on column public.whatsapp_inbound_messages.reply_id is 'Id of the tapped button or list row, or the template button payload.';
comment on column public.whatsapp_inbound_messages.context_wa_message_id is 'Meta id of our message this one replies to, if any.';
comment on column public.whatsapp_inbound_messages.sent_at is 'When the customer sent it (Meta''s timestamp); messages of a customer are handled in this order.';
comment on column public.whatsapp_inbound_messages.received_at is 'When the webhook stored it.';
comment on column public.whatsapp_inbound_messages.payload is 'The message object as Meta sent it (at most 64 kB; longer ones keep the fields above only).';
comment on column public.whatsapp_inbound_messages.handled_at is 'When the reply was decided (null: not yet; the sweep picks it up).';
comment on column public.whatsapp_inbound_messages.handle_attempts is 'Failed attempts to handle it so far.';
comment on column public.whatsapp_inbound_messages.next_handle_at is 'Earliest time of the next attempt after a failure (null: due at once).';
comment on column public.whatsapp_inbound_messages.last_handle_error is 'Why the last attempt failed (no message content).';
comment on column public.whatsapp_inbound_messages.arrival is 'Order of storing; breaks ties between messages with the same Meta timestamp (seconds).';

create table if not exists public.whatsapp_outbound_messages (
  id uuid primary key default gen_random_uuid(),
  contact_id uuid not null references public.contacts (id) on delete cascade,
  in_reply_to uuid references public.whatsapp_inbound_messages (id) on delete set null,
  purpose text not null default 'reply' check (purpose ~ '^[a-z_]{1,40}$'),
  message jsonb not null check (jsonb_typeof(message) = 'object'
                                and message ->> 'type' in ('text', 'buttons', 'list', 'template')),
  status text not null default 'queued'
    check (status in ('queued', 'sending', 'sent', 'delivered', 'read', 'failed')),
  wa_message_id text unique check (char_length(wa_message_id) between 1 and 256),
  attempts integer not null default 0 check (attempts >= 0),
  next_attempt_at timestamptz not null default now(),
  claimed_until timestamptz,
  error_code integer,
  error_title text check (char_length(error_title) <= 500),
  created_at timestamptz not null default now(),
  sent_at timestamptz,
  delivered_at timestamptz,
  read_at timestamptz,
  failed_at timestamptz,
  queue_position bigint generated always as identity,
  check ((status = 'failed') = (failed_at is not null)),
  check (status in ('queued', 'sending', 'failed') or wa_message_id is not null)
);
create index if not exists whatsapp_outbound_due_idx
  on public.whatsapp_outbound_messages (next_attempt_at) where status in ('queued', 'sending');
create index if not exists whatsapp_outbound_contact_idx on public.whatsapp_outbound_messages (contact_id, queue_position);
create index if not exists whatsapp_outbound_in_reply_to_idx on public.whatsapp_outbound_messages (in_reply_to);

comment on table public.whatsapp_outbound_messages is
  'Outbox: every message to a customer, written in the same transaction as the decision that caused it, then sent to Meta; status follows Meta''s reports.';
comment on column public.whatsapp_outbound_messages.id is 'Our id of the message (returned by private.queue_whatsapp_message).';
comment on column public.whatsapp_outbound_messages.contact_id is 'The customer it goes to.';
comment on column public.whatsapp_outbound_messages.in_reply_to is 'The inbound message it answers, if any.';
comment on column public.whatsapp_outbound_messages.purpose is
  'Why it is sent: reply, booking_confirmation (a permanent failure raises an admin alert), unsupported_message_notice, reminder, ...';
comment on column public.whatsapp_outbound_messages.message is
  'Channel-neutral message: {"type":"text","text"} | {"type":"buttons","text","buttons":[{"id","title"}]} | {"type":"list","text","button","rows":[{"id","title","description"}]} | {"type":"template","name","language","components"}.';
comment on column public.whatsapp_outbound_messages.status is
  'queued (waiting or retrying) -> sending -> sent (Meta accepted it) -> delivered -> read; or failed (see error_code). Never moves backwards.';
comment on column public.whatsapp_outbound_messages.wa_message_id is 'Meta''s id for the sent message (statuses refer to it).';
comment on column public.whatsapp_outbound_messages.attempts is 'Send attempts so far.';
comment on column public.whatsapp_outbound_messages.next_attempt_at is 'When a queued message is due (later after a retryable failure: backoff).';
comment on column public.whatsapp_outbound_messages.claimed_until is 'While sending: a sender holds it until then; after that it is due again (the sender died).';
comment on column public.whatsapp_outbound_messages.error_code is 'Meta''s error code of the last failure (e.g. 131047: outside the 24-hour window), or the HTTP status.';
comment on column public.whatsapp_outbound_messages.error_title is 'What the last failure means (never the access token).';
comment on column public.whatsapp_outbound_messages.created_at is 'When it was queued.';
comment on column public.whatsapp_outbound_messages.sent_at is 'When Meta accepted it.';
comment on column public.whatsapp_outbound_messages.delivered_at is 'When Meta reported it delivered (Meta''s timestamp).';
comment on column public.whatsapp_outbound_messages.read_at is 'When Meta reported it read (Meta''s timestamp).';
comment on column public.whatsapp_outbound_messages.failed_at is 'When it failed for good.';
comment on column public.whatsapp_outbound_messages.queue_position is 'Order of queuing; a customer''s messages are sent in this order (several may be queued in one transaction).';

-- Every status Meta reported, once per (message, status): redeliveries change nothing, and a
-- status that arrives before our send recorded Meta's id is applied when it does.
create table if not exists public.whatsapp_message_statuses (
  wa_message_id text not null check (char_length(wa_message_id) between 1 and 256),
  status text not null check (status in ('sent', 'delivered', 'read', 'failed')),
  occurred_at timestamptz not null,
  error_code integer,
  error_title text check (char_length(error_title) <= 500),
  received_at timestamptz not null default now(),
  primary key (wa_message_id, status)
);
comment on table public.whatsapp_message_statuses is 'Delivery statuses Meta reported for our messages, each once.';
comment on column public.whatsapp_message_statuses.wa_message_id is 'Meta''s id of our message.';
comment on column public.whatsapp_message_statuses.status is 'sent, delivered, read (Meta''s played counts as read) or failed.';
comment on column public.whatsapp_message_statuses.occurred_at is 'Meta''s timestamp.';
comment on column public.whatsapp_message_statuses.error_code is 'Meta''s error code of a failed status.';
comment on column public.whatsapp_message_statuses.error_title is 'Meta''s error title of a failed status.';
comment on column public.whatsapp_message_statuses.received_at is 'When the webhook stored it.';

-- A failed booking confirmation is something an admin must see (the customer thinks they may not
-- be booked); the alert links the message.
alter table public.admin_alerts add column if not exists whatsapp_message_id uuid
  references public.whatsapp_outbound_messages (id) on delete cascade;
create index if not exists admin_alerts_whatsapp_message_id_idx on public.admin_alerts (whatsapp_message_id);
comment on column public.admin_alerts.whatsapp_message_id is 'The WhatsApp message that failed (kind whatsapp_send_failed).';

-- Access: the messages are personal data, readable exactly where the customer is (contacts RLS);
-- admins read them all; the service role (edge functions) writes them and bypasses RLS; anon
-- nothing. No API user writes: the rows are the record of what the customer wrote, what we sent
-- and what Meta reported, and the webhook and sender act on them (an inserted or edited row would
-- be answered, sent or counted as if it were real).
alter table public.whatsapp_inbound_messages enable row level security;
alter table public.whatsapp_outbound_messages enable row level security;
alter table public.whatsapp_message_statuses enable row level security;
revoke all on public.whatsapp_inbound_messages, public.whatsapp_outbound_messages, public.whatsapp_message_statuses
  from anon, authenticated;
grant select on public.whatsapp_inbound_messages, public.whatsapp_outbound_messages, public.whatsapp_message_statuses
  to authenticated;

drop policy if exists "Admins manage whatsapp inbound messages" on public.whatsapp_inbound_messages;
drop policy if exists "Admins read whatsapp inbound messages" on public.whatsapp_inbound_messages;
create policy "Admins read whatsapp inbound messages" on public.whatsapp_inbound_messages for select to authenticated
  using ((select private.is_admin()));
drop policy if exists "Inbound messages are viewable where their customer is" on public.whatsapp_inbound_messages;
create policy "Inbound messages are viewable where their customer is" on public.whatsapp_inbound_messages
  for select to authenticated using (exists (select 1 from public.contacts c where c.id = contact_id));

drop policy if exists "Admins manage whatsapp outbound messages" on public.whatsapp_outbound_messages;
drop policy if exists "Admins read whatsapp outbound messages" on public.whatsapp_outbound_messages;
create policy "Admins read whatsapp outbound messages" on public.whatsapp_outbound_messages for select to authenticated
  using ((select private.is_admin()));
drop policy if exists "Outbound messages are viewable where their customer is" on public.whatsapp_outbound_messages;
create policy "Outbound messages are viewable where their customer is" on public.whatsapp_outbound_messages
  for select to authenticated using (exists (select 1 from public.contacts c where c.id = contact_id));

drop policy if exists "Admins manage whatsapp message statuses" on public.whatsapp_message_statuses;
drop policy if exists "Admins read whatsapp message statuses" on public.whatsapp_message_statuses;
create policy "Admins read whatsapp message statuses" on public.whatsapp_message_statuses for select to authenticated
  using ((select private.is_admin()));
