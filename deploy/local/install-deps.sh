#!/usr/bin/env bash
# Installs what building and testing wsd needs on Debian 12, from Debian's archive only,
# and fetches the libwebsockets source the gateway is built on (fetch-libwebsockets.sh).
# Skips apt entirely when everything is already there, so repeated runs are fast.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates curl jq
  libwebsockets-dev libevent-dev rapidjson-dev libvalijson-dev libssl-dev zlib1g-dev
  libgtest-dev libgmock-dev libbenchmark-dev libcurl4-openssl-dev libcli11-dev libspdlog-dev
  clang-format clang-tidy
  clang libclang-rt-14-dev
  redis-server redis-tools librdkafka-dev libhiredis-dev
  python3-aiosmtpd
  nginx openssl systemd
  podman runc mmdebstrap
  chromium fonts-wqy-microhei
)
if ! command -v node >/dev/null 2>&1; then packages+=(nodejs npm); fi
if ! command -v java >/dev/null 2>&1; then packages+=(openjdk-17-jre-headless); fi
if ! command -v mvn >/dev/null 2>&1; then packages+=(maven); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all Debian packages present"
else
  as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
  echo "install-deps: installing ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

echo "install-deps: libwebsockets source at $(bash "$here/fetch-libwebsockets.sh")"
