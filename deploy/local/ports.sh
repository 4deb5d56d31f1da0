# Sourced by test scripts that start a Kafka broker and a Redis of their own (kafka.sh,
# redis.sh) on loopback while other suites do the same. Ports are taken below 32768: the
# kernel hands out ports above it to outgoing connections, and a test's many clients would
# block a later bind there. Each script starts from a port derived from its pid, skips
# ports somebody listens on, and, since two scripts may still pick the same free port at
# the same moment, tries the next one when a start fails.
#   start_kafka_and_redis DIR   starts both under DIR; sets kafka_port and redis_port

local_services=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)  # kafka.sh and redis.sh

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Kafka takes PORT and PORT+1 (its controller): even ports from 20000 to 25998.
start_local_kafka() {
  local dir=$1 attempt
  kafka_port=$((20000 + 2 * ($$ % 3000)))
  for attempt in 1 2 3; do
    while listening "$kafka_port" || listening $((kafka_port + 1)); do kafka_port=$((kafka_port + 2)); done
    bash "$local_services/kafka.sh" start "$dir" "$kafka_port" && return 0
    bash "$local_services/kafka.sh" stop "$dir"
    rm -rf "$dir"
    echo "kafka: retrying on another port (attempt $attempt failed)" >&2
    kafka_port=$((kafka_port + 2))
  done
  return 1
}

# Redis: from 26000 to 31999.
start_local_redis() {
  local dir=$1 attempt
  redis_port=$((26000 + $$ % 6000))
  for attempt in 1 2 3; do
    while listening "$redis_port"; do redis_port=$((redis_port + 1)); done
    bash "$local_services/redis.sh" start "$dir" "$redis_port" && return 0
    bash "$local_services/redis.sh" stop "$dir"
    echo "redis: retrying on another port (attempt $attempt failed)" >&2
    redis_port=$((redis_port + 1))
  done
  return 1
}

start_kafka_and_redis() {
  start_local_kafka "$1/kafka" && start_local_redis "$1/redis"
}
