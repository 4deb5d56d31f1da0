#!/usr/bin/env bash
# Quick start, command 2: installs everything, builds once, and runs every test with
# CTest (unit, schema and integration suites in parallel). Ends with CTest's summary.
# The sanitized build and the fuzz targets (docs/testing.md) are built here, one build
# after another with every core, so that CTest only runs them.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bash "$root/deploy/local/install-deps.sh"
bash "$root/deploy/local/build.sh"
bash "$root/tools/ci/sanitize.sh" build
bash "$root/tools/ci/fuzz.sh" build
# The Node test suites (independent clients: ws, eventsource, ajv) install from npm.
for lock in "$root"/schemas/test/package-lock.json "$root"/server/test/integration/package-lock.json \
  "$root"/conformance/test/package-lock.json "$root"/conformance/examples/minimal-server/package-lock.json \
  "$root"/sdk-js/package-lock.json \
  "$root"/docs/test/package-lock.json "$root"/dashboard/test/package-lock.json \
  "$root"/tools/wslog/test/report/package-lock.json; do
  [ -f "$lock" ] && (cd "$(dirname "$lock")" && npm ci --no-audit --no-fund --loglevel=error)
done
# The Kafka broker's jars, before the suites that start brokers in parallel.
bash "$root/deploy/local/kafka.sh" fetch >/dev/null
cd "$root/build"
ctest --output-on-failure -j "$(nproc)" --timeout 600
