#!/usr/bin/env bash
# Quick start, the tests: install what is missing, build, run every test; then again under ASan+UBSan.
# Between the two, the fuzz targets run for a bounded time (scripts/fuzz.sh). Set P3P_SKIP_SANITIZE=1 to skip the
# sanitizer pass, P3P_SKIP_FUZZ=1 to skip fuzzing.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc)
"$root/scripts/install-deps.sh" --test

BUILD_DIR="$root/build" "$root/scripts/build.sh"
(cd "$root/build" && ctest --output-on-failure -j "$jobs")
"$root/scripts/test-packages.sh"   # the .deb and .rpm from this build, installed and removed (as root)
[ "${P3P_SKIP_FUZZ:-0}" = 1 ] || "$root/scripts/fuzz.sh"

if [ "${P3P_SKIP_SANITIZE:-0}" != 1 ]; then
  BUILD_DIR="$root/build-asan" "$root/scripts/build.sh" -DCMAKE_BUILD_TYPE=Debug -DP3P_SANITIZE=ON
  (cd "$root/build-asan" && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
     ctest --output-on-failure -j "$jobs" -LE no_sanitize)
fi
