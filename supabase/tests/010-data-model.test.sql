-- Data model: columns the guide names, constraints, triggers and their messages.
begin;
select plan(58);

-- Columns of the guide
select columns_are('public', 'team_members', array[
  'id', 'name', 'role', 'bio', 'avatar_url', 'email', 'phone', 'user_id', 'calendar_provider',
  'calendar_source_url', 'calendar_secret_ref', 'calendar_secret_configured', 'calendar_last_synced',
  'calendar_sync_status', 'calendar_sync_error', 'next_sync_at', 'consecutive_failures', 'is_active',
  'is_bookable', 'is_general_calendar', 'default_priority', 'working_hours', 'metadata', 'display_order',
  'created_at', 'updated_at'], 'team_members has the guide''s columns plus sync state');
select columns_are('public', 'team_member_services', array[
  'id', 'team_member_id', 'service_id', 'is_primary', 'priority_order', 'custom_duration_minutes',
  'custom_cost_chf', 'notes', 'created_at'], 'team_member_services has the guide''s columns');
select columns_are('public', 'availability_cache', array[
  'id', 'team_member_id', 'service_id', 'date', 'time_slots', 'last_synced', 'cache_version'],
  'availability_cache is exactly the guide''s table');
select has_index('public', 'availability_cache', 'idx_availability_cache_lookup',
  array['team_member_id', 'service_id', 'date'], 'availability_cache has the guide''s lookup index');
select col_type_is('public', 'contacts', 'preferred_team_member_ids', 'uuid[]', 'preferred_team_member_ids is uuid[]');
select has_column('public', 'contacts', 'preferred_staff_member', 'legacy preferred_staff_member kept');
select has_column('public', 'contacts', 'preference_metadata', 'contacts.preference_metadata');
select has_column('public', 'bookings', 'assigned_strategy', 'bookings.assigned_strategy');
select has_column('public', 'bookings', 'preference_snapshot', 'bookings.preference_snapshot');
select col_is_null('public', 'bookings', 'team_member_id', 'bookings.team_member_id is nullable (backward compatibility)');
select col_type_is('public', 'bookings', 'starts_at', 'timestamp with time zone', 'times are timestamptz');
select hasnt_column('public', 'calendar_busy_times', 'summary', 'busy times store no event titles');
select hasnt_column('public', 'calendar_busy_times', 'description', 'busy times store no descriptions');

-- Settings
select is((select time_zone from business_settings), 'Europe/Zurich', 'business time zone defaults to Europe/Zurich');
select is((select (cache_max_age_minutes, sync_interval_minutes, horizon_days, hold_minutes)::text from business_settings),
  '(15,15,30,10)', 'cache 15 min, sync 15 min, horizon 30 days, hold 10 min');
select is((select (weight_preference, weight_primary_provider, weight_slot_within_24h, penalty_per_recent_booking)::text
           from business_settings), '(100,50,20,10)', 'scoring weights default to the guide''s');
select throws_ok($$update business_settings set time_zone = 'Europe/Zürich'$$, '23514',
  'time zone "Europe/Zürich" is not a known IANA zone name (for example Europe/Zurich)', 'an unknown time zone is refused');
select throws_ok($$insert into business_settings (id) values (false)$$, '23514', null, 'settings have exactly one row');

-- Constraints on team members
select throws_ok($$insert into team_members (name) values ('Dr. Sarah Weber')$$, '23505', null, 'team member names are unique');
select throws_ok($$insert into team_members (name, calendar_provider) values ('X', 'icloud')$$, '23514', null,
  'calendar_provider is one of ical, google, caldav, outlook');
select throws_ok($$insert into team_members (name, default_priority) values ('X', 11)$$, '23514', null, 'default_priority is 0-10');
select throws_ok($$insert into team_members (name, calendar_sync_status) values ('X', 'broken')$$, '23514', null,
  'calendar_sync_status is pending, active, error or disabled');
select throws_ok($$insert into team_members (name, working_hours) values ('X', '{"monday": []}')$$, '23514',
  'invalid working_hours: unknown day "monday": use mon, tue, wed, thu, fri, sat, sun', 'a misspelt day is refused with a clear message');
select throws_ok($$insert into team_members (name, working_hours) values ('X', '{"mon": [{"start": "8:00", "end": "12:00"}]}')$$, '23514',
  'invalid working_hours: mon: start "8:00" is not a time HH:MM (00:00-23:59)', 'a malformed time is refused');
