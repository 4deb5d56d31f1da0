#!/usr/bin/env bash
# Configures and builds every C++ part of wsd into build/ (CI flags: warnings are errors).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cmake -S "$root" -B "$root/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWSD_WERROR=ON >/dev/null
cmake --build "$root/build" -j "$(nproc)"
