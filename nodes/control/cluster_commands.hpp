#pragma once
// The commands that ask several nodes and put their answers together (the handlers' building blocks;
// the snapshot protocol is cluster_snapshot.hpp, the demo and advance cluster_demo.hpp).
#include <string>

#include "client/node_requests.hpp"
#include "nodes/control/command_handlers.hpp"

namespace p3p::control {

// Every node's status (client/cluster_status.hpp) and the cluster's regions.
CommandResult status_with_regions(CommandContext& cx);
// `call` to every node running cortex7; all must answer. The result: {arg: the call's `arg`, nodes
// reached, and `summed` (if given) added up over the answers}.
CommandResult to_cortex_nodes(CommandContext& cx, const node_api::NodeCall& call, const char* arg, const char* summed);
// `call` to every node; all must answer. The result: {nodes: each node's answer by id}.
CommandResult to_every_node(CommandContext& cx, const node_api::NodeCall& call);
CommandResult column_weights(CommandContext& cx, const std::string& column);
// set_weights: cortex7/set_weights on the column's node (unknown_column for either column).
CommandResult write_weights(CommandContext& cx, const std::string& column, const std::string& from, const nlohmann::json& synapses);
// reset_region: cortex7/reset on every node holding a column of the region (unknown_region).
CommandResult reset_region(CommandContext& cx, const std::string& region, bool weights);
// reward_global with a region: cortex7/reward {value, columns} on every node holding a column of the
// region (unknown_region): only the projections onto them take it.
CommandResult reward_region(CommandContext& cx, const std::string& region, double value);
CommandResult echo_node(CommandContext& cx, const std::string& node);
// update_regions: two phases, so the layout changes on every node or on none.
CommandResult update_regions(CommandContext& cx, const nlohmann::json& regions);
// Every node's metrics document gathered (client/metrics_format.hpp); with `dump`, also written to the
// topology's metrics.dump_path.
CommandResult gather_metrics(CommandContext& cx, bool neurons, bool dump);

}  // namespace p3p::control
