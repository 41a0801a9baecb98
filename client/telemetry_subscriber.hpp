#pragma once
// The subscriber side of telemetry, shared by p3pctl watch and the telemetry bench: a SUB connected to
// some nodes' PUB sockets, every message verified (signature, cluster, replay) before it is used, and per
// node whether its subscriptions are in place yet. A node answers each subscription with a signed marker
// (telemetry_format.hpp); it counts as subscribed once, for its current process (boot), a marker has come
// for every prefix subscribed. Before that, what the node publishes may or may not arrive (ZeroMQ's slow
// joiner), so messages are handed out only from subscribed nodes, and only from the boot that answered. A
// node that restarts gets the subscriptions again from the SUB (which reconnects by itself) and answers
// with new markers: it counts as subscribed again from its new boot's markers on.
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>
#include <zmq.hpp>

#include "bus/inbox.hpp"
#include "bus/key_file.hpp"
#include "bus/sockets.hpp"
#include "common/expected.hpp"
#include "topology/topology.hpp"

namespace p3p::control {

// One received message: `env` is verified and points into `raw`, so fill it in place and keep it there.
struct Telemetry {
  bus::PublishedMessage raw;
  bus::EnvelopeView env;
  std::string node() const { return std::string(env.sender); }
};

class TelemetrySubscriber {
 public:
  enum class Got {
    nothing,     // the time ran out
    message,     // telemetry from a subscribed node (never a marker)
    subscribed,  // a node (into.node()) has just become subscribed: first time, or a new boot
  };

  // Connects to the PUB of each of `nodes` (ids of `topo`) and subscribes to every prefix.
  static Expected<std::unique_ptr<TelemetrySubscriber>, std::string> open(const topology::Topology& topo,
                                                                         const bus::ClusterKey& key,
                                                                         const std::vector<std::string>& nodes,
                                                                         const std::vector<std::string>& prefixes,
                                                                         const bus::SocketOptions& options = {});
  TelemetrySubscriber(const TelemetrySubscriber&) = delete;
  TelemetrySubscriber& operator=(const TelemetrySubscriber&) = delete;

  // The next message or subscription, waiting up to `timeout`. Markers and anything from a node not
  // subscribed (yet, or in its current boot) are consumed here.
  Got next(Telemetry& into, std::chrono::milliseconds timeout);
  // Waits up to `timeout` until every node is subscribed (what arrives meanwhile is dropped); true if so.
  bool wait_subscribed(std::chrono::milliseconds timeout);

  bool all_subscribed() const;
  std::vector<std::string> subscribed() const;  // in topology order
  std::vector<std::string> missing() const;     // not (yet) subscribed, in topology order
  std::uint64_t rejected() const { return rejected_; }  // envelopes that failed verification, bad markers

 private:
  struct NodeState {
    std::string id;
    std::optional<std::uint64_t> boot;  // the boot whose markers are counted
    std::vector<bool> answered;         // per prefix
    bool complete = false;
  };
  TelemetrySubscriber(const bus::ClusterKey& key, const bus::InboxConfig& config, const bus::SocketOptions& options);
  bool on_marker(NodeState& node, const bus::EnvelopeView& env);  // true: the node has just become subscribed

  zmq::context_t context_{1};
  bus::Sub sub_;
  bus::Inbox inbox_;
  std::vector<std::string> prefixes_;
  std::vector<NodeState> nodes_;  // in topology order
  std::uint64_t rejected_ = 0;
};

}  // namespace p3p::control
