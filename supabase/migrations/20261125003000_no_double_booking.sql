-- Never double-book: a database guarantee, not only a re-check. Held and confirmed bookings of
-- one team member may not overlap, buffers included (blocked_during). Concurrent inserts of the
-- same slot serialise on this constraint: one wins, the other fails with exclusion_violation,
-- which the booking functions report as BK001 slot_unavailable.
--
-- Error codes raised by the booking functions (SQLSTATE, then the message starts with the name):
--   BK001 slot_unavailable        the slot is taken, outside availability, or no longer free
--   BK002 service_not_offered     the team member does not offer the service
--   BK003 not_found               unknown contact, service, team member or booking
--   BK004 invalid_request         bad time, mode, strategy, snapshot or state
--   BK005 hold_invalid            the hold is expired, not this customer's, or for another slot
--   BK006 team_member_unavailable the team member is inactive or not bookable
--   BK007 assignment_required     require_team_member_assignment is on and no team member was given
do $$
begin
  if not exists (select 1 from pg_constraint where conname = 'bookings_no_overlap') then
    alter table public.bookings add constraint bookings_no_overlap
      exclude using gist (team_member_id with =, blocked_during with &&)
      where (status in ('held', 'confirmed'));
  end if;
end
$$;
alter table public.bookings add column if not exists rescheduled_from_id uuid references public.bookings (id);
-- The foreign key's own index: deleting bookings (the every-minute hold cleanup) checks that no
-- booking was rescheduled from them, which is a scan of bookings without it.
create index if not exists bookings_rescheduled_from_idx on public.bookings (rescheduled_from_id)
  where rescheduled_from_id is not null;
comment on column public.bookings.rescheduled_from_id is 'The booking this one replaced when it was rescheduled.';
comment on constraint bookings_no_overlap on public.bookings is
  'No two held or confirmed bookings of a team member overlap, buffers included.';
