#include "nodes/control/cluster_wait.hpp"

#include <algorithm>
#include <thread>

namespace p3p::control {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kPoll = std::chrono::milliseconds(10);

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

// States a node can leave by itself (with `through_loss`, also a pause because a peer is lost); the
// others wait for an operator.
bool may_move_on(const NodeStand& n, bool through_loss) {
  if (n.state == "idle" || n.state == "running" || n.state == "connecting" || n.state == "starting") return true;
  return through_loss && n.state == "paused" && starts_with(n.reason, "paused: lost");
}

}  // namespace

ClusterView look(const topology::Topology& t, NodeClient& client) {
  ClusterView view;
  for (const auto& n : t.nodes) {
    NodeStand stand{n.id, std::nullopt, "", "", false, false};
    auto s = client.call(n, node_api::status(), kRequestTimeout);
    if (!s || !s->is_object()) {
      stand.reason = s ? std::string("status reply is not an object") : s.error().message;
      view.nodes.push_back(std::move(stand));
      continue;
    }
    stand.answered = true;
    stand.tick = s->value("tick", std::int64_t{0});
    stand.state = s->value("state", "");
    stand.reason = s->value("reason", "");
    stand.in_flight = s->value("epoch_in_flight", false);
    view.tick = std::max(view.tick, *stand.tick);
    const nlohmann::json counts = s->value("column_spikes", nlohmann::json::object());  // not a temporary in the for
    for (const auto& [column, count] : counts.items())
      if (count.is_number_unsigned()) view.spikes[column] = count.get<std::uint64_t>();
    view.nodes.push_back(std::move(stand));
  }
  return view;
}

std::string describe(const std::vector<NodeStand>& nodes) {
  std::string out;
  for (const NodeStand& n : nodes) {
    if (!out.empty()) out += ", ";
    const std::string tick = n.tick ? std::to_string(*n.tick) : std::string("?");
    if (!n.answered) out += n.id + " not answering (last seen at tick " + tick + ")";
    else out += n.id + " at tick " + tick + " (" + (n.reason.empty() ? n.state : n.reason) + ")";  // the reason names the state
  }
  return out;
}

Expected<ClusterView, Failure> wait_at_rest(const topology::Topology& t, NodeClient& client, const WaitRule& rule) {
  std::map<std::string, std::int64_t> last;  // each node's last tick seen
  auto moved_at = Clock::now();
  for (;;) {
    if (rule.cancel && rule.cancel->load())
      return unexpected(Failure{ErrorCode::cluster_not_running, "the control node is stopping; the nodes' targets are unchanged"});
    ClusterView view = look(t, client);
    bool settled = true, moved = false;
    std::optional<std::int64_t> common;
    for (NodeStand& n : view.nodes) {
      const auto seen = last.find(n.id);
      if (!n.answered) {
        if (!rule.through_loss) return unexpected(Failure{ErrorCode::unreachable, n.reason});
        if (seen != last.end()) n.tick = seen->second;
        settled = false;
        continue;
      }
      if (!may_move_on(n, rule.through_loss))
        return unexpected(Failure{ErrorCode::cluster_not_running, n.id + " is " + n.state + " (" + (n.reason.empty() ? "-" : n.reason) + ")"});
      moved |= seen == last.end() || seen->second != *n.tick;
      last[n.id] = *n.tick;
      if (n.state != "idle" || *n.tick < rule.min_tick || (common && *common != *n.tick)) settled = false;
      common = n.tick;
    }
    if (settled) return view;
    if (moved) moved_at = Clock::now();
    if (Clock::now() - moved_at > rule.stall) {
      const auto s = std::chrono::duration_cast<std::chrono::seconds>(rule.stall).count();
      return unexpected(Failure{ErrorCode::stalled, "no node's tick moved for " + std::to_string(s) + " s while tick " +
                                                        std::to_string(rule.min_tick) + " is ahead: " + describe(view.nodes)});
    }
    std::this_thread::sleep_for(kPoll);
  }
}

Failure stop_stalled_run(const topology::Topology& t, NodeClient& client, const Failure& why, std::int64_t target) {
  for (const auto& n : t.nodes) (void)client.call(n, node_api::pause(true), kRequestTimeout);
  // A paused node finishes the epoch in flight: report where they stopped, not where they were.
  const auto deadline = Clock::now() + std::chrono::seconds(5);
  ClusterView view = look(t, client);
  while (Clock::now() < deadline && std::any_of(view.nodes.begin(), view.nodes.end(), [](const NodeStand& n) { return n.in_flight; })) {
    std::this_thread::sleep_for(kPoll);
    view = look(t, client);
  }
  return Failure{ErrorCode::stalled, why.message + ". Paused where it stands: " + describe(view.nodes) +
                                         " (a node not answering can finish at most one epoch past its paused peers: the lockstep "
                                         "needs their batches); `resume` runs the cluster on to tick " + std::to_string(target)};
}

}  // namespace p3p::control
