-- Team member selection (guide, "Team Member Selection Logic", steps [1]-[6]): who to offer, in
-- which order, and what to put to the customer. Decided here so the WhatsApp function only renders.

create or replace function private.require_contact(p_contact_id uuid) returns public.contacts
language plpgsql stable security definer set search_path = ''
as $$
declare
  v_contact public.contacts;
begin
  select * into v_contact from public.contacts where id = p_contact_id;
  if v_contact.id is null then
    raise exception 'not_found: contact % does not exist', p_contact_id using errcode = 'BK003';
  end if;
  return v_contact;
end
$$;

create or replace function private.require_service(p_service_id uuid) returns public.services
language plpgsql stable security definer set search_path = ''
as $$
declare
  v_service public.services;
begin
  select * into v_service from public.services where id = p_service_id;
  if v_service.id is null then
    raise exception 'not_found: service % does not exist', p_service_id using errcode = 'BK003';
  end if;
  if not v_service.is_active then
    raise exception 'service_not_offered: service "%" is not offered at the moment', v_service.name using errcode = 'BK002';
  end if;
  return v_service;
end
$$;

-- A team member who may take this service: exists (BK003), offers it (BK002), is active and
-- bookable (BK006).
create or replace function private.require_provider(p_team_member_id uuid, p_service public.services)
returns public.team_members
language plpgsql stable security definer set search_path = ''
as $$
declare
  v_member public.team_members;
begin
  select * into v_member from public.team_members where id = p_team_member_id;
  if v_member.id is null then
    raise exception 'not_found: team member % does not exist', p_team_member_id using errcode = 'BK003';
  end if;
  if not v_member.is_general_calendar and not exists (
       select 1 from public.team_member_services where team_member_id = v_member.id and service_id = p_service.id) then
    raise exception 'service_not_offered: % does not offer %', v_member.name, p_service.name using errcode = 'BK002';
  end if;
  if not (v_member.is_active and v_member.is_bookable) then
    raise exception 'team_member_unavailable: % is not taking bookings at the moment', v_member.name using errcode = 'BK006';
  end if;
  return v_member;
end
$$;

-- Step [5]: every candidate with its score and the reasons for it. Modes:
--   auto      the guide's scoring;
--   urgent    preferences bypassed, the earliest slot across everyone first (Example 4);
--   explicit  only the requested team member (Example 5).
create or replace function public.rank_team_members(
  p_contact_id uuid, p_service_id uuid, p_from timestamptz, p_to timestamptz,
  p_mode text default 'auto', p_requested_team_member_id uuid default null, p_now timestamptz default now()
) returns table (team_member_id uuid, name text, score integer, slot_starts_at timestamptz, slot_ends_at timestamptz,
                 reasons jsonb)
language plpgsql volatile security definer set search_path = '' set jit = off
as $$
#variable_conflict use_column
declare
  v_settings public.business_settings := private.settings();
  v_contact public.contacts;
  v_service public.services;
  v_candidates uuid[];
