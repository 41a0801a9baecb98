#include "driver/node_links.hpp"

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
  bus::Bytes frame;

  Impl(const topology::Topology& t, bus::ClusterKey k)
      : topo(t), key(std::move(k)), outbox(key.bytes(), t.cluster.name, std::string(control::kClientSender)),
        inbox(key.bytes(), control::inbox_config(t)), links(t.nodes.size()) {}

  bus::Dealer* link(std::size_t node) {
    if (links[node]) return links[node].get();
    bus::SocketOptions opts;
    opts.linger = std::chrono::milliseconds(0);  // a dead node must not hold the driver's exit
    auto dealer = std::make_unique<bus::Dealer>(context, opts);
    if (!dealer->connect(control::router_endpoint(topo.nodes[node]))) return nullptr;
    return (links[node] = std::move(dealer)).get();
  }

  // The next reply from `node` within `deadline`: its body, or why not (the link is then closed).
  Expected<nlohmann::json, Failure> receive(std::size_t node, Clock::time_point deadline) {
    const topology::Node& n = topo.nodes[node];
    auto result = [&]() -> Expected<nlohmann::json, Failure> {
      for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        auto reply = left.count() > 0 ? links[node]->receive(left) : std::nullopt;
        if (!reply) return unexpected(Failure{ErrorCode::unreachable, "no reply from " + n.id + " at " + control::router_endpoint(n)});
        auto env = inbox.accept(bus::bytes_of(*reply));
        if (!env) return unexpected(Failure{ErrorCode::bad_reply, "reply from " + n.id + " refused: " + std::string(bus::to_string(env.error().reason))});
        if (env->sender != n.id) continue;
        return control::read_reply(n, *env);
      }
    }();
    if (!result && (result.error().code == ErrorCode::unreachable || result.error().code == ErrorCode::bad_reply)) links[node].reset();
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
    results.push_back(s.receive(node, deadline));
  }
  return results;
}

Expected<void, Failure> first_error(const std::vector<Expected<nlohmann::json, Failure>>& results, const std::string& what) {
  for (const auto& r : results)
    if (!r) return unexpected(Failure{r.error().code, what + ": " + r.error().message});
  return {};
}

}  // namespace p3p::driver
