#!/usr/bin/env bash
# A single-node Apache Kafka in KRaft mode on loopback, from Maven Central's jars, for
# local runs and tests. Usage:
#   kafka.sh fetch              fetch the jars (cached in ~/.m2) and print where they are
#   kafka.sh start DIR [PORT]   fetch the jars, format DIR, start, wait until ready
#   kafka.sh stop DIR           stop the broker started in DIR
# Retention is 7 days, longer than the 3-day offline-message TTL (docs/operations.md).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cmd=${1:?fetch, start or stop}
if [ "$cmd" != fetch ]; then
  dir=${2:?data directory}
  port=${3:-9092}
  controller_port=$((port + 1))
fi

# Tests running in parallel may start brokers at the same moment in a fresh clone: one
# fetches the jars while the others wait on the lock, and the directory appears whole or
# not at all, so no broker starts on a half-copied classpath.
fetch_jars() {
  local target="$here/kafka/target" libs="$here/kafka/target/libs" lock
  if [ ! -f "$libs/.complete" ]; then
    mkdir -p "$target"
    exec {lock}>"$target/.fetch.lock"
    flock "$lock"
    if [ ! -f "$libs/.complete" ]; then
      rm -rf "$libs.partial"
      mvn -q -B -f "$here/kafka/pom.xml" dependency:copy-dependencies -DoutputDirectory="$libs.partial" \
        -DincludeScope=runtime >&2
      touch "$libs.partial/.complete"
      rm -rf "$libs"
      mv "$libs.partial" "$libs"
    fi
    exec {lock}>&-
  fi
  echo "$libs"
}

write_config() {
  cat >"$dir/server.properties" <<CONF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$dir/data
num.partitions=4
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
log.retention.hours=168
auto.create.topics.enable=true
CONF
  cat >"$dir/log4j.properties" <<CONF
log4j.rootLogger=WARN, file
log4j.appender.file=org.apache.log4j.FileAppender
log4j.appender.file.File=$dir/kafka.log
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.server.KafkaServer=INFO
log4j.logger.kafka.server.BrokerServer=INFO
CONF
}

wait_ready() {
  for _ in $(seq 600); do
    if grep -q "Kafka Server started\|\[BrokerServer id=1\] Transition from STARTING to STARTED" "$dir/kafka.log" 2>/dev/null &&
      (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "kafka: ready on 127.0.0.1:$port"
      return 0
    fi
    kill -0 "$(cat "$dir/kafka.pid")" 2>/dev/null || { tail -n 20 "$dir/kafka.log" "$dir/stdout.log" >&2; return 1; }
    sleep 0.1
  done
  echo "kafka: not ready after 60 s" >&2
  return 1
}

case "$cmd" in
  fetch) fetch_jars ;;
  start)
    mkdir -p "$dir"
    libs=$(fetch_jars)
    write_config
    # C1 only (TieredStopAtLevel=1): on a machine of a few cores the C2 compiler otherwise
    # takes most of a core while the broker warms up under load, from the same cores as
    # the broker's request threads and wsd. Measured with wsbench at 10,000 msg/s on 2
    # cores: p50 9.8 -> 4.9 ms on a fresh broker (docs/performance.md).
    java_cmd=(java -XX:TieredStopAtLevel=1 -Xms256m -Xmx512m -Dlog4j.configuration="file:$dir/log4j.properties" -cp "$libs/*")
    if [ ! -f "$dir/data/meta.properties" ]; then
      "${java_cmd[@]}" kafka.tools.StorageTool format -t "$("${java_cmd[@]}" kafka.tools.StorageTool random-uuid)" \
        -c "$dir/server.properties" >"$dir/format.log"
    fi
    "${java_cmd[@]}" kafka.Kafka "$dir/server.properties" >"$dir/stdout.log" 2>&1 &
    echo $! >"$dir/kafka.pid"
    wait_ready
    ;;
  stop)
    if [ -f "$dir/kafka.pid" ]; then
      pid=$(cat "$dir/kafka.pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
      rm -f "$dir/kafka.pid"
    fi
    ;;
  *) echo "usage: kafka.sh fetch | start DIR [PORT] | stop DIR" >&2; exit 2 ;;
esac
