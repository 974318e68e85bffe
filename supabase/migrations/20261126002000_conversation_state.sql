-- The booking conversation's memory: one row per customer with what was asked, what we offered
-- (with the holds that keep those slots for them) and whether the bot may answer at all. Read and
-- written only by private.handle_conversation_message, in the same transaction as the reply.

alter table public.business_settings
  add column if not exists conversation_idle_minutes integer not null default 30
    check (conversation_idle_minutes between 1 and 1440),
  add column if not exists calendar_fresh_minutes integer not null default 5
    check (calendar_fresh_minutes between 0 and 1440);
comment on column public.business_settings.conversation_idle_minutes is
  'A WhatsApp conversation quiet for longer than this starts afresh: unconfirmed offers are forgotten and their holds released.';
comment on column public.business_settings.calendar_fresh_minutes is
  'Before a booking is confirmed, a team member''s calendar last synced longer ago than this is synced on demand (3 s at most).';

create table if not exists public.conversations (
  contact_id uuid primary key references public.contacts (id) on delete cascade,
  awaiting text not null default 'nothing' check (awaiting in (
    'nothing', 'service', 'team_member', 'offer', 'remember_preference', 'cancel_pick', 'cancel_confirm',
    'reschedule_pick', 'preference_pick', 'waitlist_offer')),
  service_id uuid references public.services (id) on delete set null,
  window_from timestamptz,
  window_to timestamptz,
  exact_time boolean not null default false,
  part_of_day text check (part_of_day in ('morning', 'midday', 'afternoon', 'evening')),
  mode text not null default 'auto' check (mode in ('auto', 'urgent', 'explicit')),
  anyone boolean not null default false,
  requested_team_member_id uuid references public.team_members (id) on delete set null,
  candidate_ids uuid[] not null default '{}',
  candidate_team_member_ids uuid[] not null default '{}',
  customer_statement text check (char_length(customer_statement) <= 300),
  outcome text,
  offered jsonb not null default '[]'::jsonb check (jsonb_typeof(offered) = 'array'),
  booking_id uuid references public.bookings (id) on delete set null,
  language text not null default 'de' check (language in ('de', 'en', 'fr', 'it')),
  handed_off_at timestamptz,
  opted_out_at timestamptz,
  last_message_at timestamptz,
  updated_at timestamptz not null default now(),
  constraint conversations_window_order check (window_to is null or window_from is null or window_to > window_from)
);
comment on table public.conversations is
  'Each customer''s WhatsApp booking conversation: what the bot asked and offered, hand-off to staff and opt-out. Release a handed-off conversation with admin_release_conversation(contact_id).';
comment on column public.conversations.contact_id is 'The customer.';
comment on column public.conversations.awaiting is
  'What the bot is waiting for: nothing, service (which treatment), team_member (which of several with that name), offer (a choice among offered slots), remember_preference, cancel_pick, cancel_confirm, reschedule_pick, preference_pick, waitlist_offer (nothing was free: join the waitlist?).';
comment on column public.conversations.service_id is 'The service asked for.';
comment on column public.conversations.window_from is 'Start of the time the customer asked for (null: from now).';
comment on column public.conversations.window_to is 'End of the time the customer asked for.';
comment on column public.conversations.exact_time is 'The customer named an exact time.';
comment on column public.conversations.part_of_day is 'morning, midday, afternoon or evening, when the customer said so.';
comment on column public.conversations.mode is 'How team members are chosen: auto (guide scoring), urgent (earliest anyone), explicit (the requested member).';
comment on column public.conversations.anyone is 'The customer said anyone will do.';
comment on column public.conversations.requested_team_member_id is 'The team member the customer asked for by name.';
comment on column public.conversations.candidate_ids is 'Services the customer may have meant (the bot asks among them).';
comment on column public.conversations.candidate_team_member_ids is 'Team members the customer may have meant by the name they used.';
comment on column public.conversations.customer_statement is 'The customer''s own words about urgency, kept for the booking''s preference snapshot.';
comment on column public.conversations.outcome is 'booking_options outcome of the current offer (preferred_available, preferred_unavailable, ...).';
comment on column public.conversations.offered is
  'Options on the table: [{number, kind, team_member_id, team_member_name, starts_at, ends_at, hold_id}] or the customer''s bookings to pick from.';
comment on column public.conversations.booking_id is 'The booking being cancelled or rescheduled, or the one just made (preference question).';
comment on column public.conversations.language is 'Language of the customer''s last message (de, en, fr, it).';
comment on column public.conversations.handed_off_at is 'Set when the customer asked for a person: the bot stays silent until an admin releases the conversation.';
comment on column public.conversations.opted_out_at is 'Set when the customer wrote STOP: nothing is sent to them until they write again.';
comment on column public.conversations.last_message_at is 'When the customer last wrote (Meta''s timestamp).';
comment on column public.conversations.updated_at is 'Last change.';

