#!/usr/bin/env bash
# npm run chat -- [+41791234567] — the chat simulator of a running `npm start`, in the terminal.
source "$(dirname "$0")/lib.sh"
use_stack dev
exec env SIM_PORT="$SIM_PORT" "$BIN/deno" run --config "$PROJECT_DIR/deno.json" --allow-net --allow-env \
  "$LOCAL_DIR/simulator/chat.ts" "$@"
