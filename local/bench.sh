#!/usr/bin/env bash
# npm run bench — builds a throw-away stack (the test one) and runs every bench/*.bench.ts,
# each of which prints its own figures. Nothing here asserts a timing.
source "$(dirname "$0")/lib.sh"
source "$LOCAL_DIR/db.sh"
source "$LOCAL_DIR/services.sh"
use_stack test
ensure_dependencies
trap 'stop_services; stop_cluster' EXIT
stop_services
stop_cluster
rm -rf "$STACK_DIR"
database_up
pause_cron_jobs
start_services
cd "$PROJECT_DIR"
for bench in bench/*.bench.ts; do
  say "$bench"
  (
    set -a
    source "$ENV_FILE"
    set +a
    "$BIN/deno" run -A --config deno.json "$bench"
  )
done
