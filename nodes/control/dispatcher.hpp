#pragma once
// The one dispatcher: serves a checked Request (request.hpp) on the cluster and answers with the result or
// a Failure. It looks the request's command up in the handler table (command_handlers.hpp) and runs its
// handler, which talks to every node - its own included - with signed requests (NodeClient); it blocks
// while the cluster works: it runs in a control worker thread (control_service.hpp), never in a node's
// event loop. Results are what happened, after it happened. No wait is unbounded: requests to nodes have
// timeouts, snapshots bound their settling, and commands that run the cluster end when it stops making
// progress (cluster_wait.hpp).
#include <atomic>
#include <nlohmann/json.hpp>

#include "client/node_client.hpp"
#include "client/request.hpp"
#include "common/error_code.hpp"
#include "common/expected.hpp"
#include "nodes/control/command_handlers.hpp"
#include "nodes/control/region_layout.hpp"
#include "topology/topology.hpp"

namespace p3p::control {

class Dispatcher {
 public:
  // `cancel` (optional): set when the control node stops, so a command waiting on the cluster gives up.
  // `experiments` (optional): the running experiment's state, shared with the other worker.
  Dispatcher(const topology::Topology& topology, NodeClient& client, RegionStore& regions, const std::atomic<bool>* cancel = nullptr,
             ExperimentState* experiments = nullptr)
      : context_{topology, client, regions, cancel, experiments} {}
  Expected<nlohmann::json, Failure> execute(const Request& request);

 private:
  CommandContext context_;
};

}  // namespace p3p::control
