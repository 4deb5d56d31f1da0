#!/usr/bin/env bash
# CTest deploy.systemd_distributed: verify.sh again, with a Kafka broker and a Redis of
# its own on loopback (deploy/local/ports.sh picks free ports, as the integration_kafka
# suites do), so that it also starts wsd-serve and wsd-project as systemd would.
# Usage: run-distributed.sh WSD_BIN
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
wsd=$(readlink -f "${1:?path to wsd}")
dir=$(mktemp -d)
source "$root/deploy/local/ports.sh"
trap 'bash "$root/deploy/local/kafka.sh" stop "$dir/kafka"; bash "$root/deploy/local/redis.sh" stop "$dir/redis"; rm -rf "$dir"' EXIT
start_kafka_and_redis "$dir"
WSD_KAFKA_BROKERS="127.0.0.1:$kafka_port" WSD_REDIS_URL="redis://127.0.0.1:$redis_port" bash "$here/verify.sh" "$wsd"
