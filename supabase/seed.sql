-- Demo world of the product guide, so its examples can be replayed (npm start, pgTAP).
-- Fixed ids keep tests and demos stable. Idempotent: `db push --include-seed` may run it again.

-- The guide's world has real team members, so every booking needs one.
update public.business_settings
set business_name = 'Praxis am See (demo)', require_team_member_assignment = true
where id;

insert into auth.users (id, email, raw_app_meta_data, raw_user_meta_data) values
  ('a0000000-0000-4000-8000-000000000001', 'admin@clinic.example', '{"role": "admin"}', '{"name": "Clinic admin"}'),
  ('a0000000-0000-4000-8000-000000000002', 'sarah.weber@clinic.example', '{}', '{"name": "Dr. Sarah Weber"}')
on conflict (id) do nothing;

insert into public.services (id, name, description, duration_minutes, cost_chf, buffer_before_minutes,
                             buffer_after_minutes, min_notice_minutes, synonyms) values
  ('50000000-0000-4000-8000-000000000001', 'Dental Cleaning', 'Professional teeth cleaning', 60, 160, 0, 10, 120,
   '{cleaning,"dental hygiene",Zahnreinigung,Dentalhygiene,"détartrage"}'),
  ('50000000-0000-4000-8000-000000000002', 'Tooth Filling', 'Composite filling', 45, 220, 0, 10, 120,
   '{filling,cavity,Füllung,Plombe,"plombage"}'),
  ('50000000-0000-4000-8000-000000000003', 'Dental Implant', 'Implant consultation and placement', 90, 1800, 10, 15, 1440,
   '{implant,Implantat,"implant dentaire"}'),
  ('50000000-0000-4000-8000-000000000004', 'Teeth Whitening', 'In-office whitening', 60, 450, 0, 10, 1440,
   '{whitening,bleaching,Zahnaufhellung,"blanchiment"}'),
  ('50000000-0000-4000-8000-000000000005', 'Deep Tissue Massage', 'Deep tissue massage', 60, 130, 0, 15, 120,
   '{massage,"deep tissue",Massage,Tiefengewebsmassage}')
on conflict (id) do nothing;

-- Calendars: public demo feeds served by the local stack (npm start); real secret addresses go
-- to the Vault with admin_set_calendar_secret().
insert into public.team_members (id, name, role, bio, email, phone, user_id, calendar_provider, calendar_source_url,
                                 default_priority, display_order) values
  ('70000000-0000-4000-8000-000000000001', 'Dr. Sarah Weber', 'Dentist',
   'Experienced dentist specializing in cosmetic procedures and nervous patients.',
   'sarah.weber@clinic.example', '+41 79 123 4567', 'a0000000-0000-4000-8000-000000000002',
   'ical', 'http://127.0.0.1:54325/feeds/dr-weber.ics', 5, 1),
  ('70000000-0000-4000-8000-000000000002', 'Dr. Schmidt', 'Dentist', 'General dentistry.',
   'schmidt@clinic.example', null, null, 'ical', 'http://127.0.0.1:54325/feeds/dr-schmidt.ics', 3, 2),
  ('70000000-0000-4000-8000-000000000003', 'Dr. Müller', 'Dentist', 'General dentistry and fillings.',
   'mueller@clinic.example', null, null, 'ical', 'http://127.0.0.1:54325/feeds/dr-mueller.ics', 2, 3),
  ('70000000-0000-4000-8000-000000000004', 'Sarah', 'Massage therapist', 'Excellent with deep tissue massage.',
   'sarah@clinic.example', null, null, 'ical', 'http://127.0.0.1:54325/feeds/sarah.ics', 5, 4),
  ('70000000-0000-4000-8000-000000000005', 'Michael', 'Massage therapist', 'Sports and deep tissue massage.',
   'michael@clinic.example', null, null, 'ical', 'http://127.0.0.1:54325/feeds/michael.ics', 3, 5)