begin
  perform private.require_trusted_caller();
  v_contact := private.require_contact(p_contact_id);
  v_service := private.require_service(p_service_id);
  if p_mode is null or p_mode not in ('auto', 'urgent', 'explicit') then
    raise exception 'invalid_request: mode must be auto, urgent or explicit' using errcode = 'BK004';
  end if;
  perform private.require_own_clock(p_now);
  perform private.require_window(p_from, p_to, interval '400 days');
  if p_mode = 'explicit' then
    if p_requested_team_member_id is null then
      raise exception 'invalid_request: explicit mode needs the requested team member' using errcode = 'BK004';
    end if;
    perform private.require_provider(p_requested_team_member_id, v_service);
    v_candidates := array[p_requested_team_member_id];
  else
    v_candidates := private.service_candidates(p_service_id);
  end if;

  return query
    with first_slot as (
      select distinct on (s.team_member_id) s.team_member_id, s.starts_at, s.ends_at
      from public.get_available_slots(p_service_id, p_from, p_to, v_candidates, p_now) s
      order by s.team_member_id, s.starts_at
    ),
    preference as (
      select p.member, p.rank::int as rank
      from unnest(v_contact.preferred_team_member_ids) with ordinality p(member, rank)
    ),
    recent as (
      select b.team_member_id, count(*)::int as bookings
      from public.bookings b
      where b.team_member_id = any (v_candidates)
        and b.status in ('confirmed', 'completed', 'no_show')
        and b.created_at > private.add_local_days(p_now, -v_settings.recent_booking_window_days)
        and b.created_at <= p_now
      group by b.team_member_id
    ),
    parts as (
      select m.id, m.name::text as name, m.default_priority, coalesce(l.priority_order, 100) as priority_order,
             f.starts_at, f.ends_at, pr.rank as preference_rank,
             case when p_mode = 'urgent' or pr.rank is null then 0
                  -- Zero weight switches preference scoring off; otherwise one point less per rank, never below 1.
                  when v_settings.weight_preference = 0 then 0
                  else greatest(v_settings.weight_preference - (pr.rank - 1), 1) end as preference_points,
             case when coalesce(l.is_primary, false) then v_settings.weight_primary_provider else 0 end as primary_points,
             m.default_priority as priority_points,
             case when f.starts_at < p_now + interval '24 hours' then v_settings.weight_slot_within_24h else 0 end as soon_points,
             coalesce(r.bookings, 0) as recent_bookings,
             -coalesce(r.bookings, 0) * v_settings.penalty_per_recent_booking as load_points
      from public.team_members m
      left join public.team_member_services l on l.team_member_id = m.id and l.service_id = p_service_id
      left join first_slot f on f.team_member_id = m.id
      left join preference pr on pr.member = m.id
      left join recent r on r.team_member_id = m.id
      where m.id = any (v_candidates)
    )
    select p.id, p.name,
           p.preference_points + p.primary_points + p.priority_points + p.soon_points + p.load_points,
           p.starts_at, p.ends_at,
           jsonb_build_object(
             'preference', p.preference_points, 'preference_rank', p.preference_rank,
             'preference_bypassed', p_mode = 'urgent' and p.preference_rank is not null,
             'primary_provider', p.primary_points, 'default_priority', p.priority_points,
             'slot_within_24h', p.soon_points, 'recent_bookings', p.recent_bookings, 'load_balance', p.load_points,
             'priority_order', p.priority_order, 'mode', p_mode)
    from parts p
    order by
      case when p_mode = 'urgent' then p.starts_at end nulls last,
      p.preference_points + p.primary_points + p.priority_points + p.soon_points + p.load_points desc,
      p.priority_order, p.starts_at nulls last, p.name;
end
$$;
comment on function public.rank_team_members(uuid, uuid, timestamptz, timestamptz, text, uuid, timestamptz) is
  'Returns the candidates for a service, best first: score, first free slot in the window and the reasons (preference +100 by rank, primary +50, default priority, slot within 24 h +20, -10 per recent booking). Modes: auto, urgent, explicit.';
revoke all on function public.rank_team_members(uuid, uuid, timestamptz, timestamptz, text, uuid, timestamptz) from public, anon;
grant execute on function public.rank_team_members(uuid, uuid, timestamptz, timestamptz, text, uuid, timestamptz) to authenticated, service_role;

-- Up to p_count slots of one member in a window that do not overlap each other (the earliest,
-- then the next one after it ends, ...): three options 15 minutes apart would be no choice.
create or replace function private.spread_slots(
  p_service_id uuid, p_team_member_id uuid, p_from timestamptz, p_to timestamptz, p_now timestamptz, p_count integer
) returns table (starts_at timestamptz, ends_at timestamptz)
language plpgsql volatile security definer set search_path = '' set jit = off
as $$
declare
  v_slot record;
  v_taken integer := 0;
  v_free_from timestamptz := '-infinity';
