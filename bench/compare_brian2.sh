#!/usr/bin/env bash
# Runs p3p-node's reference workload and the same model in Brian2 (bench/brian2_model.py, cpp_standalone)
# side by side, and prints one JSON line per run, ours and Brian2's, each tagged with "config" and "run".
#   bench/compare_brian2.sh [--runs N] [--ticks T] [--only static10k|plastic10k|static100k|threads100k]
# Both programs take the model and the default run (in-degree, ticks, seed) from bench/reference_workload.json;
# a config below names its size and what else it changes.
# Environment: P3P_NODE (p3p-node binary), PYTHON (default /usr/bin/python3; needs Debian's python3-brian),
# SKIP_BRIAN2=1 to run ours only. Every Brian2 run generates and compiles its C++ first (compile_s); its
# sim_wall_s is Brian's own measurement of the simulation loop, comparable to ours (tick loop only).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
runs=1
ticks=()  # empty: the declared default
only=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --ticks) ticks=(--ticks "$2"); shift 2 ;;
    --only) only="$2"; shift 2 ;;
    *) echo "usage: $0 [--runs N] [--ticks T] [--only CONFIG]" >&2; exit 2 ;;
  esac
done
node="${P3P_NODE:-}"
if [[ -z "$node" ]]; then
  for c in "$here/build/nodes/p3p-node" "$here/build-cortex/nodes/p3p-node"; do
    [[ -x "$c" ]] && { node="$c"; break; }
  done
fi
[[ -x "$node" ]] || { echo "p3p-node not found: build it or set P3P_NODE" >&2; exit 1; }
brian="$here/bench/brian2_model.py"
python="${PYTHON:-/usr/bin/python3}"

# name | brian2 (run Brian2 too) | arguments for both, beyond the declared defaults
configs=(
  "static10k|brian2|--neurons 10000"
  "plastic10k|brian2|--neurons 10000 --plastic"
  "static100k|brian2|--neurons 100000"
  "threads100k||--neurons 100000 --threads 2"
)
tag() { sed -e "s/^{/{\"config\":\"$1\",\"run\":$2,/"; }
for entry in "${configs[@]}"; do
  IFS='|' read -r name brian2 changes <<<"$entry"
  [[ -n "$only" && "$only" != "$name" ]] && continue
  for ((r = 1; r <= runs; r++)); do
    # shellcheck disable=SC2086
    "$node" bench $changes "${ticks[@]}" | tag "$name" "$r"
    if [[ -n "$brian2" && "${SKIP_BRIAN2:-0}" != 1 ]]; then
      # shellcheck disable=SC2086
      "$python" "$brian" $changes "${ticks[@]}" 2>/dev/null | tail -n 1 | tag "$name" "$r"
    fi
  done
done
