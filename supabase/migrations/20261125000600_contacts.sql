-- CRM contacts (WhatsApp customers) with their preferred team members.
create table if not exists public.contacts (
  id uuid primary key default gen_random_uuid(),
  whatsapp_id text not null unique check (whatsapp_id ~ '^\+[1-9][0-9]{6,14}$'),
  name text,
  language text not null default 'de' check (language ~ '^[a-z]{2}(-[A-Z]{2})?$'),
  preferred_staff_member varchar(200),
  preferred_team_member_ids uuid[] not null default '{}',
  preference_metadata jsonb not null default '{}'::jsonb check (jsonb_typeof(preference_metadata) = 'object'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index if not exists contacts_preferred_team_member_ids_idx on public.contacts using gin (preferred_team_member_ids);

comment on table public.contacts is 'WhatsApp customers.';
comment on column public.contacts.id is 'Contact id.';
comment on column public.contacts.name is 'The customer''s name, from their WhatsApp profile or as they gave it; null until known.';
comment on column public.contacts.created_at is 'When the customer first wrote.';
comment on column public.contacts.updated_at is 'When the contact was last changed (set by the database).';
comment on column public.contacts.whatsapp_id is 'WhatsApp number in E.164 form, e.g. +41791234567.';
comment on column public.contacts.language is 'Language to answer in (ISO 639-1, e.g. de, en, fr).';
comment on column public.contacts.preferred_staff_member is
  'DEPRECATED legacy field: the name of the first preferred team member, kept in step with preferred_team_member_ids.';
comment on column public.contacts.preferred_team_member_ids is 'Preferred team members, most preferred first. Every id must be a team member.';
comment on column public.contacts.preference_metadata is
  'How the preferences came about: {"detected_from": "conversation_history" | "explicit_request" | "booking_history" | "admin", "last_updated": "...", "ranking": [...]}.';

drop trigger if exists contacts_updated_at on public.contacts;
create trigger contacts_updated_at before update on public.contacts
  for each row execute function private.set_updated_at();

-- Keeps the array valid (no unknown or repeated ids) and the legacy name in step with it.
-- Old code that still writes only the legacy name puts that team member first in the array.
create or replace function private.contacts_sync_preferences() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  v_unknown uuid;
  v_legacy_id uuid;
begin
  new.preferred_team_member_ids := coalesce(new.preferred_team_member_ids, '{}');
  if tg_op = 'UPDATE'
     and new.preferred_staff_member is distinct from old.preferred_staff_member
     and new.preferred_team_member_ids is not distinct from old.preferred_team_member_ids
     and new.preferred_staff_member is not null then
    select id into v_legacy_id from public.team_members where name = new.preferred_staff_member;
    if v_legacy_id is null then
      raise exception 'preferred_staff_member "%" is not the name of a team member', new.preferred_staff_member
        using errcode = 'foreign_key_violation';
    end if;
    new.preferred_team_member_ids := v_legacy_id || array_remove(new.preferred_team_member_ids, v_legacy_id);
  end if;

  if cardinality(new.preferred_team_member_ids) <> (select count(distinct x) from unnest(new.preferred_team_member_ids) x) then
    raise exception 'preferred_team_member_ids lists a team member more than once'
      using errcode = 'check_violation';
  end if;
  select x into v_unknown from unnest(new.preferred_team_member_ids) x
  where x is null or not exists (select 1 from public.team_members t where t.id = x) limit 1;
  if found then
    raise exception 'preferred_team_member_ids contains %, which is not a team member', coalesce(v_unknown::text, 'null')
      using errcode = 'foreign_key_violation';
  end if;

  new.preferred_staff_member := (select t.name from public.team_members t where t.id = new.preferred_team_member_ids[1]);
  -- metadata.ranking always mirrors the array's order, whoever edited it.
  if cardinality(new.preferred_team_member_ids) > 0 or new.preference_metadata ? 'ranking' then
    new.preference_metadata := coalesce(new.preference_metadata, '{}'::jsonb)
      || jsonb_build_object('ranking', to_jsonb(new.preferred_team_member_ids));
  end if;
  return new;
end
$$;

drop trigger if exists contacts_sync_preferences on public.contacts;
create trigger contacts_sync_preferences before insert or update on public.contacts
  for each row execute function private.contacts_sync_preferences();

-- A renamed team member stays the legacy preference by their new name; a deleted one (allowed only
-- without bookings) leaves every preference list.
create or replace function private.team_members_update_contact_preferences() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  if tg_op = 'DELETE' then
    -- Also drops any other preferred member that no longer exists: when one statement deletes
    -- several team members, this runs after all of them are gone, and the contacts trigger
    -- refuses an array that names a missing team member.
    update public.contacts c
    set preferred_team_member_ids = array(
      select x from unnest(c.preferred_team_member_ids) with ordinality p(x, rank)
      where x <> old.id and exists (select 1 from public.team_members t where t.id = x)
      order by p.rank)
    -- "@>" (not "= any") so the GIN index on preferred_team_member_ids finds the contacts.
    where c.preferred_team_member_ids @> array[old.id];
    return old;
  end if;
  update public.contacts set preferred_staff_member = new.name
  where preferred_team_member_ids @> array[new.id] and preferred_team_member_ids[1] = new.id;
  return new;
end
$$;

drop trigger if exists team_members_update_contact_preferences on public.team_members;
create trigger team_members_update_contact_preferences
  after delete or update of name on public.team_members
  for each row execute function private.team_members_update_contact_preferences();
