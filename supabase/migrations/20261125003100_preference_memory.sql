-- Preference memory: which team members a customer prefers, in rank order, and how we learnt it.
-- (preference_metadata.ranking is kept equal to the array by the contacts trigger.)
create or replace function public.remember_preference(
  p_contact_id uuid, p_team_member_id uuid, p_detected_from text, p_now timestamptz default now()
) returns uuid[]
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_contact public.contacts;
  v_ids uuid[];
begin
  perform private.require_trusted_caller();
  perform private.require_own_clock(p_now);
  if p_detected_from is null or p_detected_from not in ('conversation_history', 'explicit_request', 'booking_history', 'admin') then
    raise exception 'invalid_request: detected_from must be conversation_history, explicit_request, booking_history or admin'
      using errcode = 'BK004';
  end if;
  -- NO KEY UPDATE: does not conflict with the key-share locks that concurrent bookings of the
  -- same customer hold on this row, so they cannot deadlock here.
  select * into v_contact from public.contacts where id = p_contact_id for no key update;
  if v_contact.id is null then
    raise exception 'not_found: contact % does not exist', p_contact_id using errcode = 'BK003';
  end if;
  if not exists (select 1 from public.team_members where id = p_team_member_id) then
    raise exception 'not_found: team member % does not exist', p_team_member_id using errcode = 'BK003';
  end if;

  if p_team_member_id = any (v_contact.preferred_team_member_ids) then
    return v_contact.preferred_team_member_ids;  -- already remembered: rank unchanged
  end if;

  -- A new preference joins after the existing ones: it adds to, never replaces, what we knew.
  v_ids := v_contact.preferred_team_member_ids || p_team_member_id;

  update public.contacts
  set preferred_team_member_ids = v_ids,
      preference_metadata = v_contact.preference_metadata || jsonb_build_object(
        'detected_from', p_detected_from,
        'last_updated', to_char(p_now at time zone (select time_zone from public.business_settings where id), 'YYYY-MM-DD'),
        'sources', coalesce(v_contact.preference_metadata -> 'sources', '{}'::jsonb)
                   || jsonb_build_object(p_team_member_id::text, p_detected_from))
  where id = p_contact_id;
  return v_ids;
end
$$;
comment on function public.remember_preference(uuid, uuid, text, timestamptz) is
  'Adds a team member to a customer''s preferences (after the existing ones, no duplicates) and records how it was detected: conversation_history, explicit_request, booking_history or admin. Returns the customer''s preferred team member ids in rank order.';
revoke all on function public.remember_preference(uuid, uuid, text, timestamptz) from public, anon;
grant execute on function public.remember_preference(uuid, uuid, text, timestamptz) to authenticated, service_role;
