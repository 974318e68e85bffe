-- The documented shape of working hours, checked wherever they are stored:
--   {"mon": [{"start": "08:00", "end": "12:00"}, {"start": "13:00", "end": "17:00"}], "tue": [...], ...}
-- Keys are mon, tue, wed, thu, fri, sat, sun (a missing day is a day off); each interval is local
-- wall-clock time in the business's time zone, "HH:MM", start before end ("24:00" may end a day),
-- intervals in order and not overlapping; a lunch break is the gap between two intervals.

-- Returns what is wrong with a working-hours value, or null when it is valid.
create or replace function private.working_hours_problem(p_hours jsonb) returns text
language plpgsql immutable set search_path = ''
as $$
declare
  v_day text;
  v_intervals jsonb;
  v_interval jsonb;
  v_previous_end int;
  v_start int;
  v_end int;
  v_time_pattern constant text := '^([01][0-9]|2[0-3]):[0-5][0-9]$';
begin
  if p_hours is null then
    return null;
  end if;
  if jsonb_typeof(p_hours) <> 'object' then
    return 'working hours must be a JSON object keyed by day (mon..sun)';
  end if;
  for v_day, v_intervals in select key, value from jsonb_each(p_hours) loop
    if v_day not in ('mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun') then
      return format('unknown day "%s": use mon, tue, wed, thu, fri, sat, sun', v_day);
    end if;
    if jsonb_typeof(v_intervals) <> 'array' then
      return format('%s must be a list of {"start": "HH:MM", "end": "HH:MM"} intervals', v_day);
    end if;
    v_previous_end := -1;
    for v_interval in select value from jsonb_array_elements(v_intervals) loop
      if jsonb_typeof(v_interval) <> 'object' or not (v_interval ? 'start' and v_interval ? 'end')
         or (select count(*) from jsonb_object_keys(v_interval)) <> 2 then
        return format('%s: each interval must be {"start": "HH:MM", "end": "HH:MM"}, got %s', v_day, v_interval);
      end if;
      if jsonb_typeof(v_interval -> 'start') <> 'string' or (v_interval ->> 'start') !~ v_time_pattern then
        return format('%s: start "%s" is not a time HH:MM (00:00-23:59)', v_day, v_interval ->> 'start');
      end if;
      if jsonb_typeof(v_interval -> 'end') <> 'string'
         or ((v_interval ->> 'end') !~ v_time_pattern and (v_interval ->> 'end') <> '24:00') then
        return format('%s: end "%s" is not a time HH:MM (00:01-24:00)', v_day, v_interval ->> 'end');
      end if;
      v_start := split_part(v_interval ->> 'start', ':', 1)::int * 60 + split_part(v_interval ->> 'start', ':', 2)::int;
      v_end := split_part(v_interval ->> 'end', ':', 1)::int * 60 + split_part(v_interval ->> 'end', ':', 2)::int;
      if v_end <= v_start then
        return format('%s: interval %s-%s ends before it starts', v_day, v_interval ->> 'start', v_interval ->> 'end');
      end if;
      if v_start < v_previous_end then
        return format('%s: intervals must be in order and must not overlap (at %s)', v_day, v_interval ->> 'start');
      end if;
      v_previous_end := v_end;
    end loop;
  end loop;
  return null;
end
$$;

-- For CHECK constraints: true, or an error that says exactly what is wrong.
-- Security definer: a CHECK constraint runs it as the API user writing the row, who may not
-- name other private functions.
create or replace function private.assert_valid_working_hours(p_hours jsonb) returns boolean
language plpgsql immutable security definer set search_path = ''
as $$
declare
  v_problem text := private.working_hours_problem(p_hours);
begin
  if v_problem is not null then
    raise exception 'invalid working_hours: %', v_problem
      using errcode = 'check_violation',
            hint = 'Expected {"mon": [{"start": "08:00", "end": "12:00"}, {"start": "13:00", "end": "17:00"}], ...}';
  end if;
  return true;
end
$$;
revoke all on function private.working_hours_problem(jsonb), private.assert_valid_working_hours(jsonb) from public, anon;
grant execute on function private.working_hours_problem(jsonb), private.assert_valid_working_hours(jsonb)
  to authenticated, service_role;
