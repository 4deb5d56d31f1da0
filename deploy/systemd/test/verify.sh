#!/usr/bin/env bash
# CTest deploy.systemd_verify: checks deploy/systemd/*.service with systemd's own tools,
# offline (no running systemd needed):
#   * `systemd-analyze verify` parses each unit and checks that its commands exist and
#     are executable. The units name /usr/local/bin/wsd (where `cmake --install` puts
#     it); the test runs them on copies that name the wsd just built instead, since
#     nothing is installed at test time. java, redis-server and /bin/sh are the
#     machine's own (deploy/local/install-deps.sh installs them). Any message fails.
#   * `systemd-analyze security --offline` rates each unit's hardening; above 2.0 (of
#     10) fails.
#   * each unit has the hardening options the project promises, and secrets.env.example
#     names every secret wsd reads from its environment.
#   * the units run as shipped: the files are installed into a scratch /etc/wsd as
#     README.md says, and run_units.py starts wsd.service's ExecStart line as systemd
#     would (its EnvironmentFile, its StateDirectory, a clean environment, as an
#     unprivileged user); wsd must answer /readyz 200. The only edit to the installed
#     files: `listen` takes port 0, so that the test never collides with another.
#   * with WSD_KAFKA_BROKERS and WSD_REDIS_URL set (run-distributed.sh starts a Kafka
#     and a Redis and sets them), the same for wsd-serve, wsd-project, wsd-mail and
#     wsd-hooks on wsd-distributed.toml, pointed at that Kafka and Redis: the gateway's
#     /readyz must answer 200 and the other roles must say they are up.
# Usage: verify.sh WSD_BIN
set -euo pipefail
wsd=$(readlink -f "${1:?path to wsd}")
here=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
command -v systemd-analyze >/dev/null || { echo "systemd-analyze is missing (Debian package systemd)" >&2; exit 1; }

cp "$here"/*.service "$dir/"
sed -i "s|/usr/local/bin/wsd |$wsd |" "$dir"/*.service
failed=0
for unit in "$dir"/*.service; do
  name=$(basename "$unit")
  if ! out=$(cd "$dir" && systemd-analyze verify --man=no "$name" 2>&1) || [ -n "$out" ]; then
    echo "FAIL $name: systemd-analyze verify said:"
    echo "$out"
    failed=1
    continue
  fi
  exposure=$(cd "$dir" && systemd-analyze security --offline=true "$name" 2>&1 | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
  if ! (cd "$dir" && systemd-analyze security --offline=true --threshold=20 "$name" >/dev/null 2>&1); then
    echo "FAIL $name: exposure ${exposure:-?} is above 2.0"
    failed=1
    continue
  fi
  for option in DynamicUser=yes NoNewPrivileges=yes ProtectSystem=strict ProtectHome=yes PrivateTmp=yes \
    CapabilityBoundingSet= RestrictAddressFamilies= SystemCallFilter=@system-service Restart=on-failure; do
    grep -q "^$option" "$unit" || { echo "FAIL $name: no $option"; failed=1; }
  done
  echo "ok   $name (exposure $exposure)"
done

# Every wsd unit states where it may write, and reads options and secrets from /etc/wsd.
for unit in "$here"/wsd.service "$here"/wsd-serve.service; do
  grep -q '^StateDirectory=' "$unit" || { echo "FAIL $(basename "$unit"): no StateDirectory"; failed=1; }
done
for unit in "$here"/wsd*.service; do
  case $(basename "$unit") in wsd-kafka.service | wsd-redis.service) continue ;; esac
  grep -q '^EnvironmentFile=-/etc/wsd/secrets.env$' "$unit" || { echo "FAIL $(basename "$unit"): no secrets.env"; failed=1; }
done
# The secrets wsd reads from its environment (`wsd --help` marks them) are all in the example.
for secret in $("$wsd" --help | sed -n 's/^ *env \(WSD_[A-Z_]*\);.*; secret$/\1/p'); do
  grep -q "^$secret=" "$here/secrets.env.example" || { echo "FAIL secrets.env.example: no $secret"; failed=1; }
done

# Every config file is one wsd reads (an unknown option or a bad value fails `config print`).
for conf in "$here"/*.toml; do
  out=$("$wsd" config print --config "$conf" 2>&1) || { echo "FAIL $(basename "$conf"): $out"; failed=1; }
done

# The units run as shipped: the files installed as README.md says, into a scratch /etc/wsd.
etc="$dir/etc/wsd"
install -d -m 0755 "$dir/etc" "$etc"
install -m 0644 "$here/wsd.toml" "$here/wsd-distributed.toml" "$etc/"
install -m 0600 "$here/secrets.env.example" "$etc/secrets.env"
chmod 0755 "$dir"
# Sets NAME in an installed config file; the line must be there already.
set_option() {
  grep -q "^$2 = " "$etc/$1" || { echo "FAIL $1: no '$2 = ' line"; failed=1; return; }
  sed -i "s|^$2 = .*|$2 = \"$3\"|" "$etc/$1"
}
set_option wsd.toml listen 127.0.0.1:0
set_option wsd-distributed.toml listen 127.0.0.1:0
mkdir -m 0755 "$dir/state"
python3 "$here/test/run_units.py" "$wsd" "$etc" "$dir/state" "$here/wsd.service" || failed=1
if [ -n "${WSD_KAFKA_BROKERS:-}" ] && [ -n "${WSD_REDIS_URL:-}" ]; then
  set_option wsd-distributed.toml kafka-brokers "$WSD_KAFKA_BROKERS"
  set_option wsd-distributed.toml redis "$WSD_REDIS_URL"
  set_option wsd-distributed.toml kafka-topic "systemd-test-$$"
  python3 "$here/test/run_units.py" "$wsd" "$etc" "$dir/state" "$here/wsd-serve.service" \
    "$here/wsd-project.service" "$here/wsd-mail.service" "$here/wsd-hooks.service" || failed=1
else
  echo "--   wsd-serve, wsd-project, wsd-mail, wsd-hooks: not started (no WSD_KAFKA_BROKERS and WSD_REDIS_URL;" \
    "CTest deploy.systemd_distributed starts them)"
fi

if [ "$failed" = 0 ]; then
  echo "systemd units: every unit verified and hardened, and runs as shipped"
else
  exit 1
fi
