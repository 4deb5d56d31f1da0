#!/usr/bin/env bash
# The fuzz job: the libFuzzer targets of server/fuzz, built with Debian's clang
# (-fsanitize=fuzzer,address,undefined) into build-fuzz/, each run for a bounded time
# from its seed corpus (server/fuzz/corpus/<target>/).
#
# Usage: fuzz.sh build          configure and build the targets (incremental)
#        fuzz.sh run TARGET     fuzz one target for WSD_FUZZ_SECONDS (default 30)
#        fuzz.sh targets        list the targets
#        fuzz.sh                build, then run every target
#
# New inputs found while fuzzing go to build-fuzz/corpus/<target>/, never into the
# committed seeds; a crashing input is kept as build-fuzz/artifacts/<target>-crash-<sha1>.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${WSD_FUZZ_BUILD:-$root/build-fuzz}
seconds=${WSD_FUZZ_SECONDS:-30}
targets=(client_message_fuzz event_decode_fuzz http_request_fuzz stream_request_fuzz segment_log_fuzz)

configure_and_build() {
  local launcher=()
  if command -v ccache >/dev/null 2>&1; then
    launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
  fi
  CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" -DWSD_FUZZ=ON "${launcher[@]}" >/dev/null
  cmake --build "$build" --target "${targets[@]}" -j "$(nproc)"
}

run_target() {
  local target=$1
  local work=$build/corpus/$target
  mkdir -p "$work" "$build/artifacts"
  export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1"
  export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
  # -timeout: one input taking longer is a hang and fails the run, as a crash does.
  "$build/server/fuzz/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$build/artifacts/$target-" "$work" "$root/server/fuzz/corpus/$target"
}

case "${1:-all}" in
  build) configure_and_build ;;
  run) run_target "${2:?target name}" ;;
  targets) printf '%s\n' "${targets[@]}" ;;
  all)
    configure_and_build
    for target in "${targets[@]}"; do run_target "$target"; done
    ;;
  *) echo "usage: fuzz.sh [build | run TARGET | targets]" >&2; exit 2 ;;
esac