select throws_ok($$insert into team_members (name, working_hours) values ('X', '{"tue": [{"start": "13:00", "end": "12:00"}]}')$$, '23514',
  'invalid working_hours: tue: interval 13:00-12:00 ends before it starts', 'an interval ending before it starts is refused');
select throws_ok($$insert into team_members (name, working_hours)
                   values ('X', '{"wed": [{"start": "08:00", "end": "12:00"}, {"start": "11:00", "end": "17:00"}]}')$$, '23514',
  'invalid working_hours: wed: intervals must be in order and must not overlap (at 11:00)', 'overlapping intervals are refused');
select lives_ok($$insert into team_members (name, working_hours)
                  values ('Lunch break', '{"mon": [{"start": "08:00", "end": "12:00"}, {"start": "13:00", "end": "24:00"}], "sat": []}')$$,
  'working hours with a lunch break, a 24:00 end and a day off are accepted');
select throws_ok($$update business_settings set default_working_hours = '[]'$$, '23514',
  'invalid working_hours: working hours must be a JSON object keyed by day (mon..sun)', 'the business default is checked the same way');

-- is_bookable is derived
insert into team_members (id, name, calendar_provider, calendar_source_url)
values ('7f000000-0000-4000-8000-000000000001', 'New Hire', 'caldav', 'https://cal.example/dav/new-hire/');
select is((select is_bookable from team_members where name = 'New Hire'), false, 'a member with a calendar but no service is not bookable');
insert into team_member_services (team_member_id, service_id)
values ('7f000000-0000-4000-8000-000000000001', '50000000-0000-4000-8000-000000000001');
select is((select is_bookable from team_members where name = 'New Hire'), false,
  'a calendar never read in full (pending) is not bookable (issue #14)');
select replace_busy_times('7f000000-0000-4000-8000-000000000001', '2026-11-30', '2026-12-31', '[]');
select is((select is_bookable from team_members where name = 'New Hire'), true, 'linking a service and a first sync make them bookable');
update team_members set is_bookable = false where name = 'New Hire';
select is((select is_bookable from team_members where name = 'New Hire'), true, 'is_bookable cannot be typed by hand');
update team_members set calendar_sync_status = 'error', consecutive_failures = 1 where name = 'New Hire';
select is((select is_bookable from team_members where name = 'New Hire'), false, 'a sync error makes them unbookable');
update team_members set calendar_sync_status = 'active', consecutive_failures = 0 where name = 'New Hire';
select is((select is_bookable from team_members where name = 'New Hire'), true, 'a successful sync makes them bookable again');
update business_settings set sync_failures_before_unbookable = 3;
update team_members set calendar_sync_status = 'error', consecutive_failures = 2 where name = 'New Hire';
select is((select is_bookable from team_members where name = 'New Hire'), true, 'below the configured failure threshold they stay bookable');
update team_members set consecutive_failures = 3 where name = 'New Hire';
select is((select is_bookable from team_members where name = 'New Hire'), false, 'at the threshold they become unbookable');
update team_members set calendar_sync_status = 'disabled', consecutive_failures = 0 where name = 'New Hire';
select is((select is_bookable from team_members where name = 'New Hire'), false, 'a disabled calendar is not bookable');
update team_members set calendar_sync_status = 'active' where name = 'New Hire';
delete from team_member_services where team_member_id = '7f000000-0000-4000-8000-000000000001';
select is((select is_bookable from team_members where name = 'New Hire'), false, 'removing the last service makes them unbookable');
select is((select is_bookable from team_members where name = 'Lunch break'), false, 'a member without a calendar is not bookable');

-- The General Calendar
select is((select count(*)::int from team_members where is_general_calendar), 1, 'one General Calendar exists');
select is((select is_bookable from team_members where is_general_calendar), false,
  'the seed requires team member assignment, so the General Calendar is not bookable');
update business_settings set require_team_member_assignment = false;
select is((select is_bookable from team_members where is_general_calendar), true,
  'with require_team_member_assignment off the General Calendar is bookable');
select throws_ok($$insert into team_members (name, is_general_calendar) values ('Second General', true)$$, '23505', null,
  'there is only one General Calendar');

-- Contacts and their preferences
select throws_ok($$insert into contacts (whatsapp_id) values ('0791234567')$$, '23514', null, 'WhatsApp ids must be E.164');
select throws_ok($$insert into contacts (whatsapp_id) values ('+41791110001')$$, '23505', null, 'WhatsApp ids are unique');
select throws_ok($$insert into contacts (whatsapp_id, preferred_team_member_ids) values ('+41790000001', '{7fffffff-0000-4000-8000-000000000000}')$$,
  '23503', 'preferred_team_member_ids contains 7fffffff-0000-4000-8000-000000000000, which is not a team member',
  'preferences must name existing team members');
