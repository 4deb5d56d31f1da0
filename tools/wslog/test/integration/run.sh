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
# Free loopback ports, asked of the OS (a port derived from the pid may be some client's
# ephemeral port); `free_ports 2` gives a port whose next one is free too (Kafka's
# controller takes it).
free_ports() {
  node -e '
    const net = require("net");
    const bind = (port) => new Promise((ok) => {
      const s = net.createServer().once("error", () => ok(0));
      s.listen(port, "127.0.0.1", () => {
        const bound = s.address().port;
        s.close(() => ok(bound));
      });
    });
    (async () => {
      for (let attempt = 0; attempt < 100; attempt++) {
        const first = await bind(0);
        let free = true;
        for (let i = 1; free && i < Number(process.argv.at(-1)); i++) free = (await bind(first + i)) > 0;
        if (free) return console.log(first);
      }
      process.exit(1);
    })();' "$1"
}
redis_port=$(free_ports 1)
cleanup() {
  if [ "$mode" = kafka ]; then bash "$root/deploy/local/kafka.sh" stop "$dir/kafka"; fi
  bash "$root/deploy/local/redis.sh" stop "$dir/redis"
  rm -rf "$dir"
}
trap cleanup EXIT
bash "$root/deploy/local/redis.sh" start "$dir/redis" "$redis_port"
export WSD_REDIS_URL="redis://127.0.0.1:$redis_port"
case "$mode" in
  embedded) ;;
  kafka)
    kafka_port=$(free_ports 2)
    bash "$root/deploy/local/kafka.sh" start "$dir/kafka" "$kafka_port"
    export WSD_KAFKA_BROKERS="127.0.0.1:$kafka_port"
    ;;
  *) echo "unknown mode $mode" >&2; exit 2 ;;
esac
# A python with pyarrow for the Parquet export (tools/ci/requirements.txt).
export WSLOG_PYTHON=$(bash "$root/tools/ci/python-venv.sh" "${WSLOG_PYTHON_VENV:?the virtualenv directory}")
cd "$here"
node --test --test-reporter=spec ./*.test.mjs
