-- The default "General Calendar" team member (guide, Phase 1 step 2): bookings made before team
-- members existed, and new ones while require_team_member_assignment is off, can go to it.
insert into public.team_members (name, role, bio, is_general_calendar, default_priority, display_order)
values ('General Calendar', 'Shared calendar',
        'Default calendar kept for backward compatibility until every booking is assigned to a team member.',
        true, 0, 1000)
on conflict do nothing;

-- Bookings from before team members existed belong to it.
update public.bookings set team_member_id = (select id from public.team_members where is_general_calendar)
where team_member_id is null;
