#!/usr/bin/env bash
# Starts a wsd on a free port with a fresh data dir and runs the whole kit against it.
# Usage: run-against-wsd.sh WSCONFORM WSD CASES_DIR [wsconform options...]
set -euo pipefail
wsconform=$1 wsd=$2 cases=$3
shift 3
data=$(mktemp -d)
log="$data/wsd.log"
token=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
"$wsd" all --listen 127.0.0.1:0 --data-dir "$data" --admin-token "$token" --heartbeat-interval 1 \
  --sse-resume-window 0.5 --poll-session-timeout 2 2>"$log" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 100); do
  port=$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$log" | grep -o '[0-9]*$' || true)
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { cat "$log"; exit 1; }
"$wsconform" --url "http://127.0.0.1:$port" --admin-token "$token" --cases "$cases" --profile full "$@"
