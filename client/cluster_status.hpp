#pragma once
// The cluster as p3pctl sees it: every node's own status (asked over the wire), each labelled
//   up   - it answered;
//   lost - it did not answer, and a node that did answer reports it lost (heartbeats stopped);
//   down - it did not answer and nobody reports it lost (never started, or stopped cleanly).
// When every node is up, "raster_hash" is the cluster's raster fingerprint: the sum (mod 2^64) of the
// nodes' partial sums, the same for any spread of the columns over nodes.
#include <chrono>
#include <nlohmann/json.hpp>

#include "client/node_client.hpp"
#include "topology/topology.hpp"

namespace p3p::control {

nlohmann::json cluster_status(const topology::Topology& t, NodeClient& client,
                              std::chrono::milliseconds per_node_timeout = std::chrono::milliseconds(800));

}  // namespace p3p::control
