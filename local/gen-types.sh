#!/usr/bin/env bash
# npm run gen:types [dev|test]            types of the local database (dev by default; started and
#                                         migrated first if needed)
# npm run gen:types -- --project-id <ref> types of a hosted project (after `npx supabase login`)
# Either writes supabase/functions/_shared/database.types.ts.
source "$(dirname "$0")/lib.sh"
source "$LOCAL_DIR/db.sh"
source "$LOCAL_DIR/types.sh"
ensure_npm_packages
out="$PROJECT_DIR/$TYPES_FILE"
if [ "${1:-}" = "--project-id" ]; then
  [ -n "${2:-}" ] || { echo "usage: npm run gen:types -- --project-id <project ref>" >&2; exit 2; }
  hosted_types "$2" >"$out.tmp" || { rm -f "$out.tmp"; exit 1; }
  source_name="project $2"
else
  use_stack "${1:-dev}"
  ensure_apt_packages
  database_up
  generate_types >"$out.tmp" || { rm -f "$out.tmp"; exit 1; }
  source_name="the $STACK database"
fi
mv "$out.tmp" "$out"
say "Wrote $TYPES_FILE from $source_name ($(wc -l <"$out") lines, schemas $TYPES_SCHEMAS)"
