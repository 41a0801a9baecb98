#pragma once
// Control commands that change columns' learned state, each sent to the node(s) holding the columns
// (node_engine_requests.cpp on the node side):
//   set_weights {column, from, synapses}  cortex7/set_weights on the column's node
//   reset_region {region, weights}        cortex7/reset on every node holding a column of the region (the
//                                         current layout: update_regions regroups), node by node
// Errors: unknown_column, unknown_region, and the nodes' own (bad_args, not_ready, unreachable, ...). A
// node failing a reset after others did is named in the message with the nodes already reset.
#include <nlohmann/json.hpp>

#include "client/node_client.hpp"
#include "common/error_code.hpp"
#include "common/expected.hpp"
#include "nodes/control/region_layout.hpp"
#include "topology/topology.hpp"

namespace p3p::control {

Expected<nlohmann::json, Failure> set_weights(const topology::Topology& t, NodeClient& client, const nlohmann::json& args);
Expected<nlohmann::json, Failure> reset_region(const topology::Topology& t, const RegionLayout& layout, NodeClient& client,
                                               const nlohmann::json& args);

}  // namespace p3p::control
