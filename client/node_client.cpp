#include "client/node_client.hpp"

#include "bus/sockets.hpp"
#include "client/msgpack_body.hpp"

namespace p3p::control {

bus::InboxConfig inbox_config(const topology::Topology& t) {
  bus::InboxConfig c;
  c.cluster_id = t.cluster.name;
  for (const auto& n : t.nodes) c.guard.known_senders.push_back(n.id);
  c.guard.clock_window_ns = std::uint64_t{t.cluster.replay_window_ms} * 1'000'000;
  return c;
}

std::string router_endpoint(const topology::Node& node) {
  return "tcp://" + (node.host == "localhost" ? std::string("127.0.0.1") : node.host) + ":" +
         std::to_string(node.router_port);
}

Expected<std::unique_ptr<NodeClient>, std::string> NodeClient::open(const topology::Topology& t) {
  auto key = bus::load_key(t.cluster.key_file);
  if (!key) return unexpected("cluster key: " + key.error().message);
  return std::unique_ptr<NodeClient>(new NodeClient(t, std::move(*key)));
}

NodeClient::NodeClient(const topology::Topology& t, bus::ClusterKey key)
    : key_(std::move(key)),
      outbox_(key_.bytes(), t.cluster.name, std::string(kClientSender)),
      inbox_(key_.bytes(), inbox_config(t)) {}

Expected<nlohmann::json, Failure> NodeClient::request(const topology::Node& node, std::string_view module,
                                                     std::string_view kind, const nlohmann::json& body,
                                                     std::chrono::milliseconds timeout) {
  bus::SocketOptions opts;
  opts.linger = std::chrono::milliseconds(0);  // a request to a dead node must not hold p3pctl's exit
  bus::Dealer dealer(context_, opts);  // a fresh socket per request: no stale reply can be mistaken for this one
  if (auto c = dealer.connect(router_endpoint(node)); !c) return unexpected(Failure{ErrorCode::unreachable, c.error().message});
  const auto bytes = nlohmann::json::to_msgpack(body);
  bus::Bytes frame;
  if (!outbox_.seal({node.id, module, kind}, bus::ByteView(bytes), frame))
    return unexpected(Failure{ErrorCode::bad_args, "cannot encode the request to " + node.id});
  dealer.send(frame);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return unexpected(Failure{ErrorCode::unreachable, "no reply from " + node.id + " at " + router_endpoint(node)});
    auto reply = dealer.receive(left);
    if (!reply) continue;
    auto env = inbox_.accept(bus::bytes_of(*reply));
    if (!env)
      return unexpected(Failure{ErrorCode::bad_reply, "reply from " + node.id + " refused: " + std::string(bus::to_string(env.error().reason))});
    if (env->sender != node.id) continue;
    return read_reply(node, *env);
  }
}

Expected<nlohmann::json, Failure> read_reply(const topology::Node& node, const bus::EnvelopeView& reply) {
  auto decoded = decode_body(reply.body);  // depth-checked: a reply cannot crash the client either
  if (!decoded) return unexpected(Failure{ErrorCode::bad_reply, "reply from " + node.id + ": " + decoded.error().message});
  nlohmann::json value = std::move(*decoded);
  if (reply.kind != "error") return value;
  const auto field = [&](const char* name) {
    const auto it = value.find(name);
    return it != value.end() && it->is_string() ? it->get<std::string>() : std::string("?");
  };
  const std::string code = field("code");
  if (const auto known = error_code_from_string(code)) return unexpected(Failure{*known, node.id + ": " + field("message")});
  return unexpected(Failure{ErrorCode::bad_reply, node.id + " answered an unknown error code '" + code.substr(0, 64) +
                                                  "': " + field("message")});
}

}  // namespace p3p::control
