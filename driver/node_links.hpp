#pragma once
// Signed requests to every node of a cluster over links that stay open: one DEALER per node, connected
// once, so a request costs a round trip, not a connection (control::NodeClient opens a socket per request,
// ~0.8 ms here; too slow for a closed loop). A batch of requests is sent at once and its replies gathered
// afterwards, so requests to several nodes travel together and a batch costs about one round trip.
// Each node answers its requests in the order they came, one reply each; a link whose reply did not come
// in time (or could not be read) is closed and opened again, so a late reply is never taken for the next.
// Steps (runtime/step, nodes/runtime/sim_step.hpp) go another way: straight to each node's simulation
// thread, on the endpoint its run_until answers name, with their own signer and replay guard (the node
// answers them from another signer than its event loop's, so the two sequences must not meet in one guard).
#include <chrono>
#include <cstddef>
#include <memory>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "client/node_requests.hpp"
#include "common/expected.hpp"
#include "common/error_code.hpp"
#include "topology/topology.hpp"

namespace p3p::driver {

struct NodeRequest {
  std::size_t node = 0;  // index in the topology's nodes
  node_api::NodeCall call;
};

class NodeLinks {
 public:
  static Expected<std::unique_ptr<NodeLinks>, Failure> open(const topology::Topology& t);
  ~NodeLinks();
  NodeLinks(const NodeLinks&) = delete;
  NodeLinks& operator=(const NodeLinks&) = delete;

  // Sends every request, then gathers the replies: one result per request, in the same order. A node
  // that does not answer within `timeout` of the send gets `unreachable`; its error replies keep their codes.
  std::vector<Expected<nlohmann::json, Failure>> exchange(std::span<const NodeRequest> requests,
                                                                        std::chrono::milliseconds timeout);

  // Where node `node` takes steps (its run_until answer's step_endpoint); a new one closes the old link.
  void set_step_endpoint(std::size_t node, const std::string& endpoint);
  // Every node's step endpoint is known.
  bool steps_known() const;
  // One step body per node (index = node), sent at once, then the answers gathered as exchange() does.
  // A null body: that node is not stepped, and its answer is null.
  // A link that fails is closed and its endpoint forgotten: the next run_until answer names it again.
  std::vector<Expected<nlohmann::json, Failure>> step(std::span<const nlohmann::json> bodies, std::chrono::milliseconds timeout);

 private:
  struct Impl;
  explicit NodeLinks(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The first error of a batch's results, if any (with `what` before its message).
Expected<void, Failure> first_error(const std::vector<Expected<nlohmann::json, Failure>>& results,
                                                  const std::string& what);

}  // namespace p3p::driver
