#!/usr/bin/env bash
# Installs the wsclient component of a build into a temporary prefix and builds a C++17
# program against it twice: through find_package(wsclient) and through pkg-config. Both
# programs then run (offline: they start a client against a closed port and close it).
set -euo pipefail
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cmake --install "$build" --component wsclient --prefix "$work/prefix" >/dev/null
pc_dir=$(dirname "$(find "$work/prefix" -name wsclient.pc)")

cmake -S "$here/consumer" -B "$work/with-cmake" -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/with-cmake" >/dev/null
"$work/with-cmake/consumer"

# shellcheck disable=SC2046
c++ -std=c++17 -Wall -Wextra -Wpedantic -Werror "$here/consumer/main.cpp" -o "$work/with-pkg-config" \
  $(PKG_CONFIG_PATH="$pc_dir" pkg-config --cflags --libs wsclient)
"$work/with-pkg-config"
echo "wsclient package: find_package and pkg-config consumers built (C++17) and ran"
