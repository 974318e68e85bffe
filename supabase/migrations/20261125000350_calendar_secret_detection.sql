-- The guide's rule: never store raw calendar secrets in the database. calendar_source_url may
-- only hold addresses that are safe to show; anything that looks like a secret is refused with
-- a message that says where secrets go. The message never repeats the value.

-- Why a calendar address carries a secret, or null when it looks safe.
create or replace function private.calendar_url_secret_reason(p_url text) returns text
language sql immutable set search_path = ''
as $$
  select case
    when p_url is null then null
    when p_url ~* '^[a-z][a-z0-9+.-]*://[^/?#]*@' then 'it contains a user name or password'
    when p_url ~* '[?&;](access_token|token|auth|authkey|auth_key|key|apikey|api_key|secret|password|passwd|pass|pwd|sig|signature|code|credential|credentials|session|sessionid|private)=' then
      'its query string contains a token, key or password'
    when p_url ~* '/private-[0-9a-f]{8,}/' then 'it is a private iCal address (Google "secret address")'
    when p_url ~* '/owa/calendar/[^/]+/[^/]+/' then 'it is a published Outlook calendar address (contains a token)'
    when p_url ~* 'icloud\.com/published/' then 'it is a published iCloud calendar address (contains a token)'
    when p_url ~* '/public-calendars/[^/]+' then 'it is a shared Nextcloud calendar link (contains a token)'
    when p_url ~* '/(private|secret|export)/[A-Za-z0-9_-]{20,}' then 'it contains an access token in its path'
    else null
  end
$$;

-- Security definer: a CHECK constraint runs it as the API user writing the row, who may not
-- name other private functions.
create or replace function private.assert_calendar_url_has_no_secret(p_url text) returns boolean
language plpgsql immutable security definer set search_path = ''
as $$
declare
  v_reason text := private.calendar_url_secret_reason(p_url);
begin
  if v_reason is not null then
    raise exception 'calendar_source_url refused: % - store secrets with admin_set_calendar_secret()', v_reason
      using errcode = 'check_violation',
            hint = 'Store the secret address or credentials with select admin_set_calendar_secret(<team member id>, <secret>); calendar_source_url keeps only a non-secret address.';
  end if;
  return true;
end
$$;
revoke all on function private.calendar_url_secret_reason(text), private.assert_calendar_url_has_no_secret(text) from public, anon;
grant execute on function private.calendar_url_secret_reason(text), private.assert_calendar_url_has_no_secret(text)
  to authenticated, service_role;
