#!/usr/bin/env bash
# The sanitizer job: wsd and its unit tests built with AddressSanitizer, LeakSanitizer and
# UndefinedBehaviorSanitizer (-fno-sanitize-recover=all) into build-sanitize/, then the
# unit tests and the embedded-backend integration suites run against that binary.
#
# Usage: sanitize.sh build              configure and build (incremental)
#        sanitize.sh unit               run wsd_unit_tests
#        sanitize.sh integration NAME   run server/test/integration/NAME.test.mjs
#        sanitize.sh                    all of the above, every suite in sanitize_suites
#
# A report from a wsd started by a suite must fail that suite even when the test itself
# passed (a leak is reported at exit, after the test has seen what it wanted): every
# sanitized process writes its reports to <logs>/<suite>.<pid>, and a suite passes only
# if that folder stays empty.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${WSD_SANITIZE_BUILD:-$root/build-sanitize}
logs=$build/sanitizer-logs

# The suites that run on the embedded log and in-memory state (no Kafka, no Redis).
sanitize_suites=(messaging offline presence poll sse_resume bad_input rooms handshake revocation heartbeat durability
  session_ownership budgets strictness log_integrity)

configure_and_build() {
  local launcher=()
  if command -v ccache >/dev/null 2>&1; then
    launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
  fi
  # -O1 keeps the sanitized binaries fast enough for the integration suites' timeouts
  # while leaving stack traces readable; assertions stay on.
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" -DWSD_SANITIZE=ON "${launcher[@]}" >/dev/null
  cmake --build "$build" --target wsd wsd_unit_tests -j "$(nproc)"
}

# Options for every sanitized process of one run: stop at the first report, with a stack.
export_sanitizer_options() {
  local log_prefix=$1
  export ASAN_OPTIONS="halt_on_error=1:abort_on_error=0:detect_leaks=1:detect_stack_use_after_return=1:strict_init_order=1:check_initialization_order=1:log_path=$log_prefix"
  export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$log_prefix"
  export LSAN_OPTIONS="suppressions=$root/tools/ci/lsan.supp:print_suppressions=0"
}

# Fails (printing them) if any sanitized process of the run wrote a report.
check_reports() {
  local dir=$1
  local reports
  reports=$(find "$dir" -type f 2>/dev/null | sort)
  if [ -n "$reports" ]; then
    for report in $reports; do
      echo "=== sanitizer report: $report" >&2
      cat "$report" >&2
    done
    return 1
  fi
}

run_unit() {
  local dir=$logs/unit
  rm -rf "$dir" && mkdir -p "$dir"
  export_sanitizer_options "$dir/wsd_unit_tests"
  local status=0
  "$build/server/test/wsd_unit_tests" --gtest_brief=1 || status=$?
  check_reports "$dir" || status=1
  return "$status"
}

run_integration() {
  local suite=$1
  local dir=$logs/$suite
  rm -rf "$dir" && mkdir -p "$dir"
  export_sanitizer_options "$dir/$suite"
  local status=0
  (cd "$root/server/test/integration" &&
    WSD_BIN="$build/server/wsd" WSD_SCHEMAS="$root/schemas" node --test --test-reporter=spec "./$suite.test.mjs") ||
    status=$?
  check_reports "$dir" || status=1
  return "$status"
}

case "${1:-all}" in
  build) configure_and_build ;;
  unit) run_unit ;;
  integration) run_integration "${2:?suite name}" ;;
  suites) printf '%s\n' "${sanitize_suites[@]}" ;;
  all)
    configure_and_build
    failed=0
    run_unit || failed=1
    for suite in "${sanitize_suites[@]}"; do run_integration "$suite" || failed=1; done
    exit "$failed"
    ;;
  *) echo "usage: sanitize.sh [build | unit | integration NAME | suites]" >&2; exit 2 ;;
esac
