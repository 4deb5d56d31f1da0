#!/usr/bin/env bash
# Starts a wsd (`wsd all`) on a free port with a fresh data dir, sending mail to an SMTP
# sink, and runs the whole kit against it, mail cases included.
# Usage: run-against-wsd.sh WSCONFORM WSD CASES_DIR [wsconform options...]
set -euo pipefail
wsconform=$1 wsd=$2 cases=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
source "$here/processes.sh"
data=$(mktemp -d)
trap 'stop_started; rm -rf "$data"' EXIT
start_smtp_sink "$data"
token=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
# Short timeouts so that the cases about them finish quickly.
start_process "$data/wsd.log" "$wsd" all --listen 127.0.0.1:0 --data-dir "$data" --admin-token "$token" \
  --heartbeat-interval 1 --sse-resume-window 1 --poll-session-timeout 2 --smtp-url "smtp://127.0.0.1:$smtp_port"
line=$(await_line "$data/wsd.log" 'listening on http://127\.0\.0\.1:[0-9]+' "$started_pid" "wsd")
status=0
"$wsconform" --url "http://127.0.0.1:$(port_of "$line")" --admin-token "$token" --cases "$cases" --profile full \
  --with-mail "$@" || status=$?
[ "$status" -eq 0 ] || { echo "---- wsd (last lines)"; tail -30 "$data/wsd.log"; }
exit "$status"
