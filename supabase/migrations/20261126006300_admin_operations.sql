-- Admin operations of the guide's Phase 2 ("Service Management", "Customer Profile", "Rollout"),
-- as views and SQL functions for Supabase Studio.

-- ---------------------------------------------------------------------------------------------
-- Which team members offer each service.
create or replace view public.service_team_members with (security_invoker = true) as
select s.id as service_id, s.name::text as service, s.is_active,
       coalesce(string_agg(m.name || case when l.is_primary then ' (primary)' else '' end || ' #' || l.priority_order,
                           ', ' order by l.priority_order, l.is_primary desc, m.name), '') as team_members,
       count(l.id) as team_member_count,
       count(l.id) filter (where m.is_active and m.is_bookable) as bookable_team_members,
       (s.is_active and count(l.id) filter (where m.is_active and m.is_bookable) = 0) as needs_a_team_member
from public.services s
left join public.team_member_services l on l.service_id = s.id
left join public.team_members m on m.id = l.team_member_id and not m.is_general_calendar
group by s.id, s.name, s.is_active
order by s.name;
comment on view public.service_team_members is
  'One row per service: the team members who offer it (primary, priority order), how many are bookable, and whether an active service has nobody bookable. Assign with admin_assign_team_members().';
comment on column public.service_team_members.service_id is 'The service.';
comment on column public.service_team_members.service is 'Its name.';
comment on column public.service_team_members.is_active is 'Whether the service is offered to customers.';
comment on column public.service_team_members.team_members is 'Who offers it, in priority order: "Dr. Weber (primary) #1, Dr. Schmidt #2".';
comment on column public.service_team_members.team_member_count is 'How many team members offer it.';
comment on column public.service_team_members.bookable_team_members is 'How many of them are active and bookable now.';
comment on column public.service_team_members.needs_a_team_member is
  'True for an active service nobody bookable offers: customers cannot book it, and require_team_member_assignment cannot be turned on.';
revoke all on public.service_team_members from anon, authenticated;
grant select on public.service_team_members to authenticated, service_role;

-- Bulk assignment (guide: "Bulk assign team members to services", "multi-select with priority").
-- Public on purpose: admins call it from Studio; team members and anon are refused.
create or replace function public.admin_assign_team_members(
  p_service_id uuid, p_team_member_ids uuid[], p_primary_team_member_id uuid default null, p_replace boolean default false
) returns integer
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_missing uuid;
  v_general text;
begin
  perform private.require_trusted_caller();
  if not exists (select 1 from public.services where id = p_service_id) then
    raise exception 'not_found: service % does not exist', p_service_id using errcode = 'BK003';
  end if;
  if p_team_member_ids is null or cardinality(p_team_member_ids) = 0 or cardinality(p_team_member_ids) > 100
     or array_position(p_team_member_ids, null) is not null then
    raise exception 'invalid_request: give 1 to 100 team member ids, in priority order' using errcode = 'BK004';
  end if;
  if cardinality(p_team_member_ids) <> (select count(distinct x) from unnest(p_team_member_ids) x) then
    raise exception 'invalid_request: a team member is listed more than once' using errcode = 'BK004';
  end if;
  select x into v_missing from unnest(p_team_member_ids) x
  where not exists (select 1 from public.team_members m where m.id = x) limit 1;
  if v_missing is not null then
    raise exception 'not_found: team member % does not exist', v_missing using errcode = 'BK003';
  end if;
  select name into v_general from public.team_members where id = any (p_team_member_ids) and is_general_calendar;
  if v_general is not null then
    raise exception 'invalid_request: "%" is the General Calendar, which takes every service without assignment', v_general
      using errcode = 'BK004';
  end if;
  if p_primary_team_member_id is not null and not (p_primary_team_member_id = any (p_team_member_ids)) then
    raise exception 'invalid_request: the primary provider must be one of the team members assigned' using errcode = 'BK004';
  end if;

  if p_replace then
    delete from public.team_member_services where service_id = p_service_id and not (team_member_id = any (p_team_member_ids));
  end if;
  if p_primary_team_member_id is not null then
    update public.team_member_services set is_primary = false
    where service_id = p_service_id and is_primary and team_member_id <> p_primary_team_member_id;
  end if;
  insert into public.team_member_services as l (team_member_id, service_id, is_primary, priority_order)
  select x.id, p_service_id, coalesce(x.id = p_primary_team_member_id, false), x.position::int
  from unnest(p_team_member_ids) with ordinality x(id, position)
  on conflict (team_member_id, service_id) do update
    set priority_order = excluded.priority_order,
        is_primary = case when p_primary_team_member_id is null then l.is_primary else excluded.is_primary end;
  return (select count(*)::int from public.team_member_services where service_id = p_service_id);
