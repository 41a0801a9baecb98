#pragma once
// `p3p-node --topology FILE --node ID`: run one node of a cluster (the default mode, no subcommand).
#include <CLI/CLI.hpp>

namespace p3p::node {

// Adds the node options to the top-level app; returns a function that runs the node once the command line
// is parsed (call it only when no subcommand was given). Exit codes: 0 clean stop, 1 failure, 2 usage.
std::function<int()> add_node_mode(CLI::App& app);

}  // namespace p3p::node
