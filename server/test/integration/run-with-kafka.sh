#!/usr/bin/env bash
# Runs the whole integration suite again in distributed mode: a real Kafka broker as the
# event log (each test server on a topic of its own) and a real Redis for the projectors
# of the distributed/ tests (each deployment on a database of its own).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
dir=$(mktemp -d)
kafka_port=$((40000 + ($$ % 10000)))
redis_port=$((kafka_port + 10000))
trap 'bash "$root/deploy/local/kafka.sh" stop "$dir/kafka"; bash "$root/deploy/local/redis.sh" stop "$dir/redis"; rm -rf "$dir"' EXIT
bash "$root/deploy/local/kafka.sh" start "$dir/kafka" "$kafka_port"
bash "$root/deploy/local/redis.sh" start "$dir/redis" "$redis_port"
cd "$here"
WSD_KAFKA_BROKERS="127.0.0.1:$kafka_port" WSD_REDIS_URL="redis://127.0.0.1:$redis_port" \
  node --test --test-reporter=spec ./*.test.mjs ./distributed/*.test.mjs
