-- Local-only parity: pg_net's SQL interface. Requests are queued here; local/net_worker.ts sends
-- them and records responses, as pg_net's background worker does.
create schema if not exists net;
comment on schema net is 'local parity: pg_net (asynchronous HTTP)';

do $$
begin
  if not exists (select 1 from pg_type t join pg_namespace n on n.oid = t.typnamespace
                 where n.nspname = 'net' and t.typname = 'http_method') then
    create type net.http_method as enum ('GET', 'POST', 'DELETE');
  end if;
end
$$;

create unlogged table if not exists net.http_request_queue (
  id bigserial primary key,
  method net.http_method not null,
  url text not null,
  headers jsonb not null,
  body bytea,
  timeout_milliseconds integer not null
);

create unlogged table if not exists net._http_response (
  id bigint,
  status_code integer,
  content_type text,
  headers jsonb,
  content text,
  timed_out boolean,
  error_msg text,
  created timestamptz not null default now()
);
create index if not exists _http_response_created_idx on net._http_response (created);

-- Wakes the worker at once instead of waiting for its next poll.
create or replace function net._notify_worker() returns trigger
language plpgsql as $$
begin
  perform pg_notify('net_http_request_queue', new.id::text);
  return new;
end
$$;
drop trigger if exists notify_worker on net.http_request_queue;
create trigger notify_worker after insert on net.http_request_queue
  for each row execute function net._notify_worker();

create or replace function net._url_with_params(url text, params jsonb) returns text
language sql immutable as $$
  select case when params is null or params = '{}'::jsonb then url
    else url || case when position('?' in url) > 0 then '&' else '?' end ||
      (select string_agg(key || '=' || value, '&') from jsonb_each_text(params))
  end
$$;

create or replace function net.http_get(
  url text, params jsonb default '{}'::jsonb, headers jsonb default '{}'::jsonb,
  timeout_milliseconds integer default 5000
) returns bigint
language sql volatile security definer set search_path = net, pg_catalog
as $$
  insert into net.http_request_queue (method, url, headers, timeout_milliseconds)
  values ('GET', net._url_with_params(url, params), headers, timeout_milliseconds)
  returning id
$$;

create or replace function net.http_post(
  url text, body jsonb default '{}'::jsonb, params jsonb default '{}'::jsonb,
  headers jsonb default '{"Content-Type": "application/json"}'::jsonb,
  timeout_milliseconds integer default 5000
) returns bigint
language sql volatile security definer set search_path = net, pg_catalog
as $$
  insert into net.http_request_queue (method, url, headers, body, timeout_milliseconds)
  values ('POST', net._url_with_params(url, params), headers, convert_to(body::text, 'UTF8'), timeout_milliseconds)
  returning id
$$;

create or replace function net.http_delete(
  url text, params jsonb default '{}'::jsonb, headers jsonb default '{}'::jsonb,
  timeout_milliseconds integer default 5000
) returns bigint
language sql volatile security definer set search_path = net, pg_catalog
as $$
  insert into net.http_request_queue (method, url, headers, timeout_milliseconds)
  values ('DELETE', net._url_with_params(url, params), headers, timeout_milliseconds)
  returning id
$$;

grant usage on schema net to postgres, service_role;
grant execute on function net.http_get(text, jsonb, jsonb, integer),
  net.http_post(text, jsonb, jsonb, jsonb, integer),
  net.http_delete(text, jsonb, jsonb, integer) to service_role;
grant select on net._http_response to service_role;