begin
  for v_slot in
    select s.starts_at, s.ends_at
    from public.get_available_slots(p_service_id, p_from, p_to, array[p_team_member_id], p_now) s
    order by s.starts_at
  loop
    continue when v_slot.starts_at < v_free_from;
    starts_at := v_slot.starts_at;
    ends_at := v_slot.ends_at;
    return next;
    v_taken := v_taken + 1;
    exit when v_taken >= p_count;
    v_free_from := v_slot.ends_at;
  end loop;
end
$$;

do $$
begin
  if not exists (select 1 from pg_type t join pg_namespace n on n.oid = t.typnamespace
                 where n.nspname = 'private' and t.typname = 'ranked_candidate') then
    create type private.ranked_candidate as (
      position integer, team_member_id uuid, name text, score integer, starts_at timestamptz, ends_at timestamptz,
      preference_rank integer);
  end if;
end
$$;

-- Step [6]: up to three options to put to the customer and one outcome for the whole answer:
--   preferred_available    a preferred team member is free in the window
--   preferred_unavailable  none is: the best other member in the window, and the preferred
--                          member's next slot after it (Example 2)
--   no_preference          the best two team members (Example 3)
--   urgent                 the earliest slot across everyone (Example 4)
--   explicit_available / explicit_unavailable   the requested member's slots in the window, or
--                          their next ones after it (Example 5)
--   nobody_available       nobody in the window: the next slots anyone has, up to the horizon
-- kind says what each option is: preferred, preferred_later, alternative, best_match, earliest,
-- requested, requested_later, next_available; 'none' when there is nothing (no team member, except in
-- explicit mode, where the requested one is named).
create or replace function public.booking_options(
  p_contact_id uuid, p_service_id uuid, p_from timestamptz, p_to timestamptz,
  p_mode text default 'auto', p_requested_team_member_id uuid default null, p_now timestamptz default now()
) returns table (option_number integer, outcome text, kind text, team_member_id uuid, team_member_name text,
                 starts_at timestamptz, ends_at timestamptz)
language plpgsql volatile security definer set search_path = '' set jit = off
as $$
#variable_conflict use_column
declare
  v_settings public.business_settings := private.settings();
  v_horizon_end timestamptz;
  v_preferred record;
  v_best record;
  v_outcome text;
  v_ranked private.ranked_candidate[];
