-- Reminders before appointments and the feedback question after them, sent over WhatsApp as
-- template messages (the 24-hour customer-service window is usually closed by then, and only
-- approved templates may open a conversation). pg_cron runs both every minute with the real clock;
-- the functions take p_now so tests run them at fixed times.

alter table public.business_settings add column if not exists reminder_hours_before integer not null default 24
  check (reminder_hours_before between 1 and 168);
alter table public.business_settings add column if not exists feedback_delay_minutes integer not null default 120
  check (feedback_delay_minutes between 0 and 2880);
alter table public.business_settings add column if not exists feedback_min_days_between integer not null default 30
  check (feedback_min_days_between between 0 and 365);
comment on column public.business_settings.reminder_hours_before is
  'Hours (elapsed, not wall-clock: across a DST change the local time moves by an hour) before an appointment its reminder goes out. A booking made less than this ahead gets none.';
comment on column public.business_settings.feedback_delay_minutes is
  'Minutes after a completed appointment''s end before the feedback question is sent (time to mark a no-show first).';
comment on column public.business_settings.feedback_min_days_between is 'A customer is asked for feedback at most once in this many days.';

alter table public.services add column if not exists send_reminders boolean not null default true;
comment on column public.services.send_reminders is 'Send the WhatsApp reminder before appointments of this service?';

alter table public.contacts add column if not exists feedback_opt_out boolean not null default false;
comment on column public.contacts.feedback_opt_out is 'The customer does not want to be asked for feedback after appointments.';

-- Which approved WhatsApp template to send, per purpose and customer language ('*' = any other
-- language). Its body parameters and buttons are fixed by purpose (see comments below).
create table if not exists public.whatsapp_templates (
  purpose text not null check (purpose in ('reminder', 'feedback', 'waitlist_offer')),
  customer_language text not null check (customer_language ~ '^([a-z]{2}(-[A-Z]{2})?|\*)$'),
  template_name text not null check (template_name ~ '^[a-z0-9_]+$' and length(template_name) <= 512),
  template_language text not null check (template_language ~ '^[a-z]{2,3}(_[A-Z]{2})?$'),
  date_format text not null default 'DD.MM.YYYY' check (length(date_format) between 1 and 40),
  time_format text not null default 'HH24:MI' check (length(time_format) between 1 and 40),
  primary key (purpose, customer_language)
);
comment on table public.whatsapp_templates is
  'Approved WhatsApp templates for reminders and feedback questions, per customer language (''*'' for every other language). reminder: body {{1}} service, {{2}} team member, {{3}} date, {{4}} time; quick replies Confirm, Reschedule, Cancel. feedback: body {{1}} team member; quick replies 1 to 5. waitlist_offer: body {{1}} service, {{2}} team member, {{3}} date, {{4}} time; quick replies Accept, Decline.';
comment on column public.whatsapp_templates.purpose is 'reminder (before an appointment), feedback (after it) or waitlist_offer (a freed slot offered to a waiting customer).';
comment on column public.whatsapp_templates.customer_language is 'contacts.language this row is for (de, en, fr-CH, ...; a customer''s ''fr-CH'' also matches ''fr''), or * for all others.';
comment on column public.whatsapp_templates.template_name is 'The template''s name as approved in WhatsApp Manager.';
comment on column public.whatsapp_templates.template_language is 'The template''s language code in WhatsApp Manager (de, en, en_US, fr, ...).';
comment on column public.whatsapp_templates.date_format is 'How the appointment date is written (PostgreSQL to_char pattern, business time zone).';
comment on column public.whatsapp_templates.time_format is 'How the appointment time is written (PostgreSQL to_char pattern, business time zone).';
alter table public.whatsapp_templates enable row level security;
revoke all on public.whatsapp_templates from anon;
drop policy if exists "Admins manage WhatsApp templates" on public.whatsapp_templates;
create policy "Admins manage WhatsApp templates" on public.whatsapp_templates for all to authenticated
  using ((select private.is_admin())) with check ((select private.is_admin()));