end
$$;
comment on function public.admin_assign_team_members(uuid, uuid[], uuid, boolean) is
  'Admins: assign team members to a service in priority order (first = priority 1), optionally naming the primary provider; p_replace removes everyone not listed. Returns how many offer the service now.';
revoke all on function public.admin_assign_team_members(uuid, uuid[], uuid, boolean) from public, anon;
grant execute on function public.admin_assign_team_members(uuid, uuid[], uuid, boolean) to authenticated, service_role;

-- ---------------------------------------------------------------------------------------------
-- A customer's booking history by team member (guide: "Show booking history by team member").
create or replace view public.customer_booking_history with (security_invoker = true) as
select c.id as contact_id, c.name as customer, c.whatsapp_id, b.team_member_id, m.name::text as team_member,
       array_position(c.preferred_team_member_ids, b.team_member_id) as preference_rank,
       count(*) filter (where b.status in ('confirmed', 'completed', 'no_show')) as bookings,
       count(*) filter (where b.status = 'completed') as completed,
       count(*) filter (where b.status = 'no_show') as no_shows,
       count(*) filter (where b.status = 'cancelled') as cancelled,
       min(b.starts_at) filter (where b.status in ('confirmed', 'completed', 'no_show')) as first_booking_at,
       max(b.starts_at) filter (where b.status in ('confirmed', 'completed', 'no_show') and b.starts_at < now()) as last_visit_at,
       min(b.starts_at) filter (where b.status = 'confirmed' and b.starts_at >= now()) as next_booking_at
from public.contacts c
join public.bookings b on b.contact_id = c.id and b.status <> 'held'
left join public.team_members m on m.id = b.team_member_id
group by c.id, c.name, c.whatsapp_id, c.preferred_team_member_ids, b.team_member_id, m.name
order by c.name, count(*) filter (where b.status in ('confirmed', 'completed', 'no_show')) desc;
comment on view public.customer_booking_history is
  'Per customer and team member: bookings, completed, no-shows, cancellations, first and last visit, next booking, and where that member is in the customer''s preferences.';
comment on column public.customer_booking_history.contact_id is 'The customer.';
comment on column public.customer_booking_history.customer is 'Their name.';
comment on column public.customer_booking_history.whatsapp_id is 'Their WhatsApp number.';
comment on column public.customer_booking_history.team_member_id is 'The team member.';
comment on column public.customer_booking_history.team_member is 'Their name.';
comment on column public.customer_booking_history.preference_rank is 'Position of this team member in the customer''s preferences (1 = most preferred), null when not preferred.';
comment on column public.customer_booking_history.bookings is 'Bookings made and not cancelled (confirmed, completed, no-show).';
comment on column public.customer_booking_history.completed is 'Appointments that took place.';
comment on column public.customer_booking_history.no_shows is 'Appointments the customer missed.';
comment on column public.customer_booking_history.cancelled is 'Cancelled bookings.';
comment on column public.customer_booking_history.first_booking_at is 'Start of the first booking.';
comment on column public.customer_booking_history.last_visit_at is 'Start of the latest booking in the past.';
comment on column public.customer_booking_history.next_booking_at is 'Start of the next confirmed booking.';
revoke all on public.customer_booking_history from anon, authenticated;
grant select on public.customer_booking_history to authenticated, service_role;

