-- Who may see and change what, through the API (PostgREST, supabase-js):
--   anon           nothing, anywhere;
--   admins         (authenticated, app_metadata.role = 'admin') manage everything;
--   team members   (authenticated, linked by team_members.user_id) read their own profile, their
--                  own bookings and customers, and the services they offer;
--   service_role   everything (edge functions; bypasses RLS).
-- Nobody but the service role can read a calendar secret reference, and nobody at all a secret.
--
-- Why the policies of the core tables are here and not next to each table: they are one access
-- model (the four roles above), and most of them reference other tables (a team member's
-- bookings, customers and services), which only all exist from this migration on. Read together,
-- a reviewer sees every rule in one file. Tables added later by their own concern (calendar sync
-- state and alerts in 20261125004000, the write-back queue in 20261125004100) enable RLS and
-- declare their policies next to their table, following the same roles.

-- The team member row of the caller, if any.
create or replace function private.my_team_member_id() returns uuid
language sql stable security definer set search_path = ''
as $$ select id from public.team_members where user_id = (select auth.uid()) $$;
revoke all on function private.my_team_member_id() from public, anon;
grant execute on function private.my_team_member_id() to authenticated, service_role;

do $$
declare
  t text;
begin
  foreach t in array array['business_settings', 'services', 'team_members', 'team_member_services', 'contacts',
                           'bookings', 'calendar_busy_times', 'team_member_absences', 'business_closures',
                           'availability_cache'] loop
    execute format('alter table public.%I enable row level security', t);
    execute format('revoke all on public.%I from anon', t);
    execute format('drop policy if exists "Admins manage %s" on public.%I', replace(t, '_', ' '), t);
    execute format('create policy "Admins manage %s" on public.%I for all to authenticated
                    using ((select private.is_admin())) with check ((select private.is_admin()))',
                   replace(t, '_', ' '), t);
  end loop;
end
$$;

-- The secret reference is not readable or writable through the API at all (column privileges
-- apply before policies, to admins too); admin_set_calendar_secret() sets it.
revoke select, insert, update on public.team_members from authenticated;
grant select (id, name, role, bio, avatar_url, email, phone, user_id, calendar_provider, calendar_source_url,
              calendar_secret_configured, calendar_last_synced, calendar_sync_status, calendar_sync_error,
              next_sync_at, consecutive_failures, is_active, is_bookable, is_general_calendar, default_priority,
              working_hours, metadata, display_order, created_at, updated_at)
  on public.team_members to authenticated;
grant insert (name, role, bio, avatar_url, email, phone, user_id, calendar_provider, calendar_source_url,
              is_active, default_priority, working_hours, metadata, display_order)
  on public.team_members to authenticated;
grant update (name, role, bio, avatar_url, email, phone, user_id, calendar_provider, calendar_source_url,
              calendar_sync_status, is_active, default_priority, working_hours, metadata, display_order)
  on public.team_members to authenticated;

drop policy if exists "Team members can view their own profile" on public.team_members;
create policy "Team members can view their own profile" on public.team_members
  for select to authenticated using (user_id = (select auth.uid()));

drop policy if exists "Team members can view their own service links" on public.team_member_services;
create policy "Team members can view their own service links" on public.team_member_services
  for select to authenticated using (team_member_id = (select private.my_team_member_id()));

drop policy if exists "Services are viewable by the team members who offer them" on public.services;
create policy "Services are viewable by the team members who offer them" on public.services
  for select to authenticated using (
    id in (select tms.service_id from public.team_member_services tms
           where tms.team_member_id = (select private.my_team_member_id())));

drop policy if exists "Bookings are viewable by their team member" on public.bookings;
create policy "Bookings are viewable by their team member" on public.bookings
  for select to authenticated using (team_member_id = (select private.my_team_member_id()));

drop policy if exists "Contacts are viewable by the team members they booked with" on public.contacts;
create policy "Contacts are viewable by the team members they booked with" on public.contacts
  for select to authenticated using (
    id in (select b.contact_id from public.bookings b
           where b.team_member_id = (select private.my_team_member_id())));

drop policy if exists "Busy times are viewable by their team member" on public.calendar_busy_times;
create policy "Busy times are viewable by their team member" on public.calendar_busy_times
  for select to authenticated using (team_member_id = (select private.my_team_member_id()));

drop policy if exists "Absences are viewable by their team member" on public.team_member_absences;
create policy "Absences are viewable by their team member" on public.team_member_absences
  for select to authenticated using (team_member_id = (select private.my_team_member_id()));

drop policy if exists "Availability is viewable by its team member" on public.availability_cache;
create policy "Availability is viewable by its team member" on public.availability_cache
  for select to authenticated using (team_member_id = (select private.my_team_member_id()));

drop policy if exists "Business closures are viewable by team members" on public.business_closures;
create policy "Business closures are viewable by team members" on public.business_closures
  for select to authenticated using ((select private.my_team_member_id()) is not null);
