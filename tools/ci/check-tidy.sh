#!/usr/bin/env bash
# Runs clang-tidy (.clang-tidy at the root) over the sources of wsd and wslog with the build's compile commands.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
cd "$root"
files=$(git ls-files -co --exclude-standard 'server/src/*.cpp' 'tools/wslog/src/*.cpp')
# shellcheck disable=SC2086
printf '%s\n' $files | xargs -P "$(nproc)" -n 4 clang-tidy -p "$build" --quiet --extra-arg=-Wno-ambiguous-reversed-operator 2>/dev/null
echo "clang-tidy: no findings"
