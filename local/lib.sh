# Shared helpers for the Docker-free local stack. Sourced, never run directly.
# One cluster per purpose: "dev" (npm start, port 54322) and "test" (npm test, port 54332),
# so a test run never touches the data of a running `npm start`.
set -euo pipefail

PROJECT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL_DIR="$PROJECT_DIR/local"
STATE_DIR="$PROJECT_DIR/.local"
PG_BIN="/usr/lib/postgresql/15/bin"
BIN="$PROJECT_DIR/node_modules/.bin"
APT_PACKAGES=(postgresql-15 postgresql-contrib postgresql-15-cron postgresql-15-pgtap
  postgresql-15-plpgsql-check libtap-parser-sourcehandler-pgtap-perl radicale chromium python3-icalendar)
# Supabase's well-known local JWT secret: the local gateway and local keys use it.
LOCAL_JWT_SECRET="super-secret-jwt-token-with-at-least-32-characters-long"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Which stack a script works on: dev (default) or test. Sets ports and folders.
use_stack() {
  STACK="$1"
  # LOCAL_PORT_SHIFT moves a stack's ports aside, so several checkouts can run at once.
  local shift_by="${LOCAL_PORT_SHIFT:-0}"
  case "$STACK" in
    dev) DB_PORT=54322; API_PORT=54321; FEED_PORT=54325; CALDAV_PORT=54326; SIM_PORT=54323 ;;
    test) DB_PORT=54332; API_PORT=54331; FEED_PORT=54335; CALDAV_PORT=54336; SIM_PORT=54333 ;;
    *) echo "unknown stack $STACK" >&2; exit 2 ;;
  esac
  DB_PORT=$((DB_PORT + shift_by)); API_PORT=$((API_PORT + shift_by))
  FEED_PORT=$((FEED_PORT + shift_by)); CALDAV_PORT=$((CALDAV_PORT + shift_by))
  # Where a Deno test serves a calendar of its own that the functions (through the gateway) must
  # be allowed to read, like the stack's feed server (test stack only).
  TEST_FEED_PORT=$((54340 + shift_by))
  # postgres-meta (the API Studio reads the schema through) for the Studio test; its admin app
  # takes the next port.
  # Fake Google/Microsoft APIs (local/fakes) the Google and Outlook calendar code talks to.
  if [ "$STACK" = dev ]; then CALENDAR_API_FAKE_PORT=54320; else CALENDAR_API_FAKE_PORT=54330; fi
  CALENDAR_API_FAKE_PORT=$((CALENDAR_API_FAKE_PORT + shift_by))
  CALENDAR_API_FAKE_URL="http://127.0.0.1:$CALENDAR_API_FAKE_PORT"
  export CALENDAR_API_FAKE_PORT CALENDAR_API_FAKE_URL
  if [ "$STACK" = dev ]; then PG_META_PORT=54328; else PG_META_PORT=54338; fi
  PG_META_PORT=$((PG_META_PORT + shift_by))
  export PG_META_PORT
  # Local SMTP server that keeps what it receives (alert mails) and its HTTP mailbox.
  if [ "$STACK" = dev ]; then SMTP_PORT=54327; MAILBOX_PORT=54324; else SMTP_PORT=54337; MAILBOX_PORT=54334; fi
  SMTP_PORT=$((SMTP_PORT + shift_by)); MAILBOX_PORT=$((MAILBOX_PORT + shift_by))
  MAILBOX_URL="http://127.0.0.1:$MAILBOX_PORT"
  export SMTP_PORT MAILBOX_PORT MAILBOX_URL
  SIM_PORT=$((SIM_PORT + shift_by)) # WhatsApp chat simulator (local/simulator)
  STACK_DIR="$(stack_root)/$STACK"
  PGDATA="$STACK_DIR/pgdata"
  PGSOCK="$STACK_DIR/run"
  DB_URL="postgresql://postgres:postgres@127.0.0.1:$DB_PORT/postgres"
  API_URL="http://127.0.0.1:$API_PORT"
  ENV_FILE="$STACK_DIR/functions.env"
  # The dev stack uses the file a developer edits; the test stack its own generated copy.
  if [ "$STACK" = dev ]; then ENV_FILE="$PROJECT_DIR/supabase/functions/.env"; fi
  CALDAV_URL="http://127.0.0.1:$CALDAV_PORT"
  export STACK DB_PORT API_PORT FEED_PORT TEST_FEED_PORT CALDAV_PORT SIM_PORT CALDAV_URL STACK_DIR PGDATA PGSOCK DB_URL API_URL ENV_FILE
}

# The cluster lives in the git-ignored .local folder, unless the `postgres` OS user cannot reach
# the project (a clone under /root, say): then in a folder of /var/tmp it can reach.
stack_root() {
  if [ "$(id -u)" = 0 ] && ! su postgres -s /bin/sh -c "test -x '$PROJECT_DIR'" 2>/dev/null; then
    echo "/var/tmp/staff-aware-booking-$(printf '%s' "$PROJECT_DIR" | md5sum | cut -c1-8)"
  else
    echo "$STATE_DIR"
  fi
}

# Runs a command as the database's OS user: `postgres` when we are root, else ourselves.
as_db_user() {
  if [ "$(id -u)" = 0 ]; then
    su postgres -s /bin/bash -c "$(printf '%q ' "$@")"
  else
    "$@"
  fi
}

ensure_apt_packages() {
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "Installing Debian packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # Debian's package creates a default cluster on 5432 we do not use; stop it so it costs nothing.
  $sudo pg_ctlcluster 15 main stop 2>/dev/null || true
}

ensure_npm_packages() {
  if [ ! -x "$BIN/supabase" ] || [ ! -x "$BIN/deno" ] || [ "$PROJECT_DIR/package-lock.json" -nt "$PROJECT_DIR/node_modules/.package-lock.json" ]; then
    say "Installing npm packages (Supabase CLI, Deno)"
    (cd "$PROJECT_DIR" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

ensure_dependencies() {
  ensure_apt_packages
  ensure_npm_packages
}

deno() { "$BIN/deno" "$@"; }
supabase_cli() { (cd "$PROJECT_DIR" && "$BIN/supabase" "$@"); }

psql_stack() {
  PGOPTIONS="-c client_min_messages=warning" \
  PGPASSWORD=postgres psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$DB_PORT" -U postgres -d postgres "$@"
}
