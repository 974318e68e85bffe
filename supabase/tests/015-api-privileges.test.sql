-- Privileges of the API roles (anon, authenticated) and of PUBLIC, compared with an explicit
-- allow-list: a function or table that an API user can reach by accident fails this test and is
-- named in its output. Row-level security decides which rows; this decides which objects.
begin;
select plan(11);

-- ===== ALLOW-LIST =============================================================================
-- Every privilege anon, authenticated and PUBLIC may hold in the project's schemas (platform
-- schemas such as auth, vault, extensions are Supabase's). One row per grantee and object, the
-- privileges comma-separated in alphabetical order. A function or table meant for API users gets
-- a line here; the migration that grants it says why.
create temp table allowed (grantee text, object text, privileges text);
insert into allowed (grantee, object, privileges) values
  ('public', 'schema public', 'USAGE'),
  ('anon', 'schema public', 'USAGE'),
  ('authenticated', 'schema public', 'USAGE'),
  ('authenticated', 'function private.assert_calendar_url_has_no_secret(text)', 'EXECUTE'),
  ('authenticated', 'function private.assert_valid_time_zone(text)', 'EXECUTE'),
  ('authenticated', 'function private.assert_valid_working_hours(jsonb)', 'EXECUTE'),
  ('authenticated', 'function private.available_slot_count(uuid, integer)', 'EXECUTE'),
  ('authenticated', 'function private.business_time_zone()', 'EXECUTE'),
  ('authenticated', 'function private.calendar_url_secret_reason(text)', 'EXECUTE'),
  ('authenticated', 'function private.is_admin()', 'EXECUTE'),
  ('authenticated', 'function private.metrics_booking_time()', 'EXECUTE'),
  ('authenticated', 'function private.metrics_customer_satisfaction()', 'EXECUTE'),
  ('authenticated', 'function private.metrics_no_shows()', 'EXECUTE'),
  ('authenticated', 'function private.metrics_preference_satisfaction()', 'EXECUTE'),
  ('authenticated', 'function private.metrics_reader_check()', 'EXECUTE'),
  ('authenticated', 'function private.metrics_repeat_bookings()', 'EXECUTE'),
  ('authenticated', 'function private.metrics_utilisation()', 'EXECUTE'),
  ('authenticated', 'function private.my_team_member_id()', 'EXECUTE'),
  ('authenticated', 'function private.working_hours_problem(jsonb)', 'EXECUTE'),
  ('authenticated', 'function public.admin_calendar_connect_link(uuid, text, timestamp with time zone)', 'EXECUTE'),
  ('authenticated', 'function public.admin_assign_team_members(uuid, uuid[], uuid, boolean)', 'EXECUTE'),
  ('authenticated', 'function public.admin_release_conversation(uuid)', 'EXECUTE'),
  ('authenticated', 'function public.admin_set_calendar_secret(uuid, text)', 'EXECUTE'),
  ('authenticated', 'function public.admin_set_preferred_team_members(uuid, uuid[], timestamp with time zone)', 'EXECUTE'),
  ('authenticated', 'function public.admin_test_calendar_sync(uuid)', 'EXECUTE'),
  ('authenticated', 'function public.admin_use_calendar_secret(uuid, text)', 'EXECUTE'),
  ('authenticated', 'function public.book_appointment(uuid, uuid, uuid, timestamp with time zone, text, jsonb, uuid, timestamp with time zone, text)', 'EXECUTE'),
  ('authenticated', 'function public.booking_options(uuid, uuid, timestamp with time zone, timestamp with time zone, text, uuid, timestamp with time zone)', 'EXECUTE'),
  ('authenticated', 'function public.business_kpis_at(timestamp with time zone)', 'EXECUTE'),
  ('authenticated', 'function public.cancel_booking(uuid, timestamp with time zone)', 'EXECUTE'),
  ('authenticated', 'function public.get_availability(uuid, uuid, date, timestamp with time zone)', 'EXECUTE'),
  ('authenticated', 'function public.get_available_slots(uuid, timestamp with time zone, timestamp with time zone, uuid[], timestamp with time zone)', 'EXECUTE'),
  ('authenticated', 'function public.hold_slot(uuid, uuid, uuid, timestamp with time zone, timestamp with time zone)', 'EXECUTE'),
  ('authenticated', 'function public.metrics_calendar_sync_at(timestamp with time zone)', 'EXECUTE'),
  ('authenticated', 'function public.rank_team_members(uuid, uuid, timestamp with time zone, timestamp with time zone, text, uuid, timestamp with time zone)', 'EXECUTE'),
  ('authenticated', 'function public.record_booking_rating(uuid, integer, text, text, timestamp with time zone)', 'EXECUTE'),
  ('authenticated', 'function public.refresh_availability_cache(date, integer, uuid[])', 'EXECUTE'),
  ('authenticated', 'function public.remember_preference(uuid, uuid, text, timestamp with time zone)', 'EXECUTE'),
  ('authenticated', 'function public.reschedule_booking(uuid, timestamp with time zone, uuid, timestamp with time zone)', 'EXECUTE'),
  ('authenticated', 'table public.admin_alert_mails', 'SELECT'),
  ('authenticated', 'table public.admin_alerts', 'DELETE, INSERT, SELECT, UPDATE'),
  ('authenticated', 'table public.availability_query_log', 'SELECT'),
  ('authenticated', 'table public.booking_ratings', 'SELECT'),
  -- Reminders, feedback, waitlist, bookings feeds (#17): admins through RLS; writes of the
  -- notifications and feed tokens only through the database's own functions.
  ('authenticated', 'function public.admin_mark_no_show(uuid, timestamp with time zone)', 'EXECUTE'),
  ('authenticated', 'function public.admin_revoke_booking_feed(uuid)', 'EXECUTE'),
  ('authenticated', 'function public.admin_rotate_booking_feed(uuid)', 'EXECUTE'),
  ('authenticated', 'function public.join_waitlist(uuid, uuid, timestamp with time zone, timestamp with time zone, uuid, timestamp with time zone)', 'EXECUTE'),
  ('authenticated', 'table public.booking_notifications', 'SELECT'),
  ('authenticated', 'table public.team_member_booking_feeds', 'SELECT'),
  ('authenticated', 'table public.waitlist_entries', 'DELETE, INSERT, SELECT, UPDATE'),
  ('authenticated', 'table public.whatsapp_templates', 'DELETE, INSERT, SELECT, UPDATE'),
  ('authenticated', 'table public.availability_cache', 'DELETE, INSERT, SELECT, UPDATE'),
  ('authenticated', 'table public.bookings', 'DELETE, SELECT'),
  ('authenticated', 'table public.business_closures', 'DELETE, INSERT, SELECT, UPDATE'),
  ('authenticated', 'table public.business_settings', 'DELETE, INSERT, SELECT, UPDATE'),
  ('authenticated', 'table public.calendar_busy_times', 'DELETE, INSERT, SELECT, UPDATE'),
  ('authenticated', 'table public.calendar_sync_attempts', 'SELECT'),
  ('authenticated', 'table public.calendar_sync_state', 'DELETE, INSERT, SELECT, UPDATE'),
  ('authenticated', 'table public.calendar_writeback_queue', 'DELETE, INSERT, SELECT, UPDATE'),
  ('authenticated', 'table public.contacts', 'DELETE, INSERT, SELECT, UPDATE'),
  ('authenticated', 'table public.conversation_timings', 'SELECT'),
  ('authenticated', 'table public.conversations', 'SELECT'),
  ('authenticated', 'table public.services', 'DELETE, INSERT, SELECT, UPDATE'),
  ('authenticated', 'table public.team_member_absences', 'DELETE, INSERT, SELECT, UPDATE'),
  ('authenticated', 'table public.team_member_services', 'DELETE, INSERT, SELECT, UPDATE'),
  ('authenticated', 'table public.team_members', 'DELETE'),
  ('authenticated', 'table public.whatsapp_inbound_messages', 'SELECT'),
  ('authenticated', 'table public.whatsapp_message_statuses', 'SELECT'),
  ('authenticated', 'table public.whatsapp_outbound_messages', 'SELECT'),
  ('authenticated', 'view public.booking_schedule', 'SELECT'),
  ('authenticated', 'view public.business_kpis', 'SELECT'),
  ('authenticated', 'view public.bookings_by_team_member', 'SELECT'),
  ('authenticated', 'view public.calendar_sync_overview', 'SELECT'),
  ('authenticated', 'view public.customer_booking_history', 'SELECT'),
  ('authenticated', 'view public.customer_preferences', 'SELECT'),
  ('authenticated', 'view public.metrics_booking_time', 'SELECT'),
  ('authenticated', 'view public.metrics_calendar_sync', 'SELECT'),
  ('authenticated', 'view public.metrics_customer_satisfaction', 'SELECT'),
  ('authenticated', 'view public.metrics_no_shows', 'SELECT'),
  ('authenticated', 'view public.metrics_preference_satisfaction', 'SELECT'),
  ('authenticated', 'view public.metrics_repeat_bookings', 'SELECT'),
  ('authenticated', 'view public.metrics_utilisation', 'SELECT'),
  ('authenticated', 'view public.service_team_members', 'SELECT'),
  ('authenticated', 'view public.team_member_overview', 'SELECT'),
  ('authenticated', 'view public.whatsapp_conversation_messages', 'SELECT'),
  ('authenticated', 'column public.bookings.assigned_strategy', 'INSERT, UPDATE'),
  ('authenticated', 'column public.bookings.blocked_during', 'INSERT, UPDATE'),
  ('authenticated', 'column public.bookings.buffer_after_minutes', 'INSERT, UPDATE'),
  ('authenticated', 'column public.bookings.buffer_before_minutes', 'INSERT, UPDATE'),
  ('authenticated', 'column public.bookings.cancelled_at', 'INSERT, UPDATE'),
  ('authenticated', 'column public.bookings.contact_id', 'INSERT, UPDATE'),
  ('authenticated', 'column public.bookings.created_at', 'INSERT, UPDATE'),
  ('authenticated', 'column public.bookings.ends_at', 'INSERT, UPDATE'),
  ('authenticated', 'column public.bookings.hold_expires_at', 'INSERT, UPDATE'),
  ('authenticated', 'column public.bookings.id', 'INSERT, UPDATE'),
  ('authenticated', 'column public.bookings.preference_snapshot', 'INSERT, UPDATE'),
  ('authenticated', 'column public.bookings.rescheduled_from_id', 'INSERT, UPDATE'),
  ('authenticated', 'column public.bookings.service_id', 'INSERT, UPDATE'),
  ('authenticated', 'column public.bookings.source', 'INSERT, UPDATE'),
  ('authenticated', 'column public.bookings.starts_at', 'INSERT, UPDATE'),
  ('authenticated', 'column public.bookings.status', 'INSERT, UPDATE'),
  ('authenticated', 'column public.bookings.team_member_id', 'INSERT, UPDATE'),
  ('authenticated', 'column public.bookings.updated_at', 'INSERT, UPDATE'),
  ('authenticated', 'column public.team_members.avatar_url', 'INSERT, SELECT, UPDATE'),
  ('authenticated', 'column public.team_members.bio', 'INSERT, SELECT, UPDATE'),
  ('authenticated', 'column public.team_members.calendar_last_synced', 'SELECT'),
  ('authenticated', 'column public.team_members.calendar_provider', 'INSERT, SELECT, UPDATE'),
  ('authenticated', 'column public.team_members.calendar_secret_configured', 'SELECT'),
  ('authenticated', 'column public.team_members.calendar_source_url', 'INSERT, SELECT, UPDATE'),
  ('authenticated', 'column public.team_members.calendar_sync_error', 'SELECT'),
  ('authenticated', 'column public.team_members.calendar_sync_status', 'SELECT, UPDATE'),
  ('authenticated', 'column public.team_members.consecutive_failures', 'SELECT'),
  ('authenticated', 'column public.team_members.created_at', 'SELECT'),
  ('authenticated', 'column public.team_members.default_priority', 'INSERT, SELECT, UPDATE'),
  ('authenticated', 'column public.team_members.display_order', 'INSERT, SELECT, UPDATE'),
  ('authenticated', 'column public.team_members.email', 'INSERT, SELECT, UPDATE'),
  ('authenticated', 'column public.team_members.id', 'SELECT'),
  ('authenticated', 'column public.team_members.is_active', 'INSERT, SELECT, UPDATE'),
  ('authenticated', 'column public.team_members.is_bookable', 'SELECT'),
  ('authenticated', 'column public.team_members.is_general_calendar', 'SELECT'),
  ('authenticated', 'column public.team_members.metadata', 'INSERT, SELECT, UPDATE'),
  ('authenticated', 'column public.team_members.name', 'INSERT, SELECT, UPDATE'),
  ('authenticated', 'column public.team_members.next_sync_at', 'SELECT'),
  ('authenticated', 'column public.team_members.phone', 'INSERT, SELECT, UPDATE'),
  ('authenticated', 'column public.team_members.role', 'INSERT, SELECT, UPDATE'),
  ('authenticated', 'column public.team_members.updated_at', 'SELECT'),
  ('authenticated', 'column public.team_members.user_id', 'INSERT, SELECT, UPDATE'),
  ('authenticated', 'column public.team_members.working_hours', 'INSERT, SELECT, UPDATE');
-- ===== END OF ALLOW-LIST ======================================================================

-- What the catalog says, one row per grantee, privilege and object.
create temp view api_privileges as
with grantee(oid, name) as (
  select 0::oid, 'public' union all select oid, rolname from pg_roles where rolname in ('anon', 'authenticated')
),
schemas as (
  select oid, nspname, nspacl, nspowner from pg_namespace
  where nspname !~ '^(pg_|information_schema$)'
    and nspname not in ('auth', 'extensions', 'vault', 'net', 'cron', 'tests', 'graphql', 'graphql_public',
                        'realtime', 'storage', 'supabase_functions', 'supabase_migrations', 'pgbouncer', 'pgsodium',
                        'pgsodium_masks', '_realtime', '_analytics', 'pgtle')
)
select g.name as grantee, a.privilege_type as privilege, 'schema ' || s.nspname as object
from schemas s cross join lateral aclexplode(coalesce(s.nspacl, acldefault('n', s.nspowner))) a
join grantee g on g.oid = a.grantee
union all
select g.name, a.privilege_type,
       case c.relkind when 'v' then 'view ' when 'm' then 'view ' when 'S' then 'sequence ' else 'table ' end
         || s.nspname || '.' || c.relname
from pg_class c join schemas s on s.oid = c.relnamespace
cross join lateral aclexplode(coalesce(c.relacl, acldefault((case when c.relkind = 'S' then 's' else 'r' end)::"char", c.relowner))) a
join grantee g on g.oid = a.grantee
where c.relkind in ('r', 'p', 'v', 'm', 'S', 'f')
union all
select g.name, a.privilege_type, 'column ' || s.nspname || '.' || c.relname || '.' || t.attname
from pg_attribute t join pg_class c on c.oid = t.attrelid join schemas s on s.oid = c.relnamespace
cross join lateral aclexplode(t.attacl) a
join grantee g on g.oid = a.grantee
where t.attnum > 0 and not t.attisdropped and t.attacl is not null
union all
select g.name, a.privilege_type, 'function ' || s.nspname || '.' || p.proname || '(' || oidvectortypes(p.proargtypes) || ')'
from pg_proc p join schemas s on s.oid = p.pronamespace
cross join lateral aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
join grantee g on g.oid = a.grantee;

create temp view allowed_privileges as
select a.grantee, trim(p) as privilege, a.object from allowed a cross join lateral unnest(string_to_array(a.privileges, ',')) p;

select is_empty(
  $$select grantee || ' has ' || privilege || ' on ' || object from api_privileges
    except select grantee || ' has ' || privilege || ' on ' || object from allowed_privileges order by 1$$,
  'anon, authenticated and PUBLIC hold no privilege beyond the allow-list');
select is_empty(
  $$select grantee || ' lacks ' || privilege || ' on ' || object from allowed_privileges
    except select grantee || ' lacks ' || privilege || ' on ' || object from api_privileges order by 1$$,
  'every privilege on the allow-list is granted (the list is current)');

-- Default privileges: what a later migration creates is closed until it is granted.
create function private.privileges_probe() returns int language sql as 'select 1';
create function public.privileges_probe() returns int language sql as 'select 1';
create table public.privileges_probe (id int);
select ok(not has_function_privilege('authenticated', 'private.privileges_probe()', 'execute')
          and not has_function_privilege('anon', 'private.privileges_probe()', 'execute'),
          'a private function created later is not executable by API roles (nor PUBLIC)');
select ok(not has_function_privilege('authenticated', 'public.privileges_probe()', 'execute')
          and not has_function_privilege('anon', 'public.privileges_probe()', 'execute'),
          'a public function created later is not executable by API roles until granted');
select ok(not has_table_privilege('authenticated', 'public.privileges_probe', 'truncate')
          and not has_table_privilege('anon', 'public.privileges_probe', 'select'),
          'a table created later cannot be truncated by authenticated, nor read by anon');

-- What the attacker of issue #14 tried, as a team member and as an admin with a SQL session.
select tests.create_supabase_user('privileges_member');
select tests.create_supabase_user('privileges_admin', '{"role": "admin"}');
select tests.authenticate_as('privileges_member');
select throws_ok(
  $$select private.insert_booking(null::contacts, null::services, null::team_members, now(), now() + interval '20 hours',
      'confirmed', null, 'manual', null, 'admin', null)$$,
  '42501', null, 'a team member cannot call private.insert_booking');
select tests.clear_authentication();
select tests.authenticate_as('privileges_admin');
select throws_ok('truncate bookings cascade', '42501', null, 'not even an admin can TRUNCATE bookings (truncate ignores RLS)');
select throws_ok($$update bookings set external_event_id = 'https://attacker.example/steal'$$, '42501', null,
  'an admin cannot choose where a booking''s calendar event lives (external_event_id)');
select lives_ok($$update bookings set source = source where false$$, 'an admin still updates the other booking columns');
select tests.clear_authentication();

-- A SQL session that takes an API role but sends no JWT claims is not a trusted caller.
select set_config('privileges.service_id', (select id::text from services order by name limit 1), true);
set local role authenticated;
select throws_ok($$select * from get_available_slots(current_setting('privileges.service_id')::uuid, now(), now() + interval '1 day')$$,
  '42501', null, 'an authenticated session without claims is not trusted like direct SQL');
reset role;
set local role anon;
select throws_ok($$select * from get_available_slots(current_setting('privileges.service_id')::uuid, now(), now() + interval '1 day')$$,
  '42501', null, 'anon cannot ask for availability at all');
reset role;

select * from finish();
rollback;
