-- For the admin in Studio: each customer's WhatsApp conversation, messages in and out in the order
-- they were written, with what became of each. security_invoker: a viewer sees exactly the
-- messages the tables' RLS lets them see.
create or replace view public.whatsapp_conversation_messages with (security_invoker = true) as
select c.id as contact_id,
       c.name as contact_name,
       coalesce(c.whatsapp_id, c.whatsapp_user_id) as whatsapp_address,
       w.at,
       w.direction,
       w.kind,
       w.text,
       w.choices,
       w.status,
       w.error_code,
       w.message_id
from (
  select m.contact_id, m.sent_at as at, 'in'::text as direction, m.kind, m.text, null::text as choices,
         case when m.handled_at is not null then 'handled'
              when m.handle_attempts > 0 then 'retrying (' || m.last_handle_error || ')'
              else 'received' end as status,
         null::integer as error_code, m.id as message_id, m.arrival as position
  from public.whatsapp_inbound_messages m
  union all
  select o.contact_id, o.created_at, 'out', o.message ->> 'type',
         coalesce(o.message ->> 'text', 'template ' || (o.message ->> 'name')),
         (select string_agg(b ->> 'title', ' | ' order by n)
          from jsonb_array_elements(coalesce(o.message -> 'buttons', o.message -> 'rows')) with ordinality as e(b, n)),
         o.status || case when o.purpose <> 'reply' then ' (' || o.purpose || ')' else '' end,
         o.error_code, o.id, o.queue_position
  from public.whatsapp_outbound_messages o
) w
join public.contacts c on c.id = w.contact_id
order by c.id, w.at, w.direction, w.position;

comment on view public.whatsapp_conversation_messages is
  'Each customer''s WhatsApp conversation: messages in and out in order, with their status (filter by contact_name or whatsapp_address).';
comment on column public.whatsapp_conversation_messages.contact_id is 'The customer.';
comment on column public.whatsapp_conversation_messages.contact_name is 'The customer''s name.';
comment on column public.whatsapp_conversation_messages.whatsapp_address is 'Their WhatsApp number, or Meta''s user id when no number is known.';
comment on column public.whatsapp_conversation_messages.at is 'When the customer sent it (in), or when the reply was queued (out).';
comment on column public.whatsapp_conversation_messages.direction is 'in: from the customer; out: from us.';
comment on column public.whatsapp_conversation_messages.kind is 'in: text, button_reply, list_reply, image, ...; out: text, buttons, list, template.';
comment on column public.whatsapp_conversation_messages.text is 'What was written (or the tapped choice).';
comment on column public.whatsapp_conversation_messages.choices is 'Buttons or list rows we offered, separated by |.';
comment on column public.whatsapp_conversation_messages.status is
  'in: received, retrying, handled; out: queued, sending, sent, delivered, read or failed (with the purpose when not a plain reply).';
comment on column public.whatsapp_conversation_messages.error_code is 'Meta''s error code of a failed message.';
comment on column public.whatsapp_conversation_messages.message_id is 'Id of the row in whatsapp_inbound_messages or whatsapp_outbound_messages.';

-- Read-only for API users (the tables under it are).
revoke all on public.whatsapp_conversation_messages from anon, authenticated;
grant select on public.whatsapp_conversation_messages to authenticated;
