#pragma once
// The cluster's metrics, gathered, and the metrics dump file (client/metrics_format.hpp has its format):
// gathered by the `metrics` command and by the control node as it stops - one path for both - and
// written by the control node on `metrics --dump` and as it stops.
#include <chrono>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "client/node_client.hpp"
#include "common/expected.hpp"
#include "topology/topology.hpp"

namespace p3p::control {

// A node that answers for itself without being asked: the control node on its way out, whose loop no
// longer serves requests.
struct OwnMetrics {
  std::string node;
  std::function<nlohmann::json()> document;
};

// Every node's metrics document (runtime/metrics, with per-neuron counts if `neurons`), each asked with
// `timeout`, put together (cluster_metrics); a node that did not answer - or every other node, without a
// client - appears as its error's text.
nlohmann::json gather_cluster_metrics(const topology::Topology& t, NodeClient* client, bool neurons,
                                      std::chrono::milliseconds timeout, const OwnMetrics* own = nullptr);

// Writes the cluster document to `path` atomically (temporary file, fsync, rename): a reader - or a crash at
// any moment - sees the previous dump or this one, whole. Adds "written" (UTC) and "unix_ms".
Expected<void, std::string> write_metrics_dump(const std::filesystem::path& path, nlohmann::json cluster);

}  // namespace p3p::control
