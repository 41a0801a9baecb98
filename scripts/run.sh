#!/usr/bin/env bash
# Quick start, the main job: install what is missing, build, then bring up the default three-node cluster,
# run the stimulation demo (spikes per node and region), show the status, and bring it down again.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
p3pctl="$root/build/cli/p3pctl"
topology="$root/topology/default.yaml"
key="$root/topology/cluster.key"
[ -f "$key" ] || "$p3pctl" keygen "$key"
"$p3pctl" validate "$topology"
echo
trap '"$p3pctl" down "$topology" --run-dir "$root/.p3p"' EXIT
"$p3pctl" up "$topology" --run-dir "$root/.p3p"   # prints the nodes: every one up, its mesh connected
echo
"$p3pctl" demo --topology "$topology"
echo
"$p3pctl" status --topology "$topology"
