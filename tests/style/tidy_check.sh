#!/usr/bin/env bash
# clang-tidy (clang-tidy-14, Debian bookworm's; deploy/dev.sh installs it) over every product
# source file of the build in $1, with the checks of .clang-tidy; any warning fails.
# Usage: tests/style/tidy_check.sh BUILD_DIR [JOBS]. About 10 CPU-minutes.
set -euo pipefail
build=${1:?usage: $0 BUILD_DIR [JOBS]}
jobs=${2:-$(nproc)}
cd "$(dirname "$0")/../.."
# Product code only, not what the build generates: the tests, benchmarks and fuzzers follow
# GoogleTest's and libFuzzer's idioms.
filter="^$PWD/(common|keys|policy|adapters|gateway)/.*\\.cpp\$"
# -Wno-unknown-warning-option: the compile commands are GCC's (-Wno-restrict has no clang twin).
out=$(run-clang-tidy-14 -quiet -p "$build" -j "$jobs" \
        -extra-arg=-Wno-unknown-warning-option "$filter" 2>&1) || status=$?
if [ "${status:-0}" -ne 0 ] || grep -q 'warning:\|error:' <<<"$out"; then
  grep -E '(warning|error):' <<<"$out" | sort -u >&2 || true
  echo "clang-tidy found the above (fix it, or NOLINT(check) with a reason in place)" >&2
  exit 1
fi
echo "clang-tidy: no warnings"
