#pragma once
// What the cluster verbs (up, down, status, demo) share: the run dir option and finding and loading the topology.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <string>

#include "cli/local_nodes.hpp"
#include "common/expected.hpp"
#include "topology/topology.hpp"

namespace p3p::cli {

// Adds `--run-dir DIR` (default ./.p3p).
void add_run_dir_option(CLI::App& sub, std::string& run_dir);

// The topology a verb acts on: `given` (--topology), else $P3P_TOPOLOGY, else the one last brought up
// from `run_dir`, else the one last brought up on this machine (any run dir: cluster_registry.hpp); empty
// if none of these names one.
std::string resolve_topology_file(const std::string& given, const std::string& run_dir);

// Loads and validates a topology; the error lists every problem as file:line:col: message.
Expected<topology::Topology, std::string> load_topology(const std::string& file);

}  // namespace p3p::cli
