#pragma once
// p3pctl's link to nodes: one signed request, one signed reply, over a DEALER connected to the node's
// ROUTER. p3pctl signs as the reserved sender "p3pctl" (nodes accept it besides the node ids; no node may
// take that name) with the cluster key the topology names; every invocation is a new boot, so its seq
// numbers start at 1 without tripping the nodes' replay guard. Bodies are msgpack (JSON-shaped values).
#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <zmq.hpp>

#include "bus/inbox.hpp"
#include "bus/key_file.hpp"
#include "bus/outbox.hpp"
#include "common/error_code.hpp"
#include "client/node_requests.hpp"
#include "common/expected.hpp"
#include "topology/topology.hpp"

namespace p3p::control {

inline constexpr std::string_view kClientSender = "p3pctl";
// How long the control server gives a node to answer one request that does not itself run the cluster.
inline constexpr std::chrono::milliseconds kRequestTimeout{2000};

// Why a request got no result (a Failure): the node's error code from an `error` reply (bad_args,
// not_here, ...), or one of the client's own: unreachable (no reply in time), bad_reply (refused,
// unreadable, or naming no code this client knows).

class NodeClient {
 public:
  static Expected<std::unique_ptr<NodeClient>, std::string> open(const topology::Topology& t);
  virtual ~NodeClient() = default;

  // The reply body, or why there is none.
  Expected<nlohmann::json, Failure> call(const topology::Node& node, const node_api::NodeCall& call,
                                        std::chrono::milliseconds timeout) {
    return request(node, call.module(), call.kind(), call.body, timeout);
  }
  // Any module/kind and body, unchecked: call() goes through it; tests call it directly only to send what
  // no builder would. Virtual: the one seam at the transport, where a test of the protocols above (the
  // dispatcher's) loses or refuses one node's message (tests/support/fault_client.hpp).
  virtual Expected<nlohmann::json, Failure> request(const topology::Node& node, std::string_view module,
                                                   std::string_view kind, const nlohmann::json& body,
                                                   std::chrono::milliseconds timeout);

 protected:
  NodeClient(const topology::Topology& t, bus::ClusterKey key);

 private:
  bus::ClusterKey key_;
  zmq::context_t context_{1};
  bus::Outbox outbox_;
  bus::Inbox inbox_;
};

// A verified reply from `node`: its body, or the Failure an `error` reply (or an unreadable body) stands for.
Expected<nlohmann::json, Failure> read_reply(const topology::Node& node, const bus::EnvelopeView& reply);

// What a client's inbox accepts from a topology's cluster: its name, its nodes as senders, its replay
// window. A node accepts clients besides (runtime/node.cpp adds kClientSender).
bus::InboxConfig inbox_config(const topology::Topology& t);

// tcp://host:port of a node's ROUTER (localhost = 127.0.0.1).
std::string router_endpoint(const topology::Node& node);

}  // namespace p3p::control
