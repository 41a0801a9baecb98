#!/usr/bin/env bash
# Fuzzing (README "Fuzzing"): builds the libFuzzer targets of fuzz/ into build-fuzz/ (clang, ASan+UBSan) and
# runs each for a bounded time, two at a time on a 2-core machine. First every target replays its seeds
# (fuzz/corpus/<target>/) and its past crashes (fuzz/regressions/<target>/), then it fuzzes.
#   scripts/fuzz.sh                    every target, 20 s each (P3P_FUZZ_SECONDS overrides)
#   scripts/fuzz.sh --seconds 600 X Y  targets X and Y (names as in fuzz/, e.g. control_line), 10 min each
# A crash, leak, timeout (> 10 s for one input) or out-of-memory (> 2 GiB) fails the run (exit 1); the
# input that did it is in build-fuzz/crashes/<target>/, the fuzzer's output in build-fuzz/logs/<target>.log.
# New inputs the fuzzer finds go to build-fuzz/corpus/<target>/, never into the repository's seeds.
# Built at -O0 for runs of up to a minute a target (CI's 20 s: a clang ASan+UBSan+coverage file costs about
# 11 CPU s at -O0 against 19 at -O1, and ~80 files are built), at -O1 for longer runs (more inputs a second).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build-fuzz"
seconds=${P3P_FUZZ_SECONDS:-20}
if [ "${1:-}" = --seconds ]; then
  seconds=$2
  shift 2
fi
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in "$root"/fuzz/corpus/*/; do targets+=("$(basename "$f")"); done
fi

started=$(date +%s)
opt=-O1
[ "$seconds" -le 60 ] && opt=-O0
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S "$root" -B "$build" -DP3P_FUZZ=ON -DP3P_WERROR=ON -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_CXX_FLAGS_DEBUG="-gline-tables-only $opt" "${launcher[@]}" >/dev/null
cmake --build "$build" --target "${targets[@]/#/fuzz_}" -j "$(nproc)"
built=$(date +%s)
echo "fuzz: built ${#targets[@]} targets in $((built - started)) s; fuzzing each for $seconds s"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:symbolize=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

# One target: replay seeds and regressions, then fuzz. Prints one summary line; fails on any finding.
run_target() {
  local t=$1 exe="$build/fuzz/fuzz_$1" log="$build/logs/$1.log" crashes="$build/crashes/$1"
  local work="$build/corpus/$1" seeds="$root/fuzz/corpus/$1" regressions="$root/fuzz/regressions/$1"
  mkdir -p "$work" "$crashes" "$(dirname "$log")"
  rm -f "$crashes"/*  # what is there after the run is this run's
  local flags=(-timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$crashes/")
  [ -f "$root/fuzz/$t.dict" ] && flags+=(-dict="$root/fuzz/$t.dict")
  local status=ok
  : >"$log"
  # A past crash that is back fails the run, but the target still fuzzes: one finding hides no other.
  if compgen -G "$regressions/*" >/dev/null && ! "$exe" "${flags[@]}" "$regressions"/* >>"$log" 2>&1; then
    status="FAILED on a regression input (fuzz/regressions/$t)"
  fi
  if ! "$exe" "${flags[@]}" -max_total_time="$seconds" "$work" "$seeds" >>"$log" 2>&1; then
    status="${status/#ok/FAILED:} input in build-fuzz/crashes/$t/"
  fi
  local runs rate
  runs=$(grep -o 'number_of_executed_units: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || true)
  rate=$(grep -o 'average_exec_per_sec: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || true)
  printf 'fuzz: %-22s %10s runs %8s exec/s  %s\n' "$t" "${runs:-?}" "${rate:-?}" "$status"
  [ "$status" = ok ]
}

# Two at a time (each fuzzer is one process on one core); every failure is reported, then the run fails.
parallel=$(nproc)
[ "$parallel" -gt 2 ] && parallel=2
failed=0
pids=()
for t in "${targets[@]}"; do
  run_target "$t" &
  pids+=($!)
  if [ ${#pids[@]} -ge "$parallel" ]; then
    wait "${pids[0]}" || failed=1
    pids=("${pids[@]:1}")
  fi
done
for p in "${pids[@]}"; do wait "$p" || failed=1; done
echo "fuzz: stage took $(($(date +%s) - started)) s"
if [ $failed -ne 0 ]; then
  echo "fuzz: FAILED; the inputs are in $build/crashes/, the stacks in $build/logs/" >&2
  exit 1
fi
