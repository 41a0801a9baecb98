#!/usr/bin/env bash
# Quick start, the main job: install what is missing, build, and check the default three-node topology.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
p3pctl="$root/build/cli/p3pctl"
key="$root/topology/cluster.key"
[ -f "$key" ] || "$p3pctl" keygen "$key"
"$p3pctl" validate "$root/topology/default.yaml"
