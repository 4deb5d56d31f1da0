#!/usr/bin/env bash
# Starts the local Redis and Kafka as the distributed-mode tests do (deploy/local/ports.sh),
# checks that each answers, and stops them.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
source "$here/ports.sh"
trap 'bash "$here/redis.sh" stop "$dir/redis"; bash "$here/kafka.sh" stop "$dir/kafka"; rm -rf "$dir"' EXIT
start_kafka_and_redis "$dir"
[ "$(redis-cli -p "$redis_port" set wsd-check ok)" = OK ]
[ "$(redis-cli -p "$redis_port" get wsd-check)" = ok ]
(exec 3<>"/dev/tcp/127.0.0.1/$kafka_port")
echo "local services: redis and kafka started, answered and stopped"
