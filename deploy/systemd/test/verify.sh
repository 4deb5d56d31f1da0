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
#   * each unit has the hardening options the project promises, and the env files name
#     every secret wsd reads from its environment.
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

# Every option in wsd.env is one wsd knows.
known=$("$wsd" --help | sed -n 's/^  \(--[a-z-]*\).*/\1/p')
for flag in $(grep -v '^#' "$here/wsd.env" | grep -o -- '--[a-z-]*' | sort -u); do
  grep -qx -- "$flag" <<<"$known" || { echo "FAIL wsd.env: wsd --help has no option $flag"; failed=1; }
done

if [ "$failed" = 0 ]; then
  echo "systemd units: every unit verified and hardened"
else
  exit 1
fi