insert into public.whatsapp_templates (purpose, customer_language, template_name, template_language, date_format, time_format) values
  ('reminder', '*', 'appointment_reminder', 'de', 'DD.MM.YYYY', 'HH24:MI'),
  ('reminder', 'de', 'appointment_reminder', 'de', 'DD.MM.YYYY', 'HH24:MI'),
  ('reminder', 'en', 'appointment_reminder', 'en', 'DD/MM/YYYY', 'HH12:MI AM'),
  ('reminder', 'fr', 'appointment_reminder', 'fr', 'DD.MM.YYYY', 'HH24"h"MI'),
  ('reminder', 'it', 'appointment_reminder', 'it', 'DD.MM.YYYY', 'HH24:MI'),
  ('feedback', '*', 'appointment_feedback', 'de', 'DD.MM.YYYY', 'HH24:MI'),
  ('feedback', 'de', 'appointment_feedback', 'de', 'DD.MM.YYYY', 'HH24:MI'),
  ('feedback', 'en', 'appointment_feedback', 'en', 'DD/MM/YYYY', 'HH12:MI AM'),
  ('feedback', 'fr', 'appointment_feedback', 'fr', 'DD.MM.YYYY', 'HH24"h"MI'),
  ('feedback', 'it', 'appointment_feedback', 'it', 'DD.MM.YYYY', 'HH24:MI'),
  ('waitlist_offer', '*', 'waitlist_offer', 'de', 'DD.MM.YYYY', 'HH24:MI'),
  ('waitlist_offer', 'de', 'waitlist_offer', 'de', 'DD.MM.YYYY', 'HH24:MI'),
  ('waitlist_offer', 'en', 'waitlist_offer', 'en', 'DD/MM/YYYY', 'HH12:MI AM'),
  ('waitlist_offer', 'fr', 'waitlist_offer', 'fr', 'DD.MM.YYYY', 'HH24"h"MI'),
  ('waitlist_offer', 'it', 'waitlist_offer', 'it', 'DD.MM.YYYY', 'HH24:MI')
on conflict (purpose, customer_language) do nothing;

-- What was sent about which booking: one reminder and one feedback question per booking at most
-- (the primary key), and the customer's answer.
create table if not exists public.booking_notifications (
  booking_id uuid not null references public.bookings (id) on delete cascade,
  kind text not null check (kind in ('reminder', 'feedback')),
  contact_id uuid not null references public.contacts (id) on delete cascade,
  outbound_message_id uuid references public.whatsapp_outbound_messages (id) on delete set null,
  sent_at timestamptz not null,
  reply text check (reply in ('confirm', 'reschedule', 'cancel', '1', '2', '3', '4', '5')),
  replied_at timestamptz,
  primary key (booking_id, kind)
);
create index if not exists booking_notifications_contact_idx on public.booking_notifications (contact_id, kind, sent_at);
create index if not exists booking_notifications_outbound_idx on public.booking_notifications (outbound_message_id)
  where outbound_message_id is not null;
comment on table public.booking_notifications is 'Reminders and feedback questions sent about bookings (at most one of each per booking) and what the customer answered.';
comment on column public.booking_notifications.booking_id is 'The booking the message is about.';
comment on column public.booking_notifications.kind is 'reminder (before the appointment) or feedback (the 1-5 question after it).';
comment on column public.booking_notifications.contact_id is 'The customer it was sent to.';
comment on column public.booking_notifications.outbound_message_id is 'The queued WhatsApp message (whatsapp_outbound_messages) with its delivery status.';
comment on column public.booking_notifications.sent_at is 'When it was queued.';
comment on column public.booking_notifications.reply is 'The quick reply the customer tapped: confirm, reschedule, cancel, or a rating 1-5.';
comment on column public.booking_notifications.replied_at is 'When the customer answered.';
alter table public.booking_notifications enable row level security;
-- A record of what was sent: admins read it; only the database writes it.
revoke all on public.booking_notifications from anon;
revoke insert, update, delete on public.booking_notifications from authenticated;
drop policy if exists "Admins read and manage booking notifications" on public.booking_notifications;
drop policy if exists "Admins read booking notifications" on public.booking_notifications;
create policy "Admins read booking notifications" on public.booking_notifications for select to authenticated
  using ((select private.is_admin()));

