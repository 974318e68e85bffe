-- The guide's availability cache: one entry per team member, service and business-local date.
CREATE TABLE IF NOT EXISTS public.availability_cache (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    team_member_id UUID REFERENCES public.team_members(id) ON DELETE CASCADE,
    service_id UUID REFERENCES public.services(id) ON DELETE CASCADE,
    date DATE,
    time_slots JSONB, -- [{"start":"09:00","end":"10:00","available":true}, ...]
    last_synced TIMESTAMP WITH TIME ZONE,
    cache_version INTEGER
);

-- The guide's lookup index, unique: one entry per key, so a refresh replaces instead of piling up
-- (a second, plain index on the same columns would only cost writes).
CREATE UNIQUE INDEX IF NOT EXISTS idx_availability_cache_lookup ON public.availability_cache(team_member_id, service_id, date);

comment on table public.availability_cache is 'Free slots per team member, service and day, recomputed when older than the cache max age or invalidated.';
comment on column public.availability_cache.id is 'Cache entry id.';
comment on column public.availability_cache.team_member_id is 'Whose free slots the entry holds.';
comment on column public.availability_cache.service_id is 'The service the slots are for (its duration and buffers decide them).';
comment on column public.availability_cache.date is 'Business-local date.';
comment on column public.availability_cache.time_slots is 'Slots of the day in business-local time: [{"start":"09:00","end":"10:00","available":true,"at":<start, Unix seconds>,"minutes":60}, ...].';
comment on column public.availability_cache.last_synced is 'When the entry was computed; null means invalidated (must be recomputed).';
comment on column public.availability_cache.cache_version is 'The availability version the entry was computed from; current while it equals private.availability_version(member, service, date).';
-- Invalidation by service or by day (service changes, closures).
CREATE INDEX IF NOT EXISTS availability_cache_service_date_idx ON public.availability_cache(service_id, date);
CREATE INDEX IF NOT EXISTS availability_cache_date_idx ON public.availability_cache(date);
