#!/usr/bin/env bash
# Runs the whole integration suite again with a real Kafka broker as the event log
# (each test server on a topic of its own), to show both logs behave the same.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
dir=$(mktemp -d)
port=$((40000 + ($$ % 10000)))
trap 'bash "$root/deploy/local/kafka.sh" stop "$dir"; rm -rf "$dir"' EXIT
bash "$root/deploy/local/kafka.sh" start "$dir" "$port"
cd "$here"
WSD_KAFKA_BROKERS="127.0.0.1:$port" node --test --test-reporter=spec ./*.test.mjs ./distributed/*.test.mjs
