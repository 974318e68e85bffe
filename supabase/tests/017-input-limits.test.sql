-- Sizes of what callers and admins type (issue #14, item 4) and deleting several preferred team
-- members at once (item 5).
begin;
select plan(10);

create temporary table ids as select
  '70000000-0000-4000-8000-000000000001'::uuid as weber, '50000000-0000-4000-8000-000000000001'::uuid as cleaning,
  'c0000000-0000-4000-8000-000000000001'::uuid as marie, '2026-11-29 12:00+01'::timestamptz as now,
  repeat('x', 5 * 1024 * 1024) as five_mb;

select throws_ok($$select book_appointment(marie, cleaning, weber, '2026-12-02 09:00+01', 'auto',
                   jsonb_build_object('customer_statement', five_mb), p_now => now) from ids$$,
  'BK004', null, 'a 5 MB customer statement is refused (BK004)');
select throws_ok($$select book_appointment(marie, cleaning, weber, '2026-12-02 09:00+01', 'auto',
                   jsonb_build_object('alternatives_offered', (select jsonb_agg(g) from generate_series(1, 5000) g)), p_now => now) from ids$$,
  'BK004', null, 'an oversized preference snapshot is refused (BK004)');
select is((select count(*)::int from bookings where contact_id = (select marie from ids)), 0, 'and nothing was booked');
select lives_ok($$select book_appointment(marie, cleaning, weber, '2026-12-02 09:00+01', 'auto',
                  '{"customer_statement": "Ich möchte zu Dr. Weber, bitte 🙂"}', p_now => now) from ids$$,
  'a normal customer statement is booked');
select throws_ok($$update contacts set name = (select five_mb from ids) where id = (select marie from ids)$$,
  '23514', null, 'a 5 MB contact name is refused');
select throws_ok($$update services set description = (select five_mb from ids) where id = (select cleaning from ids)$$,
  '23514', null, 'a 5 MB service description is refused');
select throws_ok($$update team_member_services set notes = (select five_mb from ids) where team_member_id = (select weber from ids)$$,
  '23514', null, 'a 5 MB note on a team member''s service is refused');
select throws_ok($$update team_members set bio = (select five_mb from ids) where id = (select weber from ids)$$,
  '23514', null, 'a 5 MB team member bio is refused');

-- Item 5: one statement deletes two team members that one contact prefers.
insert into team_members (id, name) values
  ('71700000-0000-4000-8000-000000000001', 'Leaving One'), ('71700000-0000-4000-8000-000000000002', 'Leaving Two');
update contacts set preferred_team_member_ids =
  array['71700000-0000-4000-8000-000000000001', '70000000-0000-4000-8000-000000000001', '71700000-0000-4000-8000-000000000002']::uuid[]
where id = 'c0000000-0000-4000-8000-000000000001';
select lives_ok($$delete from team_members where name in ('Leaving One', 'Leaving Two')$$,
  'two team members a contact prefers are deleted in one statement');
select results_eq($$select preferred_team_member_ids, preferred_staff_member::text from contacts where id = 'c0000000-0000-4000-8000-000000000001'$$,
  $$values (array['70000000-0000-4000-8000-000000000001']::uuid[], 'Dr. Sarah Weber')$$,
  'the contact keeps the remaining preference, which becomes the legacy preferred member');

select * from finish();
rollback;