select throws_ok($$insert into contacts (whatsapp_id, preferred_team_member_ids)
                   values ('+41790000002', '{70000000-0000-4000-8000-000000000001,70000000-0000-4000-8000-000000000001}')$$,
  '23514', 'preferred_team_member_ids lists a team member more than once', 'a preference is listed once');
insert into contacts (id, whatsapp_id, name, preferred_team_member_ids)
values ('cf000000-0000-4000-8000-000000000001', '+41790000003', 'Pref Test',
        '{70000000-0000-4000-8000-000000000002,70000000-0000-4000-8000-000000000001}');
select is((select preferred_staff_member from contacts where whatsapp_id = '+41790000003'), 'Dr. Schmidt',
  'the legacy field holds the name of the first preferred team member');
update contacts set preferred_staff_member = 'Dr. Müller' where whatsapp_id = '+41790000003';
select is((select preferred_team_member_ids from contacts where whatsapp_id = '+41790000003'),
  '{70000000-0000-4000-8000-000000000003,70000000-0000-4000-8000-000000000002,70000000-0000-4000-8000-000000000001}'::uuid[],
  'writing the legacy name puts that team member first in the array');
select throws_ok($$update contacts set preferred_staff_member = 'Dr. Nobody' where whatsapp_id = '+41790000003'$$, '23503',
  'preferred_staff_member "Dr. Nobody" is not the name of a team member', 'an unknown legacy name is refused');
update team_members set name = 'Dr. Anna Müller' where name = 'Dr. Müller';
select is((select preferred_staff_member from contacts where whatsapp_id = '+41790000003'), 'Dr. Anna Müller',
  'renaming a team member updates the legacy field');

-- Bookings
select throws_ok($$insert into bookings (contact_id, service_id, team_member_id, starts_at, ends_at)
                   values ('c0000000-0000-4000-8000-000000000001', '50000000-0000-4000-8000-000000000001',
                           '70000000-0000-4000-8000-000000000001', '2026-12-01 10:00+01', '2026-12-01 09:00+01')$$,
  '23514', null, 'a booking cannot end before it starts');
select throws_ok($$insert into bookings (contact_id, service_id, team_member_id, starts_at, ends_at, status)
                   values ('c0000000-0000-4000-8000-000000000001', '50000000-0000-4000-8000-000000000001',
                           '70000000-0000-4000-8000-000000000001', '2026-12-01 10:00+01', '2026-12-01 11:00+01', 'held')$$,
  '23514', null, 'a held booking needs an expiry');
select throws_ok($$insert into bookings (contact_id, service_id, team_member_id, starts_at, ends_at, assigned_strategy)
                   values ('c0000000-0000-4000-8000-000000000001', '50000000-0000-4000-8000-000000000001',
                           '70000000-0000-4000-8000-000000000001', '2026-12-01 10:00+01', '2026-12-01 11:00+01', 'random')$$,
  '23514', null, 'assigned_strategy is preference, availability, manual or auto');
insert into bookings (contact_id, service_id, team_member_id, starts_at, ends_at, buffer_before_minutes, buffer_after_minutes)
values ('cf000000-0000-4000-8000-000000000001', '50000000-0000-4000-8000-000000000001',
        '7f000000-0000-4000-8000-000000000001', '2026-12-01 10:00+01', '2026-12-01 11:00+01', 5, 10);
select is((select blocked_during from bookings where team_member_id = '7f000000-0000-4000-8000-000000000001'),
  tstzrange('2026-12-01 09:55+01', '2026-12-01 11:10+01'), 'a booking blocks its time widened by its buffers');
select throws_ok($$delete from team_members where name = 'New Hire'$$, '23503',
  'team member "New Hire" has 1 booking(s) and cannot be deleted', 'deleting a team member with bookings is refused');
select lives_ok($$update team_members set is_active = false where name = 'New Hire'$$, 'deactivating is the way');

-- A team member without bookings can be deleted and leaves preference lists
insert into contacts (whatsapp_id, preferred_team_member_ids)
select '+41790000004', array[id] from team_members where name = 'Lunch break';
delete from team_members where name = 'Lunch break';
select is((select preferred_team_member_ids from contacts where whatsapp_id = '+41790000004'), '{}'::uuid[],
  'a deleted team member leaves every preference list');

select * from finish();
rollback;
