-- What customers book: duration, price, buffers, notice, and the words customers use for it.
create table if not exists public.services (
  id uuid primary key default gen_random_uuid(),
  name text not null unique check (length(trim(name)) > 0),
  description text,
  duration_minutes integer not null check (duration_minutes between 5 and 720),
  cost_chf numeric(10, 2) check (cost_chf >= 0),
  buffer_before_minutes integer not null default 0 check (buffer_before_minutes between 0 and 240),
  buffer_after_minutes integer not null default 0 check (buffer_after_minutes between 0 and 240),
  min_notice_minutes integer not null default 60 check (min_notice_minutes between 0 and 43200),
  synonyms text[] not null default '{}',
  is_active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

comment on table public.services is 'Services customers can book over WhatsApp.';
comment on column public.services.id is 'Service id.';
comment on column public.services.description is 'Optional longer description for admins and for answering customers'' questions.';
comment on column public.services.created_at is 'When the service was added.';
comment on column public.services.updated_at is 'When the service was last changed (set by the database).';
comment on column public.services.name is 'Unique name shown to customers, e.g. "Dental Cleaning".';
comment on column public.services.duration_minutes is 'Standard length; a team member may override it in team_member_services.';
comment on column public.services.cost_chf is 'Standard price in CHF; a team member may override it.';
comment on column public.services.buffer_before_minutes is 'Free time the team member needs before the appointment (preparation).';
comment on column public.services.buffer_after_minutes is 'Free time the team member needs after the appointment (cleanup).';
comment on column public.services.min_notice_minutes is 'How long in advance this service must be booked.';
comment on column public.services.synonyms is 'Words customers use for this service, in any language ("Zahnreinigung", "cleaning").';
comment on column public.services.is_active is 'Inactive services are not offered to customers.';

drop trigger if exists services_updated_at on public.services;
create trigger services_updated_at before update on public.services
  for each row execute function private.set_updated_at();
