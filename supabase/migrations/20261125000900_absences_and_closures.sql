-- Whole days off: a team member's absence (holiday, sick leave) or the whole business closed.
create table if not exists public.team_member_absences (
  id uuid primary key default gen_random_uuid(),
  team_member_id uuid not null references public.team_members (id) on delete cascade,
  starts_on date not null,
  ends_on date not null,
  reason text,
  created_at timestamptz not null default now(),
  constraint team_member_absences_ends_after_start check (ends_on >= starts_on)
);
create index if not exists team_member_absences_member_idx on public.team_member_absences (team_member_id, starts_on);

comment on table public.team_member_absences is 'Days a team member does not work (inclusive range, business-local dates).';
comment on column public.team_member_absences.id is 'Absence id.';
comment on column public.team_member_absences.team_member_id is 'The team member who is away.';
comment on column public.team_member_absences.reason is 'Optional note for admins (holiday, training, ...); never shown to customers.';
comment on column public.team_member_absences.created_at is 'When the absence was entered.';
comment on column public.team_member_absences.starts_on is 'First day of absence.';
comment on column public.team_member_absences.ends_on is 'Last day of absence (inclusive).';

create table if not exists public.business_closures (
  id uuid primary key default gen_random_uuid(),
  starts_on date not null,
  ends_on date not null,
  reason text,
  created_at timestamptz not null default now(),
  constraint business_closures_ends_after_start check (ends_on >= starts_on)
);

comment on table public.business_closures is 'Days the whole business is closed, e.g. public holidays (inclusive range, business-local dates).';
comment on column public.business_closures.id is 'Closure id.';
comment on column public.business_closures.starts_on is 'First closed day (business-local date).';
comment on column public.business_closures.ends_on is 'Last closed day (business-local date, inclusive).';
comment on column public.business_closures.reason is 'Optional note for admins, e.g. the holiday''s name.';
comment on column public.business_closures.created_at is 'When the closure was entered.';
