# Database lifecycle for the local stack: a private PostgreSQL 15 cluster with pg_cron, pgTAP and
# plpgsql_check, the Supabase parity layer, then migrations and seed through the real CLI.
# Sourced after lib.sh and use_stack.

cluster_running() {
  [ -f "$PGDATA/PG_VERSION" ] && as_db_user "$PG_BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1
}

init_cluster() {
  say "Creating a PostgreSQL 15 cluster in $PGDATA"
  mkdir -p "$STACK_DIR" "$PGSOCK"
  local pwfile="$STACK_DIR/.pw"
  printf 'postgres\n' >"$pwfile"
  if [ "$(id -u)" = 0 ]; then chown -R postgres:postgres "$STACK_DIR"; fi
  as_db_user "$PG_BIN/initdb" -D "$PGDATA" -U postgres --pwfile="$pwfile" -A scram-sha-256 \
    --auth-local=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  rm -f "$pwfile"
  cat >>"$PGDATA/postgresql.conf" <<EOF
# --- local stack (local/db.sh) ---
listen_addresses = '127.0.0.1'
port = $DB_PORT
unix_socket_directories = '$PGSOCK'
max_connections = 200
shared_preload_libraries = 'pg_cron'
cron.database_name = 'postgres'
# Jobs run in background workers: pg_cron's default (a libpq connection to localhost) would need
# a password here, and hosted Supabase runs the jobs either way.
cron.use_background_workers = on
max_worker_processes = 32
timezone = 'UTC'
log_timezone = 'UTC'
EOF
  if [ "$STACK" = test ]; then
    # Throw-away data: durability buys nothing and costs seconds per test run.
    printf 'fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n' >>"$PGDATA/postgresql.conf"
  fi
  # The local Vault's root key lives beside the data, never in a table (pgsodium keeps its key the
  # same way). Only the `postgres` OS user can read it.
  head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$PGDATA/vault_root.key"
  chmod 600 "$PGDATA/vault_root.key"
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$PGDATA/vault_root.key"; fi
}

start_cluster() {
  [ -f "$PGDATA/PG_VERSION" ] || init_cluster
  # Clusters made before background workers were configured get the setting once.
  if ! grep -q '^cron.use_background_workers' "$PGDATA/postgresql.conf"; then
    printf 'cron.use_background_workers = on\nmax_worker_processes = 32\n' >>"$PGDATA/postgresql.conf"
    if cluster_running; then as_db_user "$PG_BIN/pg_ctl" -D "$PGDATA" -m fast -w restart -l "$STACK_DIR/postgres.log" >/dev/null; fi
  fi
  if cluster_running; then
    say "PostgreSQL ($STACK) already running on 127.0.0.1:$DB_PORT"
    return 0
  fi
  say "Starting PostgreSQL ($STACK) on 127.0.0.1:$DB_PORT"
  mkdir -p "$PGSOCK"
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$PGSOCK" "$STACK_DIR"; fi
  as_db_user "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$STACK_DIR/postgres.log" -w -t 60 start >/dev/null ||
    { tail -20 "$STACK_DIR/postgres.log" >&2; exit 1; }
}

stop_cluster() {
  if cluster_running; then
    say "Stopping PostgreSQL ($STACK)"
    as_db_user "$PG_BIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null
  fi
}

# The platform pieces hosted Supabase provides (roles, auth, vault, pg_net): local only.
apply_parity() {
  say "Applying the Supabase parity layer (roles, auth, vault, net)"
  local f
  for f in "$LOCAL_DIR"/parity/*.sql; do
    psql_stack -f "$f" >/dev/null
  done
}

push_migrations() {
  say "Applying migrations and seed with the Supabase CLI (supabase db push --include-seed)"
  supabase_cli db push --db-url "$DB_URL?sslmode=disable" --include-seed --yes 2>&1 | sed 's/^/    /' >&2
}

# Test and benchmark stacks keep pg_cron's jobs scheduled but inactive: tests call the job
# functions themselves, at fixed times, instead of racing a clock (a job firing mid-run would sync
# the seed's demo calendars and change what the tests see).
pause_cron_jobs() {
  psql_stack -c "update cron.job set active = false" >/dev/null
  # A job that fired between the push and the pause queued a call (a calendar sync, say) that the
  # pg_net worker would send once it starts, changing what the tests see: drop it unsent.
  psql_stack -c "delete from net.http_request_queue" >/dev/null
}

# Starts (or reuses) the database of a stack with everything applied.
database_up() {
  start_cluster
  apply_parity
  push_migrations
}
