-- Views for the questions an admin asks in Studio. security_invoker: through the API they show
-- only what the caller's row-level security allows.

create or replace view public.team_member_overview with (security_invoker = true) as
select m.id, m.name, m.role, m.is_active, m.is_bookable, m.default_priority,
       coalesce((select string_agg(s.name || case when tms.is_primary then ' (primary)' else '' end
                                   || ' #' || tms.priority_order, ', ' order by tms.priority_order, s.name)
                 from public.team_member_services tms join public.services s on s.id = tms.service_id
                 where tms.team_member_id = m.id), '') as services,
       m.calendar_provider, m.calendar_secret_configured, m.calendar_sync_status, m.calendar_last_synced,
       m.calendar_sync_error, m.next_sync_at, m.consecutive_failures,
       (select count(*) from public.bookings b
        where b.team_member_id = m.id and b.status = 'confirmed' and b.starts_at >= now()) as upcoming_bookings
from public.team_members m
order by m.display_order, m.name;
comment on view public.team_member_overview is
  'One row per team member: services (primary, priority), calendar sync status, last sync, last error, upcoming bookings.';
comment on column public.team_member_overview.id is 'Team member id.';
comment on column public.team_member_overview.name is 'The team member''s name.';
comment on column public.team_member_overview.role is 'Job title shown to customers (e.g. Dentist).';
comment on column public.team_member_overview.is_active is 'Whether the team member works here now (false = deactivated).';
comment on column public.team_member_overview.is_bookable is 'Whether customers can be booked with them now (derived: calendar, a service, sync not failing).';
comment on column public.team_member_overview.default_priority is 'Preference (0-10) when several team members could take a booking.';
comment on column public.team_member_overview.services is 'Services they offer, in priority order: name, (primary) and #priority.';
comment on column public.team_member_overview.calendar_provider is 'Calendar type: ical, caldav, google or outlook.';
comment on column public.team_member_overview.calendar_secret_configured is 'Whether a calendar secret is stored in Vault (the secret itself is never shown).';
comment on column public.team_member_overview.calendar_sync_status is 'pending, active, error or disabled.';
comment on column public.team_member_overview.calendar_last_synced is 'When the calendar was last read successfully.';
comment on column public.team_member_overview.calendar_sync_error is 'The last sync error in plain words (no secrets); null when syncing works.';
comment on column public.team_member_overview.next_sync_at is 'When the calendar is due to be read next (sync interval or retry time).';
comment on column public.team_member_overview.consecutive_failures is 'Sync failures in a row; reset by the next success.';
comment on column public.team_member_overview.upcoming_bookings is 'Confirmed bookings from now on.';

create or replace view public.customer_preferences with (security_invoker = true) as
select c.id, c.name, c.whatsapp_id, c.language,
       coalesce((select string_agg(m.name, ', ' order by p.rank)
                 from unnest(c.preferred_team_member_ids) with ordinality p(team_member_id, rank)
                 join public.team_members m on m.id = p.team_member_id), '') as preferred_team_members,
       c.preference_metadata ->> 'detected_from' as detected_from,
       c.preference_metadata ->> 'last_updated' as last_updated,
       case
         when cardinality(c.preferred_team_member_ids) = 0 then 'No preference'
         else 'Prefers ' || (select m.name from public.team_members m where m.id = c.preferred_team_member_ids[1])
           || case c.preference_metadata ->> 'detected_from'
                when 'booking_history' then ' (detected from ' ||
                  (select count(*) from public.bookings b
                   where b.contact_id = c.id and b.team_member_id = c.preferred_team_member_ids[1]
                     and b.status in ('confirmed', 'completed')) || ' bookings)'
                when 'explicit_request' then ' (asked for by name)'
                when 'conversation_history' then ' (from conversations)'
                when 'admin' then ' (set by an admin)'
                else ''
              end
       end as summary
from public.contacts c;
comment on view public.customer_preferences is
  'Customers with their preferred team members in rank order and how the preference was detected.';
comment on column public.customer_preferences.id is 'Contact id.';
comment on column public.customer_preferences.name is 'The customer''s name (null until known).';
comment on column public.customer_preferences.whatsapp_id is 'The customer''s WhatsApp number (E.164).';
comment on column public.customer_preferences.language is 'The customer''s language (e.g. de, en).';
comment on column public.customer_preferences.preferred_team_members is 'Preferred team members by name, in rank order; empty when none.';
comment on column public.customer_preferences.detected_from is 'How the first preference was learnt: conversation_history, explicit_request, booking_history or admin.';
comment on column public.customer_preferences.last_updated is 'Business-local date the preferences last changed.';
comment on column public.customer_preferences.summary is 'One line for admins, e.g. ''Prefers Dr. Weber (detected from 3 bookings)'' or ''No preference''.';

