#include "nodes/runtime/spike_exchange.hpp"

#include "client/node_client.hpp"  // the client sender

namespace p3p::runtime {
namespace {

bus::InboxConfig inbox_config(const SpikeExchangeConfig& c) {
  bus::InboxConfig ic;
  ic.cluster_id = c.cluster;
  ic.guard.known_senders = c.node_ids;
  ic.guard.known_senders.emplace_back(control::kClientSender);  // the cluster driver's steps
  ic.guard.clock_window_ns = std::uint64_t{c.replay_window_ms} * 1'000'000;
  ic.guard.max_boots_per_sender = 8;
  return ic;
}

bus::SocketOptions link_options() {
  bus::SocketOptions o;
  o.send_hwm = 100000;     // an epoch's batch waits for a slow peer instead of being refused
  o.receive_hwm = 100000;  // and is never dropped at our door
  o.linger = std::chrono::milliseconds(200);  // the last epoch's batches still leave on a clean stop
  return o;
}

bus::SocketOptions router_options() {
  bus::SocketOptions o = link_options();
  o.count_disconnects = true;  // an oversized batch (ZMQ_MAXMSGSIZE) drops its connection: counted here
  return o;
}

}  // namespace

SpikeExchange::SpikeExchange(zmq::context_t& context, SpikeExchangeConfig config)
    : context_(context),
      config_(std::move(config)),
      router_(std::make_unique<bus::Router>(context_, router_options())),
      peers_(config_.node_ids.size()),
      outbox_(bus::ByteView(config_.key), config_.cluster, config_.node_ids[static_cast<std::size_t>(config_.self)]),
      inbox_(bus::ByteView(config_.key), inbox_config(config_)) {}

Expected<std::string, std::string> SpikeExchange::bind() {
  const std::string host = config_.host == "localhost" ? "127.0.0.1" : config_.host;
  auto bound = router_->bind("tcp://" + host + ":*");
  if (!bound) return unexpected(bound.error().message);
  return *bound;
}

void SpikeExchange::set_peer_endpoint(int node, const std::string& endpoint) {
  Peer& p = peers_[static_cast<std::size_t>(node)];
  if (p.endpoint == endpoint) return;
  // A new endpoint is a new process: what was queued for the old one is void.
  p.endpoint = endpoint;
  p.backlog.clear();
  // No routing id: ZeroMQ picks a unique one. A chosen one (say the node id) could be claimed first by
  // anybody who can connect, and a ROUTER ignores a second connection with the same id - a rogue
  // could silence a peer and stall the lockstep without ever passing a signature check.
  p.dealer = std::make_unique<bus::Dealer>(context_, link_options());
  if (!p.dealer->connect(endpoint)) p.dealer.reset();  // a malformed endpoint: batches wait in the backlog
}

void SpikeExchange::send(int node, bus::ByteView body) {
  Peer& p = peers_[static_cast<std::size_t>(node)];
  if (!outbox_.seal({config_.node_ids[static_cast<std::size_t>(node)], "mesh", "spike_batch"}, body, frame_)) return;
  if (p.dealer && p.backlog.empty() && p.dealer->send(frame_) == bus::SendResult::sent) return;
  p.backlog.push_back(frame_);
}

bool SpikeExchange::flush() {
  bool stuck = false;
  for (Peer& p : peers_) {
    while (p.dealer && !p.backlog.empty() && p.dealer->send(p.backlog.front()) == bus::SendResult::sent)
      p.backlog.pop_front();
    stuck = stuck || (p.dealer && !p.backlog.empty());
  }
  return !stuck;
}

void SpikeExchange::reply(bus::ByteView identity, std::string_view kind, bus::ByteView body) {
  if (!outbox_.seal({std::string(control::kClientSender), "client", std::string(kind)}, body, frame_)) return;
  router_->send(identity, frame_);  // a driver gone away is not our problem
}

bool SpikeExchange::receive(const OnBatch& on_batch, const OnStep& on_step) {
  const std::string_view self = config_.node_ids[static_cast<std::size_t>(config_.self)];
  for (int budget = 0; budget < 1000; ++budget) {
    auto msg = router_->receive();
    if (!msg) return true;
    auto env = inbox_.accept(msg->frame_bytes());
    if (!env) continue;  // counted by reason in inbox()
    if (env->sender == control::kClientSender) {
      if (env->target_node == self && env->target_module == "runtime" && env->kind == "step") on_step(msg->identity_bytes(), env->body);
      else ++misaddressed_;
      continue;
    }
    if (env->target_node != self || env->target_module != "mesh" || env->kind != "spike_batch") {
      ++misaddressed_;
      continue;
    }
    int node = -1;
    for (std::size_t i = 0; i < config_.node_ids.size(); ++i)
      if (config_.node_ids[i] == env->sender) node = static_cast<int>(i);
    if (node < 0 || node == config_.self) {
      ++misaddressed_;
      continue;
    }
    on_batch(node, env->boot_id, env->body);
  }
  return false;
}

}  // namespace p3p::runtime
