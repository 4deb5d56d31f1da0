#!/usr/bin/env bash
# A Redis server (Debian's redis-server) on loopback for local runs and tests. Usage:
#   redis.sh start DIR [PORT]   start with its data in DIR and wait until it answers PING
#   redis.sh stop DIR           stop it
set -euo pipefail
cmd=${1:?start or stop}
dir=${2:?data directory}
port=${3:-6379}
case "$cmd" in
  start)
    mkdir -p "$dir"
    redis-server --port "$port" --bind 127.0.0.1 --dir "$dir" --daemonize yes --pidfile "$dir/redis.pid" \
      --logfile "$dir/redis.log" --save "" --appendonly no --databases 256
    for _ in $(seq 100); do
      [ "$(redis-cli -p "$port" ping 2>/dev/null)" = PONG ] && { echo "redis: ready on 127.0.0.1:$port"; exit 0; }
      sleep 0.1
    done
    echo "redis: not ready on 127.0.0.1:$port" >&2
    tail -n 5 "$dir/redis.log" >&2 2>/dev/null || true
    exit 1
    ;;
  stop)
    # Returns once the server has exited: it writes its log and removes its pid file on
    # the way out, and a caller that removes DIR next would race it.
    if [ -f "$dir/redis.pid" ]; then
      pid=$(cat "$dir/redis.pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    ;;
  *) echo "usage: redis.sh start|stop DIR [PORT]" >&2; exit 2 ;;
esac
