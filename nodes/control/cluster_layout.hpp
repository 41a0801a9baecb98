#pragma once
// cluster_layout: what a client outside C++ needs to take telemetry without the topology file - the cluster
// id and replay window its envelopes are checked against, each node's telemetry endpoint, and the columns
// in global-id order (the order telemetry's column_index counts in) with their node, size, first global id
// and current region. The Python client (python/p3p) reads it instead of parsing the YAML, so the two can
// never disagree on defaults.
#include "nodes/control/command_handlers.hpp"

namespace p3p::control {

CommandResult describe_layout(CommandContext& cx);

}  // namespace p3p::control
