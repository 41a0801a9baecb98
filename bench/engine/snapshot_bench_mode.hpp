#pragma once
// `p3p-node snapshot-bench --topology FILE`: the measuring half of `p3pctl bench --snapshot`, run by p3pctl
// against the bench cluster it started (p3pctl links no server code, so the snapshot protocol and the part
// codec are run here). Takes a cluster snapshot with the control dispatcher's own code
// (control/cluster_snapshot.hpp), reads its parts back for their sizes, loads it, and prints one JSON line:
// tick, create_s, create_hold_s, load_s, load_stage_s, file_bytes, state_bytes, file_to_state, plastic_synapses.
#include <CLI/CLI.hpp>

namespace p3p::node {

// Adds the `snapshot-bench` subcommand to `app`; its callback runs the measurement and sets `exit_code`.
void add_snapshot_bench_command(CLI::App& app, int& exit_code);

}  // namespace p3p::node
