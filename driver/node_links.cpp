#include "driver/node_links.hpp"

#include <algorithm>
#include <optional>

#include "bus/inbox.hpp"
#include "bus/key_file.hpp"
#include "bus/outbox.hpp"
#include "bus/sockets.hpp"
#include "client/node_client.hpp"  // the inbox, the nodes' endpoints and how a reply reads

namespace p3p::driver {
namespace {

using Clock = std::chrono::steady_clock;

}  // namespace

struct NodeLinks::Impl {
  const topology::Topology& topo;
  bus::ClusterKey key;
  zmq::context_t context{1};
  bus::Outbox outbox;
  bus::Inbox inbox;
  std::vector<std::unique_ptr<bus::Dealer>> links;  // per node; null = to be opened
  // The step path: its own signer and guard, one link per node to its simulation thread.
  bus::Outbox step_outbox;
  bus::Inbox step_inbox;
  std::vector<std::string> step_endpoints;  // per node; empty = not known
  std::vector<std::unique_ptr<bus::Dealer>> step_links;
  bus::Bytes frame;

  Impl(const topology::Topology& t, bus::ClusterKey k)
      : topo(t), key(std::move(k)), outbox(key.bytes(), t.cluster.name, std::string(control::kClientSender)),
        inbox(key.bytes(), control::inbox_config(t)), links(t.nodes.size()),
        step_outbox(key.bytes(), t.cluster.name, std::string(control::kClientSender)),
        step_inbox(key.bytes(), control::inbox_config(t)), step_endpoints(t.nodes.size()), step_links(t.nodes.size()) {}

  std::unique_ptr<bus::Dealer> connect(const std::string& endpoint) {
    bus::SocketOptions opts;
    opts.linger = std::chrono::milliseconds(0);  // a dead node must not hold the driver's exit
    auto dealer = std::make_unique<bus::Dealer>(context, opts);
    return dealer->connect(endpoint) ? std::move(dealer) : nullptr;
  }

  bus::Dealer* link(std::size_t node) {
    if (!links[node]) links[node] = connect(control::router_endpoint(topo.nodes[node]));
    return links[node].get();
  }

  bus::Dealer* step_link(std::size_t node) {
    if (!step_links[node] && !step_endpoints[node].empty()) step_links[node] = connect(step_endpoints[node]);
    return step_links[node].get();
  }

  // The next reply from `node` on `link` within `deadline`: its body, or why not (the link is then closed).
  Expected<nlohmann::json, Failure> receive(std::size_t node, std::unique_ptr<bus::Dealer>& link, bus::Inbox& guard,
                                            const std::string& endpoint, Clock::time_point deadline) {
    const topology::Node& n = topo.nodes[node];
    auto result = [&]() -> Expected<nlohmann::json, Failure> {
      for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        auto reply = left.count() > 0 ? link->receive(left) : std::nullopt;
        if (!reply) return unexpected(Failure{ErrorCode::unreachable, "no reply from " + n.id + " at " + endpoint});
        auto env = guard.accept(bus::bytes_of(*reply));
        if (!env) return unexpected(Failure{ErrorCode::bad_reply, "reply from " + n.id + " refused: " + std::string(bus::to_string(env.error().reason))});
        if (env->sender != n.id) continue;
        return control::read_reply(n, *env);
      }
    }();
    if (!result && (result.error().code == ErrorCode::unreachable || result.error().code == ErrorCode::bad_reply)) link.reset();
    return result;
  }
};

Expected<std::unique_ptr<NodeLinks>, Failure> NodeLinks::open(const topology::Topology& t) {
  auto key = bus::load_key(t.cluster.key_file);
  if (!key) return unexpected(Failure{ErrorCode::io_error, "cluster key: " + key.error().message});
  return std::unique_ptr<NodeLinks>(new NodeLinks(std::make_unique<Impl>(t, std::move(*key))));
}

