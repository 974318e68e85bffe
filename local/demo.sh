#!/usr/bin/env bash
# npm run demo — plays the guide's five booking examples as WhatsApp conversations against the
# running `npm start` stack (signed webhooks to whatsapp-webhook) and prints the transcript.
# Its customers and calendar entries are removed afterwards, so it can be run again.
source "$(dirname "$0")/lib.sh"
source "$LOCAL_DIR/db.sh"
use_stack dev
if ! cluster_running || ! curl -s -o /dev/null "$API_URL/functions/v1/health"; then
  echo "The local stack is not running: start it with 'npm start' (in another terminal) first." >&2
  exit 1
fi
cd "$PROJECT_DIR"
set -a
source "$ENV_FILE"
set +a
exec "$BIN/deno" run -A --config deno.json "$LOCAL_DIR/demo.ts" "$@"
