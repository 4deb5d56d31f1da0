#!/usr/bin/env bash
# Runs every wsbench mode for a moment against a real wsd: the tool works end to end and
# every message it sent was delivered (wsbench exits non-zero otherwise). Timings are
# printed, never judged.
set -euo pipefail
wsbench=$1 wsd=$2
data=$(mktemp -d)
token=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
# A load generator means to exceed the per-connection rate limit meant for clients.
"$wsd" all --listen 127.0.0.1:0 --data-dir "$data" --admin-token "$token" --rate-limit 1000000 --rate-burst 1000000 \
  2>"$data/wsd.log" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 100); do
  port=$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$data/wsd.log" | grep -o '[0-9]*$' || true)
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { cat "$data/wsd.log"; exit 1; }
common=(--url "http://127.0.0.1:$port" --admin-token "$token" --server-pid "$pid" --warmup 0.2 --duration 1)
set -x
"$wsbench" idle "${common[@]}" --connections 200 --rate 2000
"$wsbench" idle "${common[@]}" --connections 50 --rate 2000 --transport sse
"$wsbench" direct "${common[@]}" --connections 10 --rate 500
"$wsbench" direct "${common[@]}" --connections 10 --rate 500 --transport sse --payload 100
"$wsbench" broadcast "${common[@]}" --connections 20 --rate 50 --json
"$wsbench" echo "${common[@]}" --connections 4
"$wsbench" room "${common[@]}" --connections 20 --rate 50
"$wsbench" recovery "${common[@]}" --connections 2
