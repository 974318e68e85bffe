-- The conversation's side of a tapped reminder / feedback / waitlist quick reply. The tap itself is
-- decided by the reminders feature (private.handle_reminder_reply, handle_feedback_reply,
-- handle_waitlist_reply, called by _shared/reminders/quick_replies.ts); this turns its outcome
-- into the conversation's reply ({"say": ..., "language": ..., "purpose": ...}, worded by
-- _shared/conversation/wording.ts) and, for "reschedule", starts the conversation's reschedule
-- dialogue for that booking. p_outcome null means the tap was not valid (forged, someone else's).

-- What a booking looks like in a reply (the wording's booking line).
create or replace function private.conversation_booking_facts(p_booking_id uuid) returns jsonb
language sql stable security definer set search_path = ''
as $$
  select jsonb_build_object('booking_id', b.id, 'service_name', s.name, 'team_member_name', m.name,
                            'is_general', m.is_general_calendar, 'role', m.role, 'starts_at', b.starts_at)
  from public.bookings b
  join public.services s on s.id = b.service_id
  join public.team_members m on m.id = b.team_member_id
  where b.id = p_booking_id
$$;
comment on function private.conversation_booking_facts(uuid) is
  'A booking as the conversation''s replies show it: service, team member, role, start.';

create or replace function private.conversation_quick_reply(p_contact_id uuid, p_outcome jsonb, p_now timestamptz default now())
returns jsonb
language plpgsql volatile security definer set search_path = '' set jit = off
as $$
declare
  v_contact public.contacts := private.require_contact(p_contact_id);
  v_language text := case when left(v_contact.language, 2) in ('de', 'en', 'fr', 'it') then left(v_contact.language, 2) else 'de' end;
  v_conv public.conversations;
  v_action text := p_outcome ->> 'action';
  v_booking_id uuid;
  v_reply jsonb;
begin
  if p_outcome is not null and (jsonb_typeof(p_outcome) <> 'object' or v_action is null or v_action not in
      ('confirmed', 'cancelled', 'reschedule', 'booking_changed', 'rated', 'booked', 'declined', 'offer_over')) then
    raise exception 'invalid_request: not a quick reply outcome' using errcode = 'BK004';
  end if;
  insert into public.conversations (contact_id, language) values (p_contact_id, v_language) on conflict (contact_id) do nothing;
  select * into v_conv from public.conversations where contact_id = p_contact_id for update;
  -- Handed off to staff: the tap still counts (decided before this), the bot stays silent.
  update public.conversations set last_message_at = p_now where contact_id = p_contact_id;
  if v_conv.handed_off_at is not null then
    return null;
  end if;
  begin
    v_booking_id := (p_outcome ->> 'booking_id')::uuid;
  exception when others then
    raise exception 'invalid_request: the quick reply outcome has a malformed booking' using errcode = 'BK004';
  end;

  if p_outcome is null then
    v_reply := jsonb_build_object('say', 'quick_reply_invalid');
  elsif v_action = 'confirmed' then
    v_reply := jsonb_build_object('say', 'reminder_confirmed', 'booking', private.conversation_booking_facts(v_booking_id));
  elsif v_action = 'cancelled' then
    -- The reminder's Cancel cancels at once (the customer already saw the appointment in the reminder).
    perform private.conversation_forget(p_contact_id);
    v_reply := jsonb_build_object('say', 'cancelled', 'booking', private.conversation_booking_facts(v_booking_id));
  elsif v_action = 'reschedule' then
    -- The same dialogue as "I'd like to move my appointment" with one booking: offers, then the move.
    perform private.conversation_forget(p_contact_id);
    update public.conversations c
    set booking_id = b.id, service_id = b.service_id, requested_team_member_id = b.team_member_id
    from public.bookings b
    where c.contact_id = p_contact_id and b.id = v_booking_id;
    v_reply := private.conversation_offer(p_contact_id, p_now);
  elsif v_action = 'booking_changed' then
    v_reply := jsonb_build_object('say', 'booking_changed', 'status', p_outcome ->> 'status',
      'booking', private.conversation_booking_facts(nullif(p_outcome ->> 'current_booking_id', '')::uuid));
  elsif v_action = 'rated' then
    v_reply := jsonb_build_object('say', 'rated', 'rating', (p_outcome ->> 'rating')::integer);
  elsif v_action = 'booked' then
    -- A waitlist offer accepted: the conversation's booking confirmation.
    v_reply := jsonb_build_object('say', 'booked', 'purpose', 'booking_confirmation', 'rescheduled', false,
                                  'ask_preference', false, 'preference_added', false)
               || private.conversation_booking_facts(v_booking_id);
  elsif v_action = 'declined' then
    v_reply := jsonb_build_object('say', 'waitlist_declined');
  else
    v_reply := jsonb_build_object('say', 'waitlist_offer_over');
  end if;
  return v_reply || jsonb_build_object('language', v_language, 'purpose', coalesce(v_reply ->> 'purpose', 'reply'));
end
$$;
comment on function private.conversation_quick_reply(uuid, jsonb, timestamptz) is
  'The conversation''s reply to a tapped reminder / feedback / waitlist quick reply, given the outcome of handle_reminder_reply, handle_feedback_reply or handle_waitlist_reply (null: the tap was not valid). Starts the reschedule dialogue for a reminder''s Reschedule.';

revoke all on function private.conversation_booking_facts(uuid), private.conversation_quick_reply(uuid, jsonb, timestamptz)
  from public, anon, authenticated;
grant execute on function private.conversation_quick_reply(uuid, jsonb, timestamptz) to service_role;
