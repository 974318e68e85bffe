-- Which team member offers which service, with priority and personal overrides.
create table if not exists public.team_member_services (
  id uuid primary key default gen_random_uuid(),
  team_member_id uuid not null references public.team_members (id) on delete cascade,
  service_id uuid not null references public.services (id) on delete cascade,
  is_primary boolean not null default false,
  priority_order integer not null default 1 check (priority_order between 1 and 100),
  custom_duration_minutes integer check (custom_duration_minutes between 5 and 720),
  custom_cost_chf numeric(10, 2) check (custom_cost_chf >= 0),
  notes text,
  created_at timestamptz not null default now(),
  unique (team_member_id, service_id)
);
create index if not exists team_member_services_service_idx on public.team_member_services (service_id);

comment on table public.team_member_services is 'Which team member offers which service (one row per pair).';
comment on column public.team_member_services.id is 'Link id.';
comment on column public.team_member_services.team_member_id is 'The team member who offers the service.';
comment on column public.team_member_services.service_id is 'The service they offer.';
comment on column public.team_member_services.created_at is 'When the link was added.';
comment on column public.team_member_services.is_primary is 'Primary provider for this service (scores +50).';
comment on column public.team_member_services.priority_order is 'Order among providers of this service (1 first); breaks score ties.';
comment on column public.team_member_services.custom_duration_minutes is 'This team member''s own duration for the service, overriding the standard.';
comment on column public.team_member_services.custom_cost_chf is 'This team member''s own price, overriding the standard.';
comment on column public.team_member_services.notes is 'Special approach notes.';
