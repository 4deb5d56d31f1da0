#!/usr/bin/env bash
# Runs the integration suite again in distributed mode, on a real Kafka broker and a real
# Redis (both local, started here and stopped on exit). Usage: run-with-kafka.sh MODE
#   one-gateway    each test server is one `wsd all` on a Kafka topic of its own; the
#                  distributed/ tests (several gateways, projectors, faults) run too
#   two-gateways   each test server is two gateways and a projector on one topic and one
#                  Redis database, behind a round-robin balancer (lib/server.mjs)
set -euo pipefail
mode=${1:?one-gateway or two-gateways}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
dir=$(mktemp -d)
source "$root/deploy/local/ports.sh"
trap 'bash "$root/deploy/local/kafka.sh" stop "$dir/kafka"; bash "$root/deploy/local/redis.sh" stop "$dir/redis"; rm -rf "$dir"' EXIT
start_kafka_and_redis "$dir"
cd "$here"
export WSD_KAFKA_BROKERS="127.0.0.1:$kafka_port" WSD_REDIS_URL="redis://127.0.0.1:$redis_port"
case "$mode" in
  one-gateway) node --test --test-force-exit --test-reporter=spec ./*.test.mjs ./distributed/*.test.mjs ;;
  two-gateways) WSD_DEPLOYMENT=two-gateways node --test --test-force-exit --test-reporter=spec ./*.test.mjs ;;
  *) echo "unknown mode $mode" >&2; exit 2 ;;
esac