-- The template for a customer's language: exact, then the language without region, then '*'.
create or replace function private.template_for(p_purpose text, p_language text) returns public.whatsapp_templates
language sql stable security definer set search_path = ''
as $$
  select t from public.whatsapp_templates t
  where t.purpose = p_purpose and t.customer_language in (p_language, split_part(p_language, '-', 1), '*')
  order by case t.customer_language when p_language then 0 when '*' then 2 else 1 end
  limit 1
$$;
comment on function private.template_for(text, text) is 'The WhatsApp template row for a purpose and customer language (exact, language without region, then *).';

create or replace function private.quick_reply(p_index integer, p_payload text) returns jsonb
language sql immutable set search_path = ''
as $$
  select jsonb_build_object('type', 'button', 'sub_type', 'quick_reply', 'index', p_index::text,
    'parameters', jsonb_build_array(jsonb_build_object('type', 'payload', 'payload', p_payload)))
$$;
comment on function private.quick_reply(integer, text) is 'A template quick-reply button component carrying a payload (Meta''s components format).';

create or replace function private.text_parameters(p_values text[]) returns jsonb
language sql immutable set search_path = ''
as $$
  select jsonb_build_object('type', 'body', 'parameters',
    coalesce(jsonb_agg(jsonb_build_object('type', 'text', 'text', v) order by n), '[]'::jsonb))
  from unnest(p_values) with ordinality x(v, n)
$$;
comment on function private.text_parameters(text[]) is 'A template body component with the given text parameters ({{1}}, {{2}}, ...).';

-- The reminder template message of a booking, in the customer's language. Quick-reply payloads
-- carry the booking id: reminder:confirm:<id>, reminder:reschedule:<id>, reminder:cancel:<id>.
create or replace function private.reminder_message(p_booking_id uuid) returns jsonb
language plpgsql stable security definer set search_path = ''
as $$
declare
  v_zone text := (select time_zone from public.business_settings where id);
  v_booking public.bookings := (select b from public.bookings b where b.id = p_booking_id);
  v_template public.whatsapp_templates := private.template_for('reminder',
    (select language from public.contacts where id = v_booking.contact_id));
  v_local timestamp := v_booking.starts_at at time zone v_zone;
begin
  if v_template.purpose is null then
    return null;
  end if;
  return jsonb_build_object('type', 'template', 'name', v_template.template_name, 'language', v_template.template_language,
    'components', jsonb_build_array(
      private.text_parameters(array[
        (select name from public.services where id = v_booking.service_id),
        (select name::text from public.team_members where id = v_booking.team_member_id),
        to_char(v_local, v_template.date_format),
        to_char(v_local, v_template.time_format)]),
      private.quick_reply(0, 'reminder:confirm:' || p_booking_id),
      private.quick_reply(1, 'reminder:reschedule:' || p_booking_id),
      private.quick_reply(2, 'reminder:cancel:' || p_booking_id)));
end
$$;
comment on function private.reminder_message(uuid) is 'The WhatsApp reminder template message for a booking (null when no template is configured).';

-- pg_cron, every minute: reminders that are due. A booking gets one when it is confirmed, its
-- service sends reminders, its start is within reminder_hours_before and still ahead, and it was
-- made at least reminder_hours_before ahead. Cancelled and moved bookings are no longer
-- confirmed, so their reminder never goes; the booking a reschedule writes is a new booking with
-- a reminder of its own. The primary key of booking_notifications makes "once" hold even for two
-- runs at the same time.
create or replace function private.send_due_reminders(p_now timestamptz default now()) returns integer
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_lead interval := make_interval(hours => (select reminder_hours_before from public.business_settings where id));
  v_booking record;
  v_message jsonb;
  v_sent integer := 0;
begin
  for v_booking in
    select b.id, b.contact_id from public.bookings b
    join public.services s on s.id = b.service_id
    where b.status = 'confirmed' and s.send_reminders
      and b.starts_at > p_now and b.starts_at - v_lead <= p_now
      and b.starts_at - b.created_at >= v_lead
      and not exists (select 1 from public.booking_notifications n where n.booking_id = b.id and n.kind = 'reminder')
    order by b.starts_at
  loop
    v_message := private.reminder_message(v_booking.id);
    continue when v_message is null;
    insert into public.booking_notifications (booking_id, kind, contact_id, sent_at)
    values (v_booking.id, 'reminder', v_booking.contact_id, p_now)
    on conflict do nothing;
    continue when not found;
    update public.booking_notifications
    set outbound_message_id = private.queue_whatsapp_message(v_booking.contact_id, v_message, null, 'reminder')
    where booking_id = v_booking.id and kind = 'reminder';
    v_sent := v_sent + 1;
  end loop;
  return v_sent;
