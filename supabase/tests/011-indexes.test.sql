-- Index hygiene: every foreign key can be checked without scanning the referencing table (a
-- delete of the referenced row, the every-minute hold cleanup), and no table pays for two
-- indexes on the same columns.
begin;
select plan(2);

select is(array(
  select c.conrelid::regclass || '.' || a.attname
  from pg_constraint c
  join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
  where c.contype = 'f' and c.connamespace = 'public'::regnamespace
    and not exists (select 1 from pg_index i where i.indrelid = c.conrelid and i.indkey[0] = c.conkey[1])
  order by 1), array[
    -- Services are deactivated, not deleted (bookings restrict it); a rare admin delete may scan
    -- bookings rather than every booking paying for one more index.
    'bookings.service_id'], 'every foreign key in public has an index that starts with its column, or a reason here');

select is(array(
  select i.indrelid::regclass || ' (' || array_to_string(array_agg(i.indexrelid::regclass order by i.indexrelid::regclass::text), ', ') || ')'
  from pg_index i join pg_class t on t.oid = i.indrelid
  where t.relnamespace = 'public'::regnamespace
  group by i.indrelid, i.indkey::text, i.indexprs::text, i.indpred::text, i.indclass::text
  having count(*) > 1), '{}'::text[], 'no two indexes of a table cover the same columns the same way');

select * from finish();
rollback;
