#!/usr/bin/env bash
# Reproduces every row of docs/performance.md on this machine: wsd in embedded mode, then
# in distributed mode (two processes: a gateway and a projector, on a local Kafka broker
# and Redis), each loaded by wsbench over loopback. Prints each wsbench report as JSON
# Lines to stdout (and the commands to stderr). Takes about five minutes.
#
# Usage: run-benchmarks.sh [BUILD_DIR] [IDLE_CONNECTIONS]
#   IDLE_CONNECTIONS defaults to what the descriptor limit allows (each connection takes a
#   descriptor in wsbench and one in wsd).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build}
wsd=$build/server/wsd
wsbench=$build/tools/wsbench/wsbench
idle=${2:-$(($(ulimit -Hn) - 500))}
work=$(mktemp -d)
admin=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  bash "$root/deploy/local/kafka.sh" stop "$work/kafka" >/dev/null 2>&1 || true
  bash "$root/deploy/local/redis.sh" stop "$work/redis" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
ulimit -n "$(ulimit -Hn)"
# Clients flood on purpose: lift the per-connection rate limit meant for apps.
limits=(--rate-limit 10000000 --rate-burst 10000000 --max-conns-per-project 1000000 --admin-token "$admin")

# start_wsd NAME ARGS...: starts wsd, waits for its port, sets $port and $pid.
start_wsd() {
  local name=$1
  shift
  "$wsd" "$@" 2>"$work/$name.log" &
  pid=$!
  pids+=("$pid")
  for _ in $(seq 300); do
    port=$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$work/$name.log" | grep -o '[0-9]*$' || true)
    [ -n "$port" ] && return 0
    sleep 0.1
  done
  cat "$work/$name.log" >&2
  exit 1
}

bench() {
  echo "+ wsbench $*" >&2
  "$wsbench" "$@" --url "http://127.0.0.1:$port" --admin-token "$admin" --server-pid "$pid" --json ||
    echo "{\"failed\":\"wsbench $*\"}"
}

# rows MODE BROADCAST_RATE: every row of the table for one deployment.
rows() {
  local mode=$1 broadcast_rate=$2
  bench idle --connections "$idle" --rate 5000 --duration 5 | sed "s/^{/{\"deployment\":\"$mode\",/"
  bench direct --connections 10 --rate 100 --duration 5 --warmup 1 | sed "s/^{/{\"deployment\":\"$mode\",/"
  bench direct --connections 100 --rate 10000 --duration 20 --warmup 2 | sed "s/^{/{\"deployment\":\"$mode\",/"
  bench direct --connections 100 --rate 10000 --duration 20 --warmup 2 --transport sse |
    sed "s/^{/{\"deployment\":\"$mode\",/"
  bench broadcast --connections 10000 --rate "$broadcast_rate" --duration 10 --warmup 2 |
    sed "s/^{/{\"deployment\":\"$mode\",/"
  bench echo --connections 50 --duration 10 --warmup 1 | sed "s/^{/{\"deployment\":\"$mode\",/"
  bench room --connections 1000 --rate 100 --duration 8 --warmup 2 | sed "s/^{/{\"deployment\":\"$mode\",/"
  bench recovery --connections 4 --duration 8 --warmup 1 | sed "s/^{/{\"deployment\":\"$mode\",/"
}

# ---- embedded ---------------------------------------------------------------------------
start_wsd embedded all --listen 127.0.0.1:0 --data-dir "$work/embedded" "${limits[@]}"
rows embedded 50
bench broadcast --connections 10000 --rate 100 --duration 10 --warmup 2 | sed 's/^{/{"deployment":"embedded",/'
kill "$pid"

# Idle memory with the smallest receive buffer the table quotes.
start_wsd embedded-small-buffers all --listen 127.0.0.1:0 --data-dir "$work/embedded-small" \
  --ws-receive-buffer 512 "${limits[@]}"
bench idle --connections "$idle" --rate 5000 --duration 5 | sed 's/^{/{"deployment":"embedded, --ws-receive-buffer 512",/'
kill "$pid"

# ---- distributed ------------------------------------------------------------------------
bash "$root/deploy/local/kafka.sh" start "$work/kafka" 29092 >&2
bash "$root/deploy/local/redis.sh" start "$work/redis" 26379 >&2
kafka=(--kafka-brokers 127.0.0.1:29092 --kafka-topic wsd.bench --kafka-partitions 4)
"$wsd" project "${kafka[@]}" --redis redis://127.0.0.1:26379/0 2>"$work/projector.log" &
pids+=($!)
# A quiet log once the load stops (node.alive every hour), so the replay has an end to reach.
start_wsd gateway serve --listen 127.0.0.1:0 --data-dir "$work/gateway" "${kafka[@]}" --node-heartbeat 3600 --node-timeout 2h \
  --redis redis://127.0.0.1:26379/0 "${limits[@]}"
rows distributed 25

# Projector replay: a second consumer group projects the whole topic into an empty
# database; timed until its offsets reach the first projector's.
total() { redis-cli -p 26379 -n "$1" hvals wsd:offsets:wsd.bench | awk '{ n += $1 } END { print n + 0 }'; }
events=-1
while [ "$events" != "$(total 0)" ]; do  # settled: unchanged over a second
  events=$(total 0)
  sleep 1
done
start=$(date +%s.%N)
"$wsd" project "${kafka[@]}" --redis redis://127.0.0.1:26379/1 --projector-group replay 2>"$work/replay.log" &
pids+=($!)
until [ "$(total 1)" = "$events" ]; do sleep 0.05; done
awk -v events="$events" -v start="$start" -v end="$(date +%s.%N)" 'BEGIN {
  printf "{\"deployment\":\"distributed\",\"mode\":\"projector-replay\",\"events\":%d,\"seconds\":%.2f,\"eventsPerSecond\":%.0f}\n",
    events, end - start, events / (end - start) }'