NodeLinks::NodeLinks(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
NodeLinks::~NodeLinks() = default;

std::vector<Expected<nlohmann::json, Failure>> NodeLinks::exchange(std::span<const NodeRequest> requests,
                                                                       std::chrono::milliseconds timeout) {
  Impl& s = *impl_;
  std::vector<Expected<nlohmann::json, Failure>> results;
  std::vector<bool> sent(requests.size(), false);
  for (std::size_t i = 0; i < requests.size(); ++i) {
    const NodeRequest& r = requests[i];
    const topology::Node& n = s.topo.nodes.at(r.node);
    bus::Dealer* link = s.link(r.node);
    const auto bytes = nlohmann::json::to_msgpack(r.call.body);
    if (!link || !s.outbox.seal({n.id, r.call.module(), r.call.kind()}, bus::ByteView(bytes), s.frame)) continue;
    sent[i] = link->send(s.frame, bus::SendMode::dont_wait) == bus::SendResult::sent;
  }
  const auto deadline = Clock::now() + timeout;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    const std::size_t node = requests[i].node;
    if (!sent[i] || !s.links[node]) {  // not sent, or the link closed on an earlier reply of this batch
      results.push_back(unexpected(Failure{ErrorCode::unreachable, "cannot send to " + s.topo.nodes[node].id}));
      continue;
    }
    results.push_back(s.receive(node, s.links[node], s.inbox, control::router_endpoint(s.topo.nodes[node]), deadline));
  }
  return results;
}

void NodeLinks::set_step_endpoint(std::size_t node, const std::string& endpoint) {
  Impl& s = *impl_;
  if (s.step_endpoints.at(node) == endpoint) return;
  s.step_endpoints[node] = endpoint;
  s.step_links[node].reset();
}

bool NodeLinks::steps_known() const {
  return std::none_of(impl_->step_endpoints.begin(), impl_->step_endpoints.end(), [](const std::string& e) { return e.empty(); });
}

std::vector<Expected<nlohmann::json, Failure>> NodeLinks::step(std::span<const nlohmann::json> bodies, std::chrono::milliseconds timeout) {
  Impl& s = *impl_;
  std::vector<bool> sent(bodies.size(), false);
  for (std::size_t node = 0; node < bodies.size(); ++node) {
    if (bodies[node].is_null()) continue;
    bus::Dealer* link = s.step_link(node);
    const auto bytes = nlohmann::json::to_msgpack(bodies[node]);
    if (!link || !s.step_outbox.seal({s.topo.nodes[node].id, "runtime", "step"}, bus::ByteView(bytes), s.frame)) continue;
    sent[node] = link->send(s.frame, bus::SendMode::dont_wait) == bus::SendResult::sent;
  }
  const auto deadline = Clock::now() + timeout;
  std::vector<Expected<nlohmann::json, Failure>> results;
  for (std::size_t node = 0; node < bodies.size(); ++node) {
    const std::string endpoint = s.step_endpoints[node];
    if (bodies[node].is_null())
      results.push_back(nlohmann::json());
    else if (!sent[node] || !s.step_links[node])
      results.push_back(unexpected(Failure{ErrorCode::unreachable, "cannot send a step to " + s.topo.nodes[node].id}));
    else
      results.push_back(s.receive(node, s.step_links[node], s.step_inbox, endpoint, deadline));
    const auto& r = results.back();
    if (!r && (r.error().code == ErrorCode::unreachable || r.error().code == ErrorCode::bad_reply))
      s.step_endpoints[node].clear();  // ask again (a run_until answer): a restarted node binds a new one
  }
  return results;
}

Expected<void, Failure> first_error(const std::vector<Expected<nlohmann::json, Failure>>& results, const std::string& what) {
  for (const auto& r : results)
    if (!r) return unexpected(Failure{r.error().code, what + ": " + r.error().message});
  return {};
}

}  // namespace p3p::driver