-- Set or edit a customer's preferred team members by hand (guide: "Manual Override ... VIP
-- customers or special arrangements"). Replaces the list; the bot reads the same column, so it
-- respects the new order at once. Public on purpose: admins call it from Studio.
create or replace function public.admin_set_preferred_team_members(
  p_contact_id uuid, p_team_member_ids uuid[], p_now timestamptz default now()
) returns uuid[]
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_contact public.contacts;
  v_missing uuid;
  v_general text;
  v_ids uuid[] := coalesce(p_team_member_ids, '{}');
begin
  perform private.require_trusted_caller();
  select * into v_contact from public.contacts where id = p_contact_id for no key update;
  if v_contact.id is null then
    raise exception 'not_found: contact % does not exist', p_contact_id using errcode = 'BK003';
  end if;
  if array_position(v_ids, null) is not null or cardinality(v_ids) > 20 then
    raise exception 'invalid_request: give up to 20 team member ids, most preferred first' using errcode = 'BK004';
  end if;
  if cardinality(v_ids) <> (select count(distinct x) from unnest(v_ids) x) then
    raise exception 'invalid_request: a team member is listed more than once' using errcode = 'BK004';
  end if;
  select x into v_missing from unnest(v_ids) x where not exists (select 1 from public.team_members m where m.id = x) limit 1;
  if v_missing is not null then
    raise exception 'not_found: team member % does not exist', v_missing using errcode = 'BK003';
  end if;
  select name into v_general from public.team_members where id = any (v_ids) and is_general_calendar;
  if v_general is not null then
    raise exception 'invalid_request: "%" is the General Calendar, not a person a customer can prefer', v_general
      using errcode = 'BK004';
  end if;
  update public.contacts
  set preferred_team_member_ids = v_ids,
      preference_metadata = (v_contact.preference_metadata - 'sources') || jsonb_build_object(
        'detected_from', 'admin',
        'last_updated', to_char(p_now at time zone (select time_zone from public.business_settings where id), 'YYYY-MM-DD'),
        'sources', coalesce((select jsonb_object_agg(x::text, 'admin') from unnest(v_ids) x), '{}'::jsonb))
  where id = p_contact_id;
  return v_ids;
end
$$;
comment on function public.admin_set_preferred_team_members(uuid, uuid[], timestamptz) is
  'Admins: set a customer''s preferred team members by hand, most preferred first (an empty list clears them); recorded as detected_from = admin. The bot uses the new order at once. Returns the new list.';
revoke all on function public.admin_set_preferred_team_members(uuid, uuid[], timestamptz) from public, anon;
grant execute on function public.admin_set_preferred_team_members(uuid, uuid[], timestamptz) to authenticated, service_role;

-- ---------------------------------------------------------------------------------------------
-- Rollout (guide, Phase 4: "Feature flag: require_team_member_assignment"): turning the flag on
-- while an active service has no bookable team member would make that service unbookable, since
-- the General Calendar stops taking bookings. Refused, saying which services and what to do.
create or replace function private.business_settings_check_assignment_rollout() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  v_services text;
begin
  if new.require_team_member_assignment and not old.require_team_member_assignment then
    select string_agg('"' || s.name || '"', ', ' order by s.name) into v_services
    from public.services s
    where s.is_active
      and not exists (select 1 from public.team_member_services l join public.team_members m on m.id = l.team_member_id
                      where l.service_id = s.id and m.is_active and m.is_bookable and not m.is_general_calendar);
    if v_services is not null then
      raise exception 'require_team_member_assignment cannot be turned on: no bookable team member offers the active service(s) %', v_services
        using errcode = 'check_violation',
              hint = 'Assign a bookable team member (select admin_assign_team_members(...); see service_team_members) or deactivate the service, then try again.';
    end if;
  end if;
  return new;
end
$$;
comment on function private.business_settings_check_assignment_rollout() is
  'Trigger: refuses turning require_team_member_assignment on while an active service has no bookable team member.';
drop trigger if exists business_settings_check_assignment_rollout on public.business_settings;
create trigger business_settings_check_assignment_rollout before update of require_team_member_assignment on public.business_settings
  for each row execute function private.business_settings_check_assignment_rollout();
revoke all on function private.business_settings_check_assignment_rollout() from public, anon, authenticated;
