#!/usr/bin/env bash
# Starts the local Redis and Kafka as the distributed-mode tests do, checks that each
# answers, and stops them. Ports are picked above 20000 from this process's id so that
# parallel runs do not collide.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
redis_port=$((20000 + ($$ % 10000)))
kafka_port=$((redis_port + 10000))
trap 'bash "$here/redis.sh" stop "$dir/redis"; bash "$here/kafka.sh" stop "$dir/kafka"; rm -rf "$dir"' EXIT
bash "$here/redis.sh" start "$dir/redis" "$redis_port"
[ "$(redis-cli -p "$redis_port" set wsd-check ok)" = OK ]
[ "$(redis-cli -p "$redis_port" get wsd-check)" = ok ]
bash "$here/kafka.sh" start "$dir/kafka" "$kafka_port"
(exec 3<>"/dev/tcp/127.0.0.1/$kafka_port")
echo "local services: redis and kafka started, answered and stopped"