begin
  -- The caller is checked before anything is looked up (an untrusted caller learns nothing, not
  -- even whether a contact exists); rank_team_members then checks the inputs.
  perform private.require_trusted_caller();
  v_horizon_end := private.add_local_days(p_now, v_settings.horizon_days);
  select array_agg(row(r.position, r.team_member_id, r.name, r.score, r.slot_starts_at, r.slot_ends_at,
                       r.preference_rank)::private.ranked_candidate order by r.position)
  into v_ranked
  from (select row_number() over ()::int as position, x.team_member_id, x.name, x.score, x.slot_starts_at, x.slot_ends_at,
               (x.reasons ->> 'preference_rank')::int as preference_rank
        from public.rank_team_members(p_contact_id, p_service_id, p_from, p_to, p_mode, p_requested_team_member_id, p_now) x) r;

  if p_mode = 'explicit' then
    if exists (select 1 from unnest(v_ranked) c where c.starts_at is not null) then
      return query
        select (row_number() over (order by s.starts_at))::int, 'explicit_available', 'requested', p_requested_team_member_id,
               (select c.name from unnest(v_ranked) c limit 1), s.starts_at, s.ends_at
        from private.spread_slots(p_service_id, p_requested_team_member_id, p_from, p_to, p_now, 3) s;
    else
      return query
        select (row_number() over (order by s.starts_at))::int, 'explicit_unavailable', 'requested_later',
               p_requested_team_member_id, (select c.name from unnest(v_ranked) c limit 1), s.starts_at, s.ends_at
        from private.spread_slots(p_service_id, p_requested_team_member_id, p_to,
                                  greatest(v_horizon_end, p_to + interval '1 minute'), p_now, 3) s;
      -- Always one outcome: nothing before the horizon is said as such, with the member named.
      if not found then
        return query select 1, 'explicit_unavailable', 'none', p_requested_team_member_id,
                            (select c.name from unnest(v_ranked) c limit 1), null::timestamptz, null::timestamptz;
      end if;
    end if;
    return;
  end if;

  if p_mode = 'urgent' then
    return query
      select 1, 'urgent', 'earliest', c.team_member_id, c.name, c.starts_at, c.ends_at
      from unnest(v_ranked) c where c.starts_at is not null
      order by c.position limit 1;
    if found then
      return;
    end if;
  else
    -- The best-scored preferred member who is free in the window.
    select * into v_preferred from unnest(v_ranked) c
    where c.preference_rank is not null and c.starts_at is not null order by c.position limit 1;
    if v_preferred.team_member_id is not null then
      return query
        select (row_number() over (order by s.starts_at))::int, 'preferred_available', 'preferred',
               v_preferred.team_member_id, v_preferred.name, s.starts_at, s.ends_at
        from private.spread_slots(p_service_id, v_preferred.team_member_id, p_from, p_to, p_now, 3) s;
      return;
    end if;

    if exists (select 1 from unnest(v_ranked) c where c.preference_rank is not null) then
      -- Preferred member(s) unavailable in the window: the best other member now, and the most
      -- preferred member's next slot after the window.
      v_outcome := 'preferred_unavailable';
      select * into v_best from unnest(v_ranked) c
      where c.preference_rank is null and c.starts_at is not null order by c.position limit 1;
      select * into v_preferred from unnest(v_ranked) c
      where c.preference_rank is not null order by c.preference_rank limit 1;
      return query
        select 1, v_outcome, 'alternative', v_best.team_member_id, v_best.name, v_best.starts_at, v_best.ends_at
        where v_best.team_member_id is not null
        union all
        (select case when v_best.team_member_id is null then 1 else 2 end, v_outcome, 'preferred_later',
                s.team_member_id, v_preferred.name, s.starts_at, s.ends_at
         from public.get_available_slots(p_service_id, p_to, greatest(v_horizon_end, p_to + interval '1 minute'),
                                         array[v_preferred.team_member_id], p_now) s
         order by s.starts_at limit 1);
      if found then
        return;
      end if;
    else
      return query
        select (row_number() over (order by c.position))::int, 'no_preference', 'best_match', c.team_member_id, c.name,
               c.starts_at, c.ends_at
        from unnest(v_ranked) c where c.starts_at is not null
        order by c.position limit 2;
      if found then
        return;
      end if;
    end if;
  end if;

  -- Nobody in the window: the next slots anyone has, one per team member, up to the horizon.
  return query
    select (row_number() over (order by n.starts_at, n.position))::int, 'nobody_available', 'next_available',
           n.team_member_id, n.name, n.starts_at, n.ends_at
    from (
      select distinct on (s.team_member_id) s.team_member_id, c.name, c.position, s.starts_at, s.ends_at
      from public.get_available_slots(p_service_id, p_to, greatest(v_horizon_end, p_to + interval '1 minute'),
                                      array(select c2.team_member_id from unnest(v_ranked) c2), p_now) s
      join unnest(v_ranked) c on c.team_member_id = s.team_member_id
      order by s.team_member_id, s.starts_at
    ) n
    order by n.starts_at, n.position limit 3;
  if not found then
    return query select 1, 'nobody_available', 'none', null::uuid, null::text, null::timestamptz, null::timestamptz;
  end if;
end
$$;
comment on function public.booking_options(uuid, uuid, timestamptz, timestamptz, text, uuid, timestamptz) is
  'Returns up to three options to offer the customer (number, team member, start, end), each row with the one outcome: preferred_available, preferred_unavailable, no_preference, urgent, explicit_available, explicit_unavailable or nobody_available.';
revoke all on function public.booking_options(uuid, uuid, timestamptz, timestamptz, text, uuid, timestamptz) from public, anon;
grant execute on function public.booking_options(uuid, uuid, timestamptz, timestamptz, text, uuid, timestamptz) to authenticated, service_role;
