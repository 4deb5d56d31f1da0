#!/usr/bin/env bash
# Runs wslog's integration test against a real wsd and a real Redis (started here, on a
# port of its own, stopped on exit). Usage: run.sh MODE
#   embedded   wsd logs to DATA_DIR/log; wslog reads the directory
#   kafka      wsd logs to a topic of a local Kafka broker (started here too) and projects
#              into Redis; wslog reads the topic and verifies the live projection
set -euo pipefail
mode=${1:?embedded or kafka}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../../.." && pwd)
dir=$(mktemp -d)
# Ports below the kernel's ephemeral range, retried on another port if a start fails
# (deploy/local/ports.sh).
source "$root/deploy/local/ports.sh"
cleanup() {
  if [ "$mode" = kafka ]; then bash "$root/deploy/local/kafka.sh" stop "$dir/kafka"; fi
  bash "$root/deploy/local/redis.sh" stop "$dir/redis"
  rm -rf "$dir"
}
trap cleanup EXIT
case "$mode" in
  embedded) start_local_redis "$dir/redis" ;;
  kafka)
    start_kafka_and_redis "$dir"
    export WSD_KAFKA_BROKERS="127.0.0.1:$kafka_port"
    ;;
  *) echo "unknown mode $mode" >&2; exit 2 ;;
esac
export WSD_REDIS_URL="redis://127.0.0.1:$redis_port"
# A python with pyarrow for the Parquet export (tools/ci/requirements.txt).
export WSLOG_PYTHON=$(bash "$root/tools/ci/python-venv.sh" "${WSLOG_PYTHON_VENV:?the virtualenv directory}")
cd "$here"
node --test --test-reporter=spec ./*.test.mjs
