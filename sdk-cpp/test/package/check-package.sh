#!/usr/bin/env bash
# Builds sdk-cpp the ways an app can, each in a fresh temporary directory, with a C++17
# program on top, and runs the program (offline: it starts a client against a closed port
# and closes it):
#  1. sdk-cpp configured alone and installed into a prefix: find_package(wsclient);
#  2. the same prefix through pkg-config;
#  3. add_subdirectory(sdk-cpp) in the app's project;
#  4. FetchContent with SOURCE_DIR on this sdk-cpp, so nothing is downloaded.
# Usage: check-package.sh [SDK_CPP_DIR] (default: the sdk-cpp this script belongs to)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
sdk=$(cd "${1:-$here/../..}" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
main="$here/consumer/main.cpp"

# The app's CMakeLists.txt: $1 brings in wsclient::wsclient.
write_app() {
  mkdir -p "$2"
  cp "$main" "$2/main.cpp"
  cat >"$2/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.16)
project(app LANGUAGES CXX)
set(CMAKE_CXX_STANDARD 17)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
set(CMAKE_CXX_EXTENSIONS OFF)
$1
add_executable(app main.cpp)
target_compile_options(app PRIVATE -Wall -Wextra -Wpedantic -Werror)
target_link_libraries(app PRIVATE wsclient::wsclient)
CMAKE
}

build_and_run() {
  local way=$1 dir=$2
  shift 2
  cmake -S "$dir" -B "$dir/build" "${launcher[@]}" "$@" >"$work/$way.log" 2>&1 ||
    { cat "$work/$way.log"; echo "FAIL $way: configure"; exit 1; }
  cmake --build "$dir/build" -j2 >>"$work/$way.log" 2>&1 || { cat "$work/$way.log"; echo "FAIL $way: build"; exit 1; }
  "$dir/build/app" || { echo "FAIL $way: the program failed"; exit 1; }
  echo "ok   $way"
}

# 1 and 2: alone, installed.
cmake -S "$sdk" -B "$work/sdk-build" "${launcher[@]}" -DCMAKE_INSTALL_PREFIX="$work/prefix" >"$work/sdk.log" 2>&1 ||
  { cat "$work/sdk.log"; echo "FAIL: sdk-cpp does not configure alone"; exit 1; }
cmake --build "$work/sdk-build" -j2 >>"$work/sdk.log" 2>&1 || { cat "$work/sdk.log"; echo "FAIL: sdk-cpp alone does not build"; exit 1; }
cmake --install "$work/sdk-build" >>"$work/sdk.log" 2>&1 || { cat "$work/sdk.log"; echo "FAIL: install"; exit 1; }
echo "ok   sdk-cpp alone: configured, built, installed"

write_app "find_package(wsclient 0.1 REQUIRED)" "$work/find-package"
build_and_run find_package "$work/find-package" -DCMAKE_PREFIX_PATH="$work/prefix"

pc_dir=$(dirname "$(find "$work/prefix" -name wsclient.pc)")
# shellcheck disable=SC2046
c++ -std=c++17 -Wall -Wextra -Wpedantic -Werror "$main" -o "$work/with-pkg-config" \
  $(PKG_CONFIG_PATH="$pc_dir" pkg-config --cflags --libs wsclient)
"$work/with-pkg-config" || { echo "FAIL pkg-config: the program failed"; exit 1; }
echo "ok   pkg-config"

write_app "add_subdirectory(\"$sdk\" wsclient)" "$work/add-subdirectory"
build_and_run add_subdirectory "$work/add-subdirectory"
[ ! -e "$work/add-subdirectory/build/wsclient/wsclient_chat" ] ||
  { echo "FAIL add_subdirectory: the SDK's examples were built into the app"; exit 1; }

write_app "include(FetchContent)
FetchContent_Declare(wsclient SOURCE_DIR \"$sdk\")
FetchContent_MakeAvailable(wsclient)" "$work/fetch-content"
build_and_run FetchContent "$work/fetch-content" -DFETCHCONTENT_FULLY_DISCONNECTED=ON

echo "wsclient: find_package, pkg-config, add_subdirectory and FetchContent consumers built (C++17) and ran"
