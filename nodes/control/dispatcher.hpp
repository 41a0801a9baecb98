#pragma once
// The one dispatcher: serves a checked Request (request.hpp) on the cluster and answers with the result or
// a ControlError. It talks to every node - its own included - with signed requests (NodeClient), and it
// blocks while the cluster works: it runs in a control worker thread (control_service.hpp), never in a
// node's event loop. Results are what happened, after it happened. No wait is unbounded: requests to nodes
// have timeouts, snapshots bound their settling, and commands that run the cluster end when it stops
// making progress (cluster_wait.hpp).
#include <atomic>
#include <nlohmann/json.hpp>

#include "common/expected.hpp"
#include "client/error.hpp"
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
  Expected<nlohmann::json, ControlError> execute(const Request& request);

 private:
  Expected<nlohmann::json, ControlError> status();
  Expected<nlohmann::json, ControlError> stimulate_region(const nlohmann::json& args);
  Expected<nlohmann::json, ControlError> broadcast(const char* kind, const char* arg, double value, const char* summed);
  Expected<nlohmann::json, ControlError> echo(const std::string& node);
  Expected<nlohmann::json, ControlError> to_every_node(const char* module, const char* kind, const nlohmann::json& body);
  Expected<nlohmann::json, ControlError> weights(const std::string& column);
  Expected<nlohmann::json, ControlError> update_regions(const nlohmann::json& regions);
  Expected<nlohmann::json, ControlError> metrics(bool neurons, bool dump);

  const topology::Topology& topo_;
  NodeClient& client_;
  RegionStore& regions_;
  const std::atomic<bool>* cancel_;
};

}  // namespace p3p::control
