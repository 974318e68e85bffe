-- After an appointment: confirmed bookings whose end has passed become completed (pg_cron, every
-- five minutes), unless an admin marked them no_show. Completion is what the feedback question
-- and the no-show metric read.

create or replace function private.complete_past_bookings(p_now timestamptz default now()) returns integer
language sql volatile security definer set search_path = ''
as $$
  with done as (
    update public.bookings set status = 'completed'
    where status = 'confirmed' and ends_at <= p_now
    returning 1
  )
  select count(*)::int from done
$$;
comment on function private.complete_past_bookings(timestamptz) is
  'pg_cron: marks confirmed bookings whose end is at or before p_now as completed. Returns how many.';
revoke all on function private.complete_past_bookings(timestamptz) from public, anon, authenticated;
grant execute on function private.complete_past_bookings(timestamptz) to service_role;

-- Public on purpose: admins mark no-shows in Studio. Allowed once the appointment has started
-- (the customer can still come before that), from confirmed or completed (the job may have run).
create or replace function public.admin_mark_no_show(p_booking_id uuid, p_now timestamptz default now()) returns void
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_booking public.bookings;
begin
  perform private.require_trusted_caller();
  select * into v_booking from public.bookings where id = p_booking_id for update;
  if v_booking.id is null then
    raise exception 'not_found: booking % does not exist', p_booking_id using errcode = 'BK003';
  end if;
  if v_booking.status not in ('confirmed', 'completed', 'no_show') then
    raise exception 'invalid_request: a % booking cannot be a no-show', v_booking.status using errcode = 'BK004';
  end if;
  if v_booking.starts_at > p_now then
    raise exception 'invalid_request: the appointment has not started yet (starts %)', v_booking.starts_at using errcode = 'BK004';
  end if;
  update public.bookings set status = 'no_show' where id = p_booking_id and status <> 'no_show';
end
$$;
comment on function public.admin_mark_no_show(uuid, timestamptz) is
  'Marks an appointment that has started as a no-show (the customer did not come); it is then never completed and gets no feedback question.';
revoke all on function public.admin_mark_no_show(uuid, timestamptz) from public, anon;
grant execute on function public.admin_mark_no_show(uuid, timestamptz) to authenticated, service_role;
