#pragma once
// The one dispatcher: serves a checked Request (request.hpp) on the cluster and answers with the result or
// a Failure. It talks to every node - its own included - with signed requests (NodeClient), and it
// blocks while the cluster works: it runs in a control worker thread (control_service.hpp), never in a
// node's event loop. Results are what happened, after it happened. No wait is unbounded: requests to nodes
// have timeouts, snapshots bound their settling, and commands that run the cluster end when it stops
// making progress (cluster_wait.hpp).
#include <atomic>
#include <nlohmann/json.hpp>

#include "common/error_code.hpp"
#include "common/expected.hpp"
#include "client/node_client.hpp"
#include "nodes/control/region_layout.hpp"
#include "client/request.hpp"
#include "topology/topology.hpp"

namespace p3p::control {

class Dispatcher {
 public:
  // `cancel` (optional): set when the control node stops, so a command waiting on the cluster gives up.
  Dispatcher(const topology::Topology& topology, NodeClient& client, RegionStore& regions, const std::atomic<bool>* cancel = nullptr)
      : topo_(topology), client_(client), regions_(regions), cancel_(cancel) {}
  Expected<nlohmann::json, Failure> execute(const Request& request);

 private:
  Expected<nlohmann::json, Failure> status();
  Expected<nlohmann::json, Failure> stimulate_region(const nlohmann::json& args);
  Expected<nlohmann::json, Failure> broadcast(const char* kind, const char* arg, double value, const char* summed);
  Expected<nlohmann::json, Failure> echo(const std::string& node);
  Expected<nlohmann::json, Failure> to_every_node(const char* module, const char* kind, const nlohmann::json& body);
  Expected<nlohmann::json, Failure> weights(const std::string& column);
  Expected<nlohmann::json, Failure> update_regions(const nlohmann::json& regions);
  Expected<nlohmann::json, Failure> metrics(bool neurons, bool dump);

  const topology::Topology& topo_;
  NodeClient& client_;
  RegionStore& regions_;
  const std::atomic<bool>* cancel_;
};

}  // namespace p3p::control
