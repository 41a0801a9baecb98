#include "client/telemetry_subscriber.hpp"

#include <algorithm>

#include "client/node_client.hpp"
#include "client/telemetry_format.hpp"

namespace p3p::control {
namespace {

using Clock = std::chrono::steady_clock;

std::chrono::milliseconds until(Clock::time_point deadline) {
  return std::max(std::chrono::milliseconds(0), std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()));
}

}  // namespace

TelemetrySubscriber::TelemetrySubscriber(const bus::ClusterKey& key, const bus::InboxConfig& config,
                                         const bus::SocketOptions& options)
    : sub_(context_, options), inbox_(key.bytes(), config) {}

Expected<std::unique_ptr<TelemetrySubscriber>, std::string> TelemetrySubscriber::open(
    const topology::Topology& topo, const bus::ClusterKey& key, const std::vector<std::string>& nodes,
    const std::vector<std::string>& prefixes, const bus::SocketOptions& options) {
  std::unique_ptr<TelemetrySubscriber> s(new TelemetrySubscriber(key, inbox_config(topo), options));
  s->prefixes_ = prefixes;
  for (const auto& n : topo.nodes) {
    if (std::find(nodes.begin(), nodes.end(), n.id) == nodes.end()) continue;
    const std::string host = n.host == "localhost" ? "127.0.0.1" : n.host;
    if (auto c = s->sub_.connect("tcp://" + host + ":" + std::to_string(n.pub_port)); !c) return unexpected(c.error().message);
    s->nodes_.push_back({n.id, std::nullopt, std::vector<bool>(prefixes.size(), false), false});
  }
  for (const auto& p : prefixes) s->sub_.subscribe(p);
  return s;
}

TelemetrySubscriber::Got TelemetrySubscriber::next(Telemetry& into, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    auto msg = sub_.receive(until(deadline));
    if (!msg) return Got::nothing;
    into.raw = std::move(*msg);
    auto env = inbox_.accept(into.raw.frame_bytes());
    if (!env) {
      ++rejected_;
      continue;
    }
    if (env->target_module != "telemetry") continue;
    const auto node = std::find_if(nodes_.begin(), nodes_.end(), [&](const NodeState& n) { return n.id == env->sender; });
    if (node == nodes_.end()) continue;
    into.env = *env;
    if (env->kind == control::kSubscribedKind) {
      if (on_marker(*node, *env)) return Got::subscribed;
      continue;
    }
    if (node->complete && node->boot == env->boot_id) return Got::message;
  }
}

bool TelemetrySubscriber::on_marker(NodeState& node, const bus::EnvelopeView& env) {
  const auto topic = control::decode_subscribed(env.body);
  if (!topic) {
    ++rejected_;
    return false;
  }
  if (node.boot != env.boot_id) {  // the first marker, or the node restarted: count this boot's markers
    node.boot = env.boot_id;
    node.answered.assign(prefixes_.size(), false);
    node.complete = false;
  }
  if (node.complete) return false;  // another subscriber's marker, or a reconnect: nothing new
  // Any marker that reached us proves that our prefix it matches is in place at the node, whoever's
  // subscription it answers (it would not have been delivered to us otherwise).
  for (std::size_t i = 0; i < prefixes_.size(); ++i)
    if (topic->starts_with(prefixes_[i])) node.answered[i] = true;
  node.complete = std::all_of(node.answered.begin(), node.answered.end(), [](bool b) { return b; });
  return node.complete;
}

bool TelemetrySubscriber::wait_subscribed(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  Telemetry dropped;
  while (!all_subscribed())
    if (next(dropped, until(deadline)) == Got::nothing) break;
  return all_subscribed();
}

bool TelemetrySubscriber::all_subscribed() const {
  return std::all_of(nodes_.begin(), nodes_.end(), [](const NodeState& n) { return n.complete; });
}

std::vector<std::string> TelemetrySubscriber::subscribed() const {
  std::vector<std::string> out;
  for (const auto& n : nodes_)
    if (n.complete) out.push_back(n.id);
  return out;
}

std::vector<std::string> TelemetrySubscriber::missing() const {
  std::vector<std::string> out;
  for (const auto& n : nodes_)
    if (!n.complete) out.push_back(n.id);
  return out;
}

}  // namespace p3p::control
