#pragma once
// What the cluster verbs (up, down, status) share: the run dir option and loading the topology.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <string>

#include "cli/local_nodes.hpp"
#include "common/expected.hpp"
#include "topology/topology.hpp"

namespace p3p::cli {

// Adds `--run-dir DIR` (default ./.p3p).
void add_run_dir_option(CLI::App& sub, std::string& run_dir);

// Loads and validates a topology; the error lists every problem as file:line:col: message.
Expected<topology::Topology, std::string> load_topology(const std::string& file);

}  // namespace p3p::cli