create index if not exists conversations_handed_off_idx on public.conversations (handed_off_at) where handed_off_at is not null;
-- Foreign keys get an index: deleting a service, team member or booking finds its conversations
-- without reading them all (on delete set null).
create index if not exists conversations_service_id_idx on public.conversations (service_id);
create index if not exists conversations_requested_team_member_id_idx on public.conversations (requested_team_member_id);
create index if not exists conversations_booking_id_idx on public.conversations (booking_id);

drop trigger if exists conversations_updated_at on public.conversations;
create trigger conversations_updated_at before update on public.conversations
  for each row execute function private.set_updated_at();

alter table public.conversations enable row level security;
-- API users only read: the state is written by the conversation decisions (service role) and a
-- hand-off is ended through admin_release_conversation, so a hand edit cannot put a conversation
-- into a state the bot never produced.
revoke all on public.conversations from anon, authenticated;
grant select on public.conversations to authenticated;
drop policy if exists "Admins manage conversations" on public.conversations;
drop policy if exists "Admins read conversations" on public.conversations;
create policy "Admins read conversations" on public.conversations for select to authenticated
  using ((select private.is_admin()));
drop policy if exists "Conversations are viewable where their customer is" on public.conversations;
create policy "Conversations are viewable where their customer is" on public.conversations
  for select to authenticated using (exists (select 1 from public.contacts c where c.id = contact_id));

-- An admin (or the service role) gives a handed-off conversation back to the bot; the open
-- hand-off alert is resolved with it. Public on purpose: admins call it from Studio.
create or replace function public.admin_release_conversation(p_contact_id uuid) returns void
language plpgsql volatile security definer set search_path = ''
as $$
begin
  perform private.require_trusted_caller();
  update public.conversations set handed_off_at = null, awaiting = 'nothing', offered = '[]'
  where contact_id = p_contact_id;
  if not found then
    raise exception 'not_found: no conversation with contact %', p_contact_id using errcode = 'BK003';
  end if;
  update public.admin_alerts set resolved_at = now()
  where kind = 'conversation_handoff' and contact_id = p_contact_id and resolved_at is null;
end
$$;
comment on function public.admin_release_conversation(uuid) is
  'Gives a conversation handed off to staff back to the bot and resolves its hand-off alert.';
revoke all on function public.admin_release_conversation(uuid) from public, anon;
grant execute on function public.admin_release_conversation(uuid) to authenticated, service_role;

-- Hand-off alerts name the customer.
alter table public.admin_alerts add column if not exists contact_id uuid references public.contacts (id) on delete cascade;
comment on column public.admin_alerts.contact_id is 'The customer concerned (kind conversation_handoff).';
create unique index if not exists admin_alerts_one_open_handoff
  on public.admin_alerts (contact_id) where kind = 'conversation_handoff' and resolved_at is null;

-- The optional LLM interpreter's instructions, editable in Studio. Placeholders are filled from the
-- tables on every message (private.conversation_llm_prompt): {{BUSINESS_NAME}}, {{TODAY}},
-- {{SERVICES_LIST}}, {{TEAM_MEMBERS_LIST}}, {{CUSTOMER_PREFERRED_TEAM_MEMBERS}}.
alter table public.business_settings add column if not exists llm_prompt_template text not null default
$prompt$You read WhatsApp messages that customers send to {{BUSINESS_NAME}} and say what they want.
Today is {{TODAY}} (the business's time zone). You never book anything yourself; you only read.

Services (id: name, synonyms):
{{SERVICES_LIST}}

Team members (id: name, role, services they offer):
{{TEAM_MEMBERS_LIST}}

This customer's preferred team members, most preferred first:
{{CUSTOMER_PREFERRED_TEAM_MEMBERS}}

Answer with one JSON object and nothing else, with exactly these fields:
intent (book, yes, no, choose, cancel, reschedule, my_bookings, opening_hours, price, who_does,
change_preference, human, stop, greeting, thanks, unknown), language (de, en, fr, it),
service_id (an id above or null), service_ids (ids the customer may mean, else []),
window_from and window_to (ISO 8601 with offset, or null), exact_time (boolean),
part_of_day (morning, midday, afternoon, evening or null), urgent (boolean),
team_member_ids (ids of team members the customer named, else []), anyone (boolean),
choice (number of the offered option picked, or null), customer_statement (the customer's own
words about urgency, or null), text (the message as received).$prompt$
  check (char_length(llm_prompt_template) between 50 and 20000);
comment on column public.business_settings.llm_prompt_template is
  'Instructions for the optional LLM interpreter (LLM_API_URL). Placeholders filled per message: {{BUSINESS_NAME}}, {{TODAY}}, {{SERVICES_LIST}}, {{TEAM_MEMBERS_LIST}}, {{CUSTOMER_PREFERRED_TEAM_MEMBERS}}.';
