#!/usr/bin/env bash
# npm run db:start — start (or reuse) the dev database with parity layer, migrations and seed.
source "$(dirname "$0")/lib.sh"
source "$LOCAL_DIR/db.sh"
use_stack "${1:-dev}"
ensure_dependencies
database_up
say "Database ready: $DB_URL"
