#!/usr/bin/env bash
# npm start — the whole local stack with demo data, in the foreground. Ctrl-C stops it all.
source "$(dirname "$0")/lib.sh"
source "$LOCAL_DIR/db.sh"
source "$LOCAL_DIR/services.sh"
use_stack dev
ensure_dependencies
database_up
start_services
wait_for_http "http://127.0.0.1:$FEED_PORT/feeds/" 30
sync_calendars_now
trap 'echo; stop_services; stop_cluster; exit 0' INT TERM
cat <<INFO

  Local stack is running (Ctrl-C or 'npm run stop' to stop it)
    Database        $DB_URL
    Functions       $API_URL/functions/v1/<name>
    Health check    curl -H "Authorization: Bearer \$SUPABASE_ANON_KEY" $API_URL/functions/v1/health
    WhatsApp chat   http://127.0.0.1:$SIM_PORT/ (simulator: write as a customer, see the bot's replies)
    Demo calendars  http://127.0.0.1:$FEED_PORT/feeds/<name>.ics (local/demo-feeds)
    Mailbox (SMTP)  $MAILBOX_URL (alert mails the local SMTP server 127.0.0.1:$SMTP_PORT received)
    Function env    $ENV_FILE
    Logs            $STACK_DIR/{postgres,gateway,net-worker,feed-server,simulator,mail-server}.log

INFO
tail -n 0 -F "$STACK_DIR/gateway.log" "$STACK_DIR/net-worker.log" &
wait
