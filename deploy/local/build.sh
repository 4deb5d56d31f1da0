#!/usr/bin/env bash
# Builds everything the quick start runs into build/ (WSD_BUILD_DIR to build elsewhere):
# first the JS SDK's dist/ (the dashboard serves its ESM build at /dashboard/sdk/ for the
# WebRTC call test, and compiles it into wsd when it is there at configure time), then
# every C++ part of wsd (CI flags: warnings are errors).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${WSD_BUILD_DIR:-$root/build}
sdk=$root/sdk-js

if [ ! -f "$sdk/node_modules/.package-lock.json" ] || [ "$sdk/package-lock.json" -nt "$sdk/node_modules/.package-lock.json" ]; then
  (cd "$sdk" && npm ci --no-audit --no-fund --loglevel=error)
fi
# Only when a source changed: a new dist/ is embedded again, which relinks wsd.
if [ ! -f "$sdk/dist/esm/index.js" ] ||
  [ -n "$(find "$sdk/src" "$sdk"/tsconfig*.json "$sdk/package.json" -newer "$sdk/dist/esm/index.js" -print -quit)" ]; then
  (cd "$sdk" && node scripts/build.mjs)
fi

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWSD_WERROR=ON >/dev/null
cmake --build "$build" -j "$(nproc)"
