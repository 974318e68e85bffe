#!/usr/bin/env bash
# npm run gen:types [dev|test] — writes supabase/functions/_shared/database.types.ts from the
# stack's database (dev by default; started and migrated first if needed).
source "$(dirname "$0")/lib.sh"
source "$LOCAL_DIR/db.sh"
source "$LOCAL_DIR/types.sh"
use_stack "${1:-dev}"
ensure_dependencies
database_up
generate_types >"$PROJECT_DIR/$TYPES_FILE.tmp"
mv "$PROJECT_DIR/$TYPES_FILE.tmp" "$PROJECT_DIR/$TYPES_FILE"
say "Wrote $TYPES_FILE ($(wc -l <"$PROJECT_DIR/$TYPES_FILE") lines, schemas $TYPES_SCHEMAS)"
