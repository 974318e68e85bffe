# Generated database types (supabase/functions/_shared/database.types.ts): the same generator
# `supabase gen types typescript` runs (@supabase/postgres-meta, pinned in package.json), run
# with node instead of in Docker. Sourced after lib.sh and use_stack.

TYPES_FILE="supabase/functions/_shared/database.types.ts"
# `public` is what Studio and the API show; `private` holds the security-definer helpers the edge
# functions call directly (calendar_secret, local_date, call_edge_function). Platform schemas
# (auth, vault, net, cron, extensions) stay out: locally they are the parity layer's stand-ins,
# so their types would differ from a hosted project's, and no function reads them.
TYPES_SCHEMAS="public,private"

# Prints the types of the stack's database, formatted as the committed file is.
generate_types() {
  local raw
  # The options `supabase gen types typescript --local` passes to the same generator.
  raw="$(PG_META_DB_URL="$DB_URL" \
    PG_META_GENERATE_TYPES=typescript \
    PG_META_GENERATE_TYPES_INCLUDED_SCHEMAS="$TYPES_SCHEMAS" \
    PG_META_GENERATE_TYPES_DETECT_ONE_TO_ONE_RELATIONSHIPS=true \
    node --no-warnings "$PROJECT_DIR/node_modules/@supabase/postgres-meta/dist/server/server.js")" || return 1
  printf '%s\n' "$raw" | format_types
}

# Prints the types of a hosted project (`supabase gen types typescript --project-id`, after
# `supabase login`), formatted as the committed file is. The platform adds the project's PostgREST
# version (`__InternalSupabase`, read by supabase-js); the functions use postgres.js, so it is
# left out and the file is the one a local database with the same migrations gives.
hosted_types() { # project ref
  local raw
  raw="$(supabase_cli gen types typescript --project-id "$1" --schema "$TYPES_SCHEMAS")" || return 1
  printf '%s\n' "$raw" | awk '
    /^ *\/\/ (Allows to automatically instantiate|instead of createClient)/ { next }
    /^ *__InternalSupabase: \{/ { skip = 1; next }
    skip { if ($0 ~ /^ *\};?$/) skip = 0; next }
    { print }
  ' | format_types
}

# deno fmt, twice: it settles the generator's long conditional types only on its second pass, and
# `deno fmt --check` in npm test wants the settled form.
format_types() {
  deno fmt --config "$PROJECT_DIR/deno.json" --ext ts - | deno fmt --config "$PROJECT_DIR/deno.json" --ext ts -
}

# One line per leaf of a types file, prefixed with where it sits ("public.Tables.bookings.Row:
# status: string"), so a difference names the table, view or function it is in.
types_outline() {
  awk '
    { match($0, /^ */); depth = RLENGTH / 2; line = substr($0, RLENGTH + 1) }
    line ~ /^[}\]]/ { next }
    line ~ /^[A-Za-z_"][^ ]*: \{$/ { key = line; sub(/: \{$/, "", key); path[depth] = key; next }
    line != "" {
      p = ""; for (i = 1; i < depth; i++) if (i in path) p = p (p == "" ? "" : ".") path[i]
      print (p == "" ? "" : p ": ") line
    }
    { for (i = depth; i in path; i++) delete path[i] }
  ' "$1"
}

# Fails, naming every difference, when the committed types file is not what the database's
# schema generates now.
types_up_to_date() {
  local fresh="$STACK_DIR/database.types.generated.ts"
  generate_types >"$fresh"
  if cmp -s "$PROJECT_DIR/$TYPES_FILE" "$fresh"; then
    echo "$TYPES_FILE matches the schema"
    return 0
  fi
  echo "$TYPES_FILE is out of date with the migrations. Differences (- committed, + schema now):"
  type_differences "$PROJECT_DIR/$TYPES_FILE" "$fresh"
  echo "Regenerate it: npm run gen:types  (after npm run db:reset if a migration changed in place)"
  return 1
}

# The differences between two types files, one line each with where it is; at most 24 lines, so
# npm test's summary (a failing step's last lines) shows them whole.
type_differences() { # committed, fresh
  local differences count
  differences="$( (diff <(types_outline "$1") <(types_outline "$2") || true) |
    sed -n 's/^< /  - /p; s/^> /  + /p')"
  printf '%s\n' "$differences" | head -24
  count=$(printf '%s\n' "$differences" | wc -l)
  if [ "$count" -gt 24 ]; then echo "  ... $((count - 24)) more (diff $1 $2)"; fi
}
