-- Size limits on what people and callers type (issue #14, item 4): names, notes, free text and
-- JSON documents had no bound, so one 5 MB customer statement was stored, cached and shown.
-- Each limit is a named CHECK constraint, so a bad write says which one; the booking functions
-- also check the preference snapshot first and answer BK004.
create or replace function private.add_size_limit(p_table regclass, p_name text, p_check text) returns void
language plpgsql set search_path = ''
as $$
begin
  if not exists (select 1 from pg_catalog.pg_constraint where conrelid = p_table and conname = p_name) then
    execute format('alter table %s add constraint %I check (%s)', p_table, p_name, p_check);
  end if;
end
$$;
revoke all on function private.add_size_limit(regclass, text, text) from public, anon, authenticated;

select private.add_size_limit('public.business_settings', 'business_settings_business_name_size', 'length(business_name) <= 200');
select private.add_size_limit('public.services', 'services_name_size', 'length(name) <= 200');
select private.add_size_limit('public.services', 'services_description_size', 'length(description) <= 2000');
select private.add_size_limit('public.services', 'services_synonyms_size',
  'cardinality(synonyms) <= 50 and length(array_to_string(synonyms, '''')) <= 2000');
select private.add_size_limit('public.team_members', 'team_members_bio_size', 'length(bio) <= 2000');
select private.add_size_limit('public.team_members', 'team_members_avatar_url_size', 'length(avatar_url) <= 2000');
select private.add_size_limit('public.team_members', 'team_members_email_size', 'length(email) <= 320');
select private.add_size_limit('public.team_members', 'team_members_phone_size', 'length(phone) <= 50');
select private.add_size_limit('public.team_members', 'team_members_calendar_source_url_size', 'length(calendar_source_url) <= 2000');
select private.add_size_limit('public.team_members', 'team_members_metadata_size', 'octet_length(metadata::text) <= 16384');
select private.add_size_limit('public.team_members', 'team_members_working_hours_size', 'octet_length(working_hours::text) <= 16384');
select private.add_size_limit('public.team_member_services', 'team_member_services_notes_size', 'length(notes) <= 2000');
select private.add_size_limit('public.contacts', 'contacts_name_size', 'length(name) <= 200');
select private.add_size_limit('public.contacts', 'contacts_preference_metadata_size', 'octet_length(preference_metadata::text) <= 16384');
select private.add_size_limit('public.bookings', 'bookings_preference_snapshot_size', 'octet_length(preference_snapshot::text) <= 16384');
select private.add_size_limit('public.bookings', 'bookings_customer_statement_size',
  'length(preference_snapshot ->> ''customer_statement'') <= 2000');
select private.add_size_limit('public.team_member_absences', 'team_member_absences_reason_size', 'length(reason) <= 500');
select private.add_size_limit('public.business_closures', 'business_closures_reason_size', 'length(reason) <= 500');
select private.add_size_limit('public.calendar_sync_state', 'calendar_sync_state_validators_size',
  'length(etag) <= 1000 and length(last_modified) <= 200');
