#!/usr/bin/env bash
# Quick start, command 1: installs what is needed, builds (build.sh), and runs wsd in
# embedded mode on http://127.0.0.1:8080 (data in ./data). The admin token is printed on
# the first start (and kept in data/admin-token). Extra arguments go to wsd.
#   WSD_LISTEN, WSD_DATA_DIR   another address or data directory
#   WSD_BUILD_DIR              the build directory (default: build/)
#   WSD_NO_BUILD=1             run the wsd already built there: no install, no build
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
export WSD_BUILD_DIR=${WSD_BUILD_DIR:-$root/build}
if [ "${WSD_NO_BUILD:-0}" != 1 ]; then
  bash "$root/deploy/local/install-deps.sh"
  bash "$root/deploy/local/build.sh"
fi
exec "$WSD_BUILD_DIR/server/wsd" all --listen "${WSD_LISTEN:-127.0.0.1:8080}" --data-dir "${WSD_DATA_DIR:-$root/data}" "$@"
