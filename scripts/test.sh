#!/usr/bin/env bash
# Quick start, the tests: install what is missing, build, run every test; then again under ASan+UBSan.
# Between the two, the fuzz targets run for a bounded time (scripts/fuzz.sh). Set P3P_SKIP_SANITIZE=1 to skip the
# sanitizer pass, P3P_SKIP_FUZZ=1 to skip fuzzing. Each phase prints how long it took (the CI log shows where
# the time goes); the sanitizer build builds only what its pass runs (cmake/sanitizer_selection.cmake).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc)
started=$SECONDS

# phase NAME COMMAND...: runs COMMAND, then says how long it took; its exit status is COMMAND's.
phase() {
  local name=$1 start=$SECONDS status=0
  shift
  "$@" || status=$?
  echo "test.sh: $name took $((SECONDS - start)) s (exit $status)"
  return "$status"
}

phase install-deps "$root/scripts/install-deps.sh" --test

phase "Release build" env BUILD_DIR="$root/build" "$root/scripts/build.sh"
phase "Release ctest" ctest --test-dir "$root/build" --output-on-failure -j "$jobs"
phase test-packages "$root/scripts/test-packages.sh"   # the .deb and .rpm from this build, installed and removed (as root)
if [ "${P3P_SKIP_FUZZ:-0}" != 1 ]; then
  phase fuzz "$root/scripts/fuzz.sh"
fi

if [ "${P3P_SKIP_SANITIZE:-0}" != 1 ]; then
  phase "sanitizer build" env BUILD_DIR="$root/build-asan" "$root/scripts/build.sh" -DCMAKE_BUILD_TYPE=Debug -DP3P_SANITIZE=ON
  phase "sanitizer ctest" env ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir "$root/build-asan" --output-on-failure -j "$jobs" -LE no_sanitize
fi
echo "test.sh: all passed in $((SECONDS - started)) s"
