#!/usr/bin/env bash
# npm run db:reset — throws the dev database away and rebuilds it from migrations and seed.
source "$(dirname "$0")/lib.sh"
source "$LOCAL_DIR/db.sh"
use_stack dev
ensure_dependencies
stop_cluster
say "Removing $PGDATA"
rm -rf "$PGDATA"
database_up
say "Database rebuilt: $DB_URL"
