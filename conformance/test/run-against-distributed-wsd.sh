#!/usr/bin/env bash
# Runs the whole kit against wsd in distributed mode: a real Kafka broker and Redis
# (deploy/local, on free ports), two gateways (`wsd serve`), a projector (`wsd project`)
# and a mailer (`wsd mail`, relaying to an SMTP sink), with a round-robin balancer in
# front of the gateways so that a case's actors and requests land on both.
# Usage: run-against-distributed-wsd.sh WSCONFORM WSD CASES_DIR [wsconform options...]
# NODE (default: node) runs the balancer.
set -euo pipefail
wsconform=$1 wsd=$2 cases=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
source "$here/processes.sh"
dir=$(mktemp -d)
trap 'stop_started; bash "$root/deploy/local/kafka.sh" stop "$dir/kafka"; bash "$root/deploy/local/redis.sh" stop "$dir/redis"; rm -rf "$dir"' EXIT

source "$root/deploy/local/ports.sh"
start_kafka_and_redis "$dir"

start_smtp_sink "$dir"
token=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
id=$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')
log=(--kafka-brokers "127.0.0.1:$kafka_port" --kafka-topic "wsconform-$id" --kafka-partitions 2)
redis=(--redis "redis://127.0.0.1:$redis_port/0")
# The short timeouts the cases declare (serverSettings), as in run-against-wsd.sh.
settings=$("$wsconform" --cases "$cases" --server-settings)
read -ra timeouts <<<"$settings"

gateway_urls=()
for name in gateway-a gateway-b; do
  start_process "$dir/$name.log" "$wsd" serve --listen 127.0.0.1:0 --data-dir "$dir/$name" --node-id "$name" \
    --admin-token "$token" "${log[@]}" "${redis[@]}" "${timeouts[@]}"
  line=$(await_line "$dir/$name.log" 'listening on http://127\.0\.0\.1:[0-9]+' "$started_pid" "$name")
  gateway_urls+=("http://127.0.0.1:$(port_of "$line")")
done
start_process "$dir/projector.log" "$wsd" project "${log[@]}" "${redis[@]}" --projector-group "wsconform-$id"
await_line "$dir/projector.log" 'projector: [0-9]+ partition' "$started_pid" "the projector" >/dev/null
start_process "$dir/mailer.log" "$wsd" mail --listen 127.0.0.1:0 --data-dir "$dir/mailer" --admin-token "$token" \
  "${log[@]}" --smtp-url "smtp://127.0.0.1:$smtp_port"
await_line "$dir/mailer.log" 'mailer ready' "$started_pid" "the mailer" >/dev/null
start_process "$dir/balancer.log" "${NODE:-node}" "$here/round-robin-balancer.mjs" "${gateway_urls[@]}"
line=$(await_line "$dir/balancer.log" 'listening on http://127\.0\.0\.1:[0-9]+' "$started_pid" "the balancer")

status=0
"$wsconform" --url "http://127.0.0.1:$(port_of "$line")" --admin-token "$token" --cases "$cases" --profile full \
  --with-mail "$@" || status=$?
if [ "$status" -ne 0 ]; then
  for f in gateway-a gateway-b projector mailer balancer; do
    echo "---- $f (last lines)"
    tail -n 20 "$dir/$f.log"
  done
fi
exit "$status"
