#!/usr/bin/env bash
# npm run stop — stops what `npm start` started (services and the dev database).
source "$(dirname "$0")/lib.sh"
source "$LOCAL_DIR/db.sh"
source "$LOCAL_DIR/services.sh"
use_stack dev
stop_services
pkill -f "tail -n 0 -F $STACK_DIR/gateway.log" 2>/dev/null || true
stop_cluster
say "Local stack stopped"
