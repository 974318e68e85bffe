#!/usr/bin/env bash
# npm test — every check and test, from nothing, on a throw-away test stack (its own cluster on
# 54332 and gateway on 54331), so it can run while `npm start` is up. Ends with
# "N passed, N failed, N skipped".
source "$(dirname "$0")/lib.sh"
source "$LOCAL_DIR/db.sh"
source "$LOCAL_DIR/services.sh"
source "$LOCAL_DIR/types.sh"
use_stack test
ensure_dependencies

RESULTS="$(stack_root)/test-results"
rm -rf "$RESULTS" && mkdir -p "$RESULTS"
PASSED=0
FAILED=0
SKIPPED=0

cleanup() {
  stop_services
  stop_cluster
}
trap cleanup EXIT

# Counts TAP lines of one step; a step that failed without a failing line counts one failure.
# An "ok ... # SKIP" line checked nothing: it counts as skipped, not passed.
record() { # name, tap file, exit code
  local ok notok skipped
  skipped=$(grep -ciE '^\s*ok [0-9]+.*# ?skip' "$2" || true)
  ok=$(($(grep -cE '^\s*ok [0-9]+' "$2" || true) - skipped))
  notok=$(grep -cE '^\s*not ok [0-9]+' "$2" || true)
  if [ "$3" -ne 0 ] && [ "$notok" -eq 0 ]; then notok=1; fi
  PASSED=$((PASSED + ok))
  FAILED=$((FAILED + notok))
  SKIPPED=$((SKIPPED + skipped))
  printf '    %-28s %4d passed, %d failed, %d skipped\n' "$1" "$ok" "$notok" "$skipped" >&2
  if [ "$notok" -gt 0 ]; then
    grep -E '^\s*not ok|^#' "$2" | head -40 | sed 's/^/      /' >&2 || true
    if [ "$3" -ne 0 ]; then tail -30 "$2" | sed 's/^/      | /' >&2; fi
  fi
  return 0
}

# A check that passes or fails as a whole (type check, lint, format) is one TAP line.
check() { # name, command...
  local name="$1"; shift
  local out="$RESULTS/${name// /_}.log" rc=0
  "$@" >"$out" 2>&1 || rc=$?
  if [ $rc -eq 0 ]; then echo "ok 1 - $name" >>"$out"; else echo "not ok 1 - $name" >>"$out"; fi
  record "$name" "$out" 0
  if [ $rc -ne 0 ]; then tail -30 "$out" | sed 's/^/      | /' >&2; fi
}

say "Preparing a fresh test stack"
stop_services
stop_cluster
rm -rf "$STACK_DIR"
database_up
pause_cron_jobs
start_services

say "Static checks of the Deno code"
DENO_DIRS=(local supabase/functions supabase/tests bench)
cd "$PROJECT_DIR"
check "deno check" "$BIN/deno" check --config deno.json "${DENO_DIRS[@]}"
check "deno lint" "$BIN/deno" lint --config deno.json "${DENO_DIRS[@]}"
check "deno fmt" "$BIN/deno" fmt --check --config deno.json "${DENO_DIRS[@]}"
# On the freshly migrated database, before any test adds objects of its own.
check "database types up to date" types_up_to_date

say "Migrations re-apply on top of themselves (idempotent push), rolled back"
{
  echo "begin;"
  for f in supabase/migrations/*.sql; do echo "\\i $f"; done
  echo "rollback;"
} >"$RESULTS/reapply.sql"
check "migrations re-apply" psql_stack -f "$RESULTS/reapply.sql"

say "plpgsql_check over the project's PL/pgSQL functions"
rc=0
psql_stack -f "$LOCAL_DIR/plpgsql_check.sql" >"$RESULTS/plpgsql_check.tap" 2>&1 || rc=$?
record "plpgsql_check" "$RESULTS/plpgsql_check.tap" $rc

say "pgTAP (supabase/tests)"
rc=0
# The tests.* helpers first (they commit); every *.test.sql then rolls back what it does.
psql_stack -f supabase/tests/helpers/install.sql >"$RESULTS/pgtap-helpers.log" 2>&1 || rc=$?
PGPASSWORD=postgres pg_prove -v -h 127.0.0.1 -p "$DB_PORT" -U postgres -d postgres \
  $(find supabase/tests -name '*.test.sql' | sort) >"$RESULTS/pgtap.tap" 2>&1 || rc=$?
record "pgTAP" "$RESULTS/pgtap.tap" $rc

say "Deno tests (functions and local stack, against the test database)"
rc=0
(
  set -a
  source "$ENV_FILE"
  set +a
  export JWT_SECRET="$LOCAL_JWT_SECRET" FEED_PORT TEST_FEED_PORT CALDAV_URL MAILBOX_URL
  "$BIN/deno" test -A --config deno.json --reporter=tap \
    $(find local supabase/functions supabase/tests -name "*.test.ts" | sort)
) >"$RESULTS/deno.tap" 2>&1 || rc=$?
record "Deno tests" "$RESULTS/deno.tap" $rc

echo "Test output: $RESULTS" >&2
trap - EXIT
cleanup
echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
[ "$FAILED" -eq 0 ]
