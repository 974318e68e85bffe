-- Local-only parity: Supabase Vault. Secrets are encrypted at rest with pgcrypto; the root key is
-- a file in the cluster's data folder (as pgsodium's is), never a table row.
create schema if not exists vault;
comment on schema vault is 'local parity: Supabase Vault (encrypted secrets)';

create table if not exists vault.secrets (
  id uuid primary key default gen_random_uuid(),
  name text,
  description text not null default '',
  secret text not null,
  key_id uuid,
  nonce bytea default extensions.gen_random_bytes(16),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index if not exists secrets_name_idx on vault.secrets (name) where name is not null;
comment on column vault.secrets.secret is 'Ciphertext (pgcrypto, base64); the plain text is only in vault.decrypted_secrets';

-- Reads the root key file; security definer so that no caller needs file-read rights.
create or replace function vault._root_key() returns text
language sql stable security definer set search_path = ''
as $$ select trim(pg_catalog.pg_read_file('vault_root.key')) $$;
revoke all on function vault._root_key() from public;

create or replace function vault._encrypt(plain text, nonce bytea) returns text
language sql stable security definer set search_path = ''
as $$
  select pg_catalog.encode(extensions.pgp_sym_encrypt(plain, vault._root_key() || pg_catalog.encode(nonce, 'hex')), 'base64')
$$;
revoke all on function vault._encrypt(text, bytea) from public;

create or replace function vault._decrypt(cipher text, nonce bytea) returns text
language sql stable security definer set search_path = ''
as $$
  select extensions.pgp_sym_decrypt(pg_catalog.decode(cipher, 'base64'), vault._root_key() || pg_catalog.encode(nonce, 'hex'))
$$;
revoke all on function vault._decrypt(text, bytea) from public;

create or replace view vault.decrypted_secrets as
  select s.id, s.name, s.description, s.secret,
         vault._decrypt(s.secret, s.nonce) as decrypted_secret,
         s.key_id, s.nonce, s.created_at, s.updated_at
  from vault.secrets s;

create or replace function vault.create_secret(
  new_secret text, new_name text default null, new_description text default '', new_key_id uuid default null
) returns uuid
language plpgsql security definer set search_path = ''
as $$
declare
  v_nonce bytea := extensions.gen_random_bytes(16);
  v_id uuid;
begin
  insert into vault.secrets (name, description, secret, key_id, nonce)
  values (new_name, coalesce(new_description, ''), vault._encrypt(new_secret, v_nonce), new_key_id, v_nonce)
  returning id into v_id;
  return v_id;
end
$$;

create or replace function vault.update_secret(
  secret_id uuid, new_secret text default null, new_name text default null,
  new_description text default null, new_key_id uuid default null
) returns void
language plpgsql security definer set search_path = ''
as $$
declare
  v_nonce bytea := extensions.gen_random_bytes(16);
begin
  update vault.secrets s set
    secret = case when new_secret is null then s.secret else vault._encrypt(new_secret, v_nonce) end,
    nonce = case when new_secret is null then s.nonce else v_nonce end,
    name = coalesce(new_name, s.name),
    description = coalesce(new_description, s.description),
    key_id = coalesce(new_key_id, s.key_id),
    updated_at = now()
  where s.id = secret_id;
end
$$;

-- As on hosted Supabase: the vault belongs to `postgres`; API roles get nothing by default.
revoke all on schema vault from public;
revoke all on all tables in schema vault from public, anon, authenticated;
revoke all on function vault.create_secret(text, text, text, uuid) from public, anon, authenticated;
revoke all on function vault.update_secret(uuid, text, text, text, uuid) from public, anon, authenticated;