create or replace view public.bookings_by_team_member with (security_invoker = true) as
select m.id as team_member_id, m.name as team_member,
       count(b.id) filter (where b.status = 'confirmed' and b.starts_at >= now()) as upcoming,
       count(b.id) filter (where b.status in ('confirmed', 'completed') and b.starts_at >= now() - interval '30 days'
                                 and b.starts_at < now()) as last_30_days,
       count(b.id) filter (where b.status = 'cancelled') as cancelled,
       count(b.id) filter (where b.status = 'no_show') as no_shows,
       count(b.id) filter (where (b.preference_snapshot -> 'preferred_ids') ? m.id::text) as with_preferred_member,
       min(b.starts_at) filter (where b.status = 'confirmed' and b.starts_at >= now()) as next_booking_at
from public.team_members m
left join public.bookings b on b.team_member_id = m.id
group by m.id, m.name, m.display_order
order by m.display_order, m.name;
comment on view public.bookings_by_team_member is
  'Booking distribution per team member: upcoming, last 30 days, cancellations, no-shows, bookings with a customer who preferred them.';
comment on column public.bookings_by_team_member.team_member_id is 'Team member id.';
comment on column public.bookings_by_team_member.team_member is 'The team member''s name.';
comment on column public.bookings_by_team_member.upcoming is 'Confirmed bookings from now on.';
comment on column public.bookings_by_team_member.last_30_days is 'Confirmed or completed bookings that started in the last 30 days.';
comment on column public.bookings_by_team_member.cancelled is 'Cancelled bookings, all time.';
comment on column public.bookings_by_team_member.no_shows is 'Bookings the customer did not turn up to, all time.';
comment on column public.bookings_by_team_member.with_preferred_member is 'Bookings whose customer had this team member among their preferences when booking.';
comment on column public.bookings_by_team_member.next_booking_at is 'Start of the next confirmed booking; null when none.';

-- The business time zone for views read by API users who may not read business_settings (team
-- members): only the zone, nothing else of the settings.
create or replace function private.business_time_zone() returns text
language sql stable security definer set search_path = ''
as $$ select time_zone from public.business_settings where id $$;
comment on function private.business_time_zone() is 'The business''s IANA time zone, for views read by team members.';
revoke all on function private.business_time_zone() from public, anon;
grant execute on function private.business_time_zone() to authenticated, service_role;

create or replace view public.booking_schedule with (security_invoker = true) as
select b.id, m.name as team_member, s.name as service, c.name as customer, c.whatsapp_id,
       (b.starts_at at time zone private.business_time_zone()) as local_start,
       (b.ends_at at time zone private.business_time_zone()) as local_end,
       b.status, b.assigned_strategy, b.source, b.starts_at, b.ends_at, b.team_member_id, b.contact_id
from public.bookings b
join public.services s on s.id = b.service_id
join public.contacts c on c.id = b.contact_id
left join public.team_members m on m.id = b.team_member_id
order by b.starts_at;
comment on view public.booking_schedule is 'Bookings with names and business-local times, by start.';
comment on column public.booking_schedule.id is 'Booking id.';
comment on column public.booking_schedule.team_member is 'Who the appointment is with (null for bookings made before team members existed).';
comment on column public.booking_schedule.service is 'The booked service.';
comment on column public.booking_schedule.customer is 'The customer''s name (null until known).';
comment on column public.booking_schedule.whatsapp_id is 'The customer''s WhatsApp number (E.164).';
comment on column public.booking_schedule.local_start is 'Start in the business''s time zone (wall-clock time).';
comment on column public.booking_schedule.local_end is 'End in the business''s time zone (wall-clock time).';
comment on column public.booking_schedule.status is 'held, confirmed, cancelled, completed or no_show.';
comment on column public.booking_schedule.assigned_strategy is 'How the team member was chosen: preference, availability, manual or auto.';
comment on column public.booking_schedule.source is 'Where the booking came from: whatsapp, admin, api or import.';
comment on column public.booking_schedule.starts_at is 'Start as an absolute time.';
comment on column public.booking_schedule.ends_at is 'End as an absolute time.';
comment on column public.booking_schedule.team_member_id is 'Team member id.';
comment on column public.booking_schedule.contact_id is 'Contact id.';

-- Read-only for everyone through the API (Postgres would otherwise let writes through the
-- simple ones to the tables below).
revoke all on public.team_member_overview, public.customer_preferences, public.bookings_by_team_member,
  public.booking_schedule from anon, authenticated;
grant select on public.team_member_overview, public.customer_preferences, public.bookings_by_team_member,
  public.booking_schedule to authenticated;