end
$$;
comment on function private.send_due_reminders(timestamptz) is 'pg_cron: queues the WhatsApp reminders due at p_now, each booking''s at most once. Returns how many.';

-- pg_cron, every minute: the feedback question after completed appointments, feedback_delay_minutes
-- after their end (no-shows are never completed), at most one per customer in
-- feedback_min_days_between days, never to a customer who opted out, and only about appointments
-- of the last three days (turning the feature on does not ask about old ones).
create or replace function private.send_due_feedback_questions(p_now timestamptz default now()) returns integer
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_settings public.business_settings := private.settings();
  v_booking record;
  v_template public.whatsapp_templates;
  v_sent integer := 0;
begin
  for v_booking in
    select distinct on (b.contact_id) b.id, b.contact_id, c.language, m.name::text as member_name
    from public.bookings b
    join public.contacts c on c.id = b.contact_id
    join public.team_members m on m.id = b.team_member_id
    where b.status = 'completed' and not c.feedback_opt_out
      and b.ends_at + make_interval(mins => v_settings.feedback_delay_minutes) <= p_now
      and b.ends_at > p_now - interval '3 days'
      and not exists (select 1 from public.booking_notifications n where n.booking_id = b.id and n.kind = 'feedback')
      and not exists (select 1 from public.booking_notifications n
                      where n.contact_id = b.contact_id and n.kind = 'feedback'
                        and n.sent_at > p_now - make_interval(days => v_settings.feedback_min_days_between))
    order by b.contact_id, b.ends_at desc
  loop
    v_template := private.template_for('feedback', v_booking.language);
    continue when v_template.purpose is null;
    insert into public.booking_notifications (booking_id, kind, contact_id, sent_at)
    values (v_booking.id, 'feedback', v_booking.contact_id, p_now)
    on conflict do nothing;
    continue when not found;
    update public.booking_notifications
    set outbound_message_id = private.queue_whatsapp_message(v_booking.contact_id,
      jsonb_build_object('type', 'template', 'name', v_template.template_name, 'language', v_template.template_language,
        'components', jsonb_build_array(private.text_parameters(array[v_booking.member_name]))
          || (select jsonb_agg(private.quick_reply(r - 1, 'feedback:' || v_booking.id || ':' || r) order by r)
              from generate_series(1, 5) r)),
      null, 'feedback')
    where booking_id = v_booking.id and kind = 'feedback';
    v_sent := v_sent + 1;
  end loop;
  return v_sent;
end
$$;
comment on function private.send_due_feedback_questions(timestamptz) is
  'pg_cron: queues "How was your appointment with <member>? 1-5" after completed appointments (opt-outs and the 30-day rule respected). Returns how many.';

