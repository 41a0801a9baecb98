#pragma once
// Waiting for the cluster to come to rest at a tick, bounded by lack of progress rather than by total time:
// a run of a billion ticks is legitimate and may take hours, but a cluster whose ticks stop moving while
// its target is ahead will not get there by waiting. So the wait ends
//   - when every node is idle at the same tick, at `min_tick` or later: the view;
//   - at once, with cluster_not_running, when a node is failed, needs a snapshot, is held or was paused by
//     the operator (waiting would not help), and - unless `through_loss` - when a node does not answer
//     (unreachable) or is paused because it lost a peer;
//   - with `stalled` when no node's tick has moved for `stall` (the message names every node, its tick
//     and state, or when it was last seen);
//   - with cluster_not_running when `cancel` is set (the control node is stopping).
// `through_loss` is for the wait after a command has started a run: a node lost for a while (a network
// hiccup, a stopped process) is waited for, within the stall bound, because the cluster resumes and
// finishes the run when it comes back - so the answer is what happened.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/error_code.hpp"
#include "common/expected.hpp"
#include "client/node_client.hpp"
#include "topology/topology.hpp"

namespace p3p::control {

// The default no-progress bound of the long commands that run the cluster (advance takes `stall_s`).
inline constexpr std::chrono::seconds kDefaultStall{30};

struct NodeStand {
  std::string id;
  std::optional<std::int64_t> tick;  // last seen (a node that does not answer keeps its last tick)
  std::string state;                 // "" while it does not answer
  std::string reason;
  bool answered = false;  // in the last look
  bool in_flight = false;
};

struct ClusterView {
  std::int64_t tick = 0;                        // the same on every node when idle
  std::map<std::string, std::uint64_t> spikes;  // column id -> spikes so far
  std::vector<NodeStand> nodes;
};

struct WaitRule {
  std::int64_t min_tick = 0;
  std::chrono::milliseconds stall = kDefaultStall;
  bool through_loss = false;
  const std::atomic<bool>* cancel = nullptr;
};

Expected<ClusterView, Failure> wait_at_rest(const topology::Topology& t, NodeClient& client, const WaitRule& rule);

// Every node's status once (nodes that do not answer: answered = false, no tick).
ClusterView look(const topology::Topology& t, NodeClient& client);

// "nodeA at tick 120 (running), nodeB not answering (last seen at tick 118), nodeC at tick 120 (paused: lost nodeB)"
std::string describe(const std::vector<NodeStand>& nodes);

// After a run stalled: the operator's pause on every node that answers, so the cluster does not go on by
// itself past what the answer reports (a node that does not answer can finish one epoch past its paused
// peers when it is back, no more: the lockstep needs their batches); then where each node stopped. The `stalled` error for the command:
// `why` (wait_at_rest's message), where the nodes stand, and that `resume` runs on to `target`.
Failure stop_stalled_run(const topology::Topology& t, NodeClient& client, const Failure& why, std::int64_t target);

}  // namespace p3p::control
