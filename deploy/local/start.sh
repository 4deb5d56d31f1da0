#!/usr/bin/env bash
# Quick start, command 1: installs what is needed, builds, and runs wsd in embedded mode
# on http://127.0.0.1:8080 (data in ./data). The admin token is printed on the first start (and kept in data/admin-token).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bash "$root/deploy/local/install-deps.sh"
bash "$root/deploy/local/build.sh"
exec "$root/build/server/wsd" all --listen "${WSD_LISTEN:-127.0.0.1:8080}" --data-dir "${WSD_DATA_DIR:-$root/data}" "$@"