-- ENTRY POINT for the conversation (#11): a tapped reminder quick reply (template button payload
-- reminder:<confirm|reschedule|cancel>:<booking id>). Decides in the caller's transaction and
-- returns what happened; the conversation words the answer (and, for reschedule, continues with
-- its own reschedule dialogue for booking_id):
--   {"action": "confirmed"|"cancelled"|"reschedule", "booking_id": ..., "service_id": ..., "team_member_id": ..., "starts_at": ...}
--   {"action": "booking_changed", "booking_id": <the reminded booking>, "current_booking_id": <its replacement or null>, "status": ...}
-- Errors: BK003 (not this customer's reminder), BK004 (payload not a reminder reply).
create or replace function private.handle_reminder_reply(
  p_contact_id uuid, p_payload text, p_now timestamptz default now()
) returns jsonb
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_parts text[] := regexp_match(coalesce(p_payload, ''), '^reminder:(confirm|reschedule|cancel):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$');
  v_booking public.bookings;
  v_current uuid;
begin
  if v_parts is null then
    raise exception 'invalid_request: not a reminder reply' using errcode = 'BK004';
  end if;
  select b.* into v_booking from public.bookings b
  join public.booking_notifications n on n.booking_id = b.id and n.kind = 'reminder'
  where b.id = v_parts[2]::uuid and b.contact_id = p_contact_id and n.contact_id = p_contact_id
  for update of b;
  if v_booking.id is null then
    raise exception 'not_found: no reminder about booking % was sent to this customer', v_parts[2] using errcode = 'BK003';
  end if;
  update public.booking_notifications set reply = v_parts[1], replied_at = p_now
  where booking_id = v_booking.id and kind = 'reminder';
  if v_booking.status <> 'confirmed' or v_booking.starts_at <= p_now then
    -- Moved or cancelled since (or already begun): say what the booking is now.
    with recursive chain as (
      select b.id, 0 as depth from public.bookings b where b.rescheduled_from_id = v_booking.id
      union all
      select b.id, c.depth + 1 from public.bookings b join chain c on b.rescheduled_from_id = c.id where c.depth < 50
    )
    select c.id into v_current from chain c join public.bookings b on b.id = c.id
    where b.status = 'confirmed' order by c.depth desc limit 1;
    return jsonb_build_object('action', 'booking_changed', 'booking_id', v_booking.id, 'current_booking_id', v_current,
                              'status', v_booking.status);
  end if;
  if v_parts[1] = 'cancel' then
    perform public.cancel_booking(v_booking.id, p_now);
  end if;
  return jsonb_build_object('action', case v_parts[1] when 'confirm' then 'confirmed' when 'cancel' then 'cancelled' else 'reschedule' end,
    'booking_id', v_booking.id, 'service_id', v_booking.service_id, 'team_member_id', v_booking.team_member_id,
    'starts_at', v_booking.starts_at);
end
$$;
comment on function private.handle_reminder_reply(uuid, text, timestamptz) is
  'Conversation entry point: a tapped reminder quick reply (reminder:confirm|reschedule|cancel:<booking>). Confirms, cancels, or hands the booking to the reschedule dialogue; returns {"action": ...}.';

-- ENTRY POINT for the conversation (#11): a tapped feedback quick reply (feedback:<booking id>:<1-5>).
-- Stores the rating for the satisfaction metric (booking_ratings) and returns
-- {"action": "rated", "booking_id": ..., "rating": n}. Errors: BK003, BK004 as above.
create or replace function private.handle_feedback_reply(
  p_contact_id uuid, p_payload text, p_now timestamptz default now()
) returns jsonb
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_parts text[] := regexp_match(coalesce(p_payload, ''), '^feedback:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}):([1-5])$');
  v_booking_id uuid;
begin
  if v_parts is null then
    raise exception 'invalid_request: not a feedback reply' using errcode = 'BK004';
  end if;
  select n.booking_id into v_booking_id from public.booking_notifications n
  where n.booking_id = v_parts[1]::uuid and n.kind = 'feedback' and n.contact_id = p_contact_id;
  if v_booking_id is null then
    raise exception 'not_found: no feedback question about booking % was sent to this customer', v_parts[1] using errcode = 'BK003';
  end if;
  perform public.record_booking_rating(v_booking_id, v_parts[2]::integer, null, 'whatsapp', p_now);
  update public.booking_notifications set reply = v_parts[2], replied_at = p_now
  where booking_id = v_booking_id and kind = 'feedback';
  return jsonb_build_object('action', 'rated', 'booking_id', v_booking_id, 'rating', v_parts[2]::integer);
end
$$;
comment on function private.handle_feedback_reply(uuid, text, timestamptz) is
  'Conversation entry point: a tapped feedback quick reply (feedback:<booking>:<1-5>); stores the rating in booking_ratings. Returns {"action": "rated", ...}.';

revoke all on function private.template_for(text, text), private.reminder_message(uuid),
  private.send_due_reminders(timestamptz), private.send_due_feedback_questions(timestamptz),
  private.handle_reminder_reply(uuid, text, timestamptz), private.handle_feedback_reply(uuid, text, timestamptz)
  from public, anon, authenticated;
grant execute on function private.send_due_reminders(timestamptz), private.send_due_feedback_questions(timestamptz),
  private.handle_reminder_reply(uuid, text, timestamptz), private.handle_feedback_reply(uuid, text, timestamptz)
  to service_role;