on conflict (id) do nothing;
-- A member is bookable only after a complete read of their calendar; the demo members count as
-- read once (empty calendars) so that the demo world is bookable before its first sync.
update public.team_members set calendar_last_synced = now(), calendar_sync_status = 'active'
where id between '70000000-0000-4000-8000-000000000001' and '70000000-0000-4000-8000-000000000005'
  and calendar_last_synced is null;

-- Guide, "Setting Up Team Members", step 3 for Dr. Weber; the others as in Examples 1 and 3.
insert into public.team_member_services (team_member_id, service_id, is_primary, priority_order) values
  ('70000000-0000-4000-8000-000000000001', '50000000-0000-4000-8000-000000000001', true, 1),
  ('70000000-0000-4000-8000-000000000001', '50000000-0000-4000-8000-000000000002', false, 1),
  ('70000000-0000-4000-8000-000000000001', '50000000-0000-4000-8000-000000000003', true, 1),
  ('70000000-0000-4000-8000-000000000001', '50000000-0000-4000-8000-000000000004', false, 2),
  ('70000000-0000-4000-8000-000000000002', '50000000-0000-4000-8000-000000000001', false, 2),
  ('70000000-0000-4000-8000-000000000002', '50000000-0000-4000-8000-000000000002', false, 2),
  ('70000000-0000-4000-8000-000000000003', '50000000-0000-4000-8000-000000000001', false, 3),
  ('70000000-0000-4000-8000-000000000003', '50000000-0000-4000-8000-000000000002', false, 3),
  ('70000000-0000-4000-8000-000000000004', '50000000-0000-4000-8000-000000000005', false, 1),
  ('70000000-0000-4000-8000-000000000005', '50000000-0000-4000-8000-000000000005', false, 2)
on conflict (team_member_id, service_id) do nothing;

insert into public.contacts (id, whatsapp_id, name, language, preferred_team_member_ids, preference_metadata) values
  ('c0000000-0000-4000-8000-000000000001', '+41791110001', 'Marie Schmidt', 'de',
   '{70000000-0000-4000-8000-000000000001}',
   '{"detected_from": "conversation_history", "last_updated": "2025-03-01", "ranking": ["70000000-0000-4000-8000-000000000001"]}'),
  ('c0000000-0000-4000-8000-000000000002', '+41791110002', 'Thomas Becker', 'de',
   '{70000000-0000-4000-8000-000000000001}',
   '{"detected_from": "conversation_history", "last_updated": "2025-02-20", "ranking": ["70000000-0000-4000-8000-000000000001"]}'),
  ('c0000000-0000-4000-8000-000000000003', '+41791110003', 'Anna Müller', 'de',
   '{70000000-0000-4000-8000-000000000001}',
   '{"detected_from": "conversation_history", "last_updated": "2025-01-15", "ranking": ["70000000-0000-4000-8000-000000000001"]}'),
  ('c0000000-0000-4000-8000-000000000004', '+41791110004', 'Lisa Hoffmann', 'de', '{}', '{}'),
  ('c0000000-0000-4000-8000-000000000005', '+41791110005', 'Marc Schneider', 'de',
   '{70000000-0000-4000-8000-000000000004}',
   '{"detected_from": "conversation_history", "last_updated": "2025-02-10", "ranking": ["70000000-0000-4000-8000-000000000004"]}')
on conflict (id) do nothing;

-- Words customers use in Italian and French too (the conversation's interpreter reads synonyms).
update public.services s
set synonyms = array(select distinct unnest(s.synonyms || extra.words))
from (values
  ('50000000-0000-4000-8000-000000000001'::uuid, '{pulizia,"pulizia dei denti","igiene dentale",nettoyage,"nettoyage dentaire"}'::text[]),
  ('50000000-0000-4000-8000-000000000002', '{otturazione,carie,Karies}'),
  ('50000000-0000-4000-8000-000000000003', '{impianto,"impianto dentale"}'),
  ('50000000-0000-4000-8000-000000000004', '{sbiancamento}'),
  ('50000000-0000-4000-8000-000000000005', '{massaggio}')
) as extra(id, words)
where s.id = extra.id and not (s.synonyms @> extra.words);
