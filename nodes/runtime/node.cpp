#include "nodes/runtime/node.hpp"

#include <signal.h>

#include <algorithm>

#include "common/even_split.hpp"
#include "nodes/mesocortex/network_spec.hpp"
#include "topology/loader.hpp"
#include "topology/memory_estimate.hpp"

namespace p3p::runtime {
namespace {

// ZeroMQ binds to addresses, not names; `localhost` is the loopback address here as in the topology rules.
std::string address_of(const std::string& host) { return host == "localhost" ? "127.0.0.1" : host; }

std::string endpoint(const std::string& host, std::uint16_t port) {
  return "tcp://" + address_of(host) + ":" + std::to_string(port);
}

std::string node_list(const topology::Topology& t) {
  std::string out;
  for (const auto& n : t.nodes) out += (out.empty() ? "" : ", ") + n.id;
  return out;
}

bus::InboxConfig inbox_config(const topology::Topology& t) {
  bus::InboxConfig c = control::inbox_config(t);
  c.guard.known_senders.emplace_back(kClientSender);
  c.guard.max_boots_per_sender = 8;  // p3pctl makes a new boot per invocation
  return c;
}

// The topology's columns as the blocks of the reference network (NodeOptions::reference).
Expected<mesocortex::Translation, std::string> reference_translation(const topology::Topology& t,
                                                                     const bench::ReferenceParams& r) {
  mesocortex::Translation out;
  std::vector<int> block_nodes;
  std::vector<std::uint32_t> sizes;
  for (const auto& region : t.regions)
    for (const auto& c : region.columns) {
      block_nodes.push_back(mesocortex::node_index(t, c.node));
      sizes.push_back(c.size);
      out.column_ids.push_back(c.id);
    }
  if (sizes != even_split(r.neurons, static_cast<std::uint32_t>(sizes.size())))
    return unexpected("the topology's columns are not the reference workload's " + std::to_string(sizes.size()) +
                      " blocks of " + std::to_string(r.neurons) + " neurons (sizes must be the even split)");
  out.spec = bench::reference_network_blocks(r, block_nodes);
  return out;
}

// The network spec every node builds whole (explicit synapse lists of the entire cluster included), so it
// can be too big for the machine before the engine is: say so rather than die of std::bad_alloc.
Expected<mesocortex::Translation, std::string> translate(const topology::Topology& t,
                                                         const std::optional<bench::ReferenceParams>& reference,
                                                         std::uint64_t estimated_bytes) {
  try {
    return reference ? reference_translation(t, *reference) : mesocortex::build_network_spec(t);
  } catch (const std::bad_alloc&) {
    return unexpected("out of memory building the network spec: this node needs about " +
                      topology::format_bytes(estimated_bytes) + " (the estimate p3pctl validate prints)");
  }
}

}  // namespace

Expected<std::unique_ptr<Node>, std::string> Node::create(const NodeOptions& options, Logger& log) {
  auto topo = topology::load_file(options.topology);
  if (!topo) {
    std::string msg = "cannot load topology " + options.topology.string() + ":";
    for (const auto& e : topo.error()) msg += "\n  " + e.to_string();
    return unexpected(msg);
  }
  if (mesocortex::node_index(*topo, options.node_id) < 0)
    return unexpected("node '" + options.node_id + "' is not in topology " + options.topology.string() +
                      " (its nodes: " + node_list(*topo) + ")");
  if (topology::find_node(*topo, kClientSender))
    return unexpected("a node may not be called '" + std::string(kClientSender) + "': that sender name is reserved for p3pctl");
  auto key = bus::load_key(topo->cluster.key_file);
  if (!key) return unexpected("cluster key: " + key.error().message);
  std::optional<bench::ReferenceParams> reference = options.reference;
  if (reference) {
    reference->seed = topo->cluster.seed;
    reference->neurons = 0;
    for (const auto& region : topo->regions)
      for (const auto& c : region.columns) reference->neurons += c.size;
  }
  const std::uint64_t estimated_bytes =
      topology::estimate_memory(*topo)[static_cast<std::size_t>(mesocortex::node_index(*topo, options.node_id))]
          .total_bytes();
  auto translation = translate(*topo, reference, estimated_bytes);
  if (!translation) return unexpected("topology " + options.topology.string() + ": " + translation.error());

  std::unique_ptr<Node> node(new Node(options, std::move(*topo), std::move(*key), log));
  if (auto ok = node->open_sockets(); !ok) return unexpected(ok.error());
  node->column_ids_ = translation->column_ids;
  node->apply_regions(control::RegionLayout::from_topology(node->topo_));
  for (const auto& p : translation->spec.populations) node->total_neurons_ += p.size;
  node->register_modules();
  if (node->topo_.control && node->topo_.control->node == options.node_id) {
    auto control = control::ControlService::start(node->context_, node->topo_, node->loop_, log);
    if (!control) return unexpected(control.error());
    node->control_ = std::move(*control);
    node->control_->on_served([n = node.get()](const nlohmann::json& served) { n->emit_event("command", served); });
    node->control_->on_experiment_progress([n = node.get()](const nlohmann::json& p) { n->emit_event("experiment_progress", p); });
    node->control_->on_anomaly([n = node.get()](const nlohmann::json& a) { n->emit_event("anomaly", a); });
  }
  const topology::Node& me = *topology::find_node(node->topo_, options.node_id);
  if (me.metrics_port) {
    auto http = MetricsHttp::start(node->loop_, me.host, *me.metrics_port, [n = node.get()] { return n->prometheus(); });
    if (!http) return unexpected(http.error());
    node->metrics_http_ = std::move(*http);
  }
  SimConfig sim;
  sim.spec = std::move(translation->spec);
  sim.options.node = node->self_;
  sim.options.threads = me.threads;
  sim.exchange.key.assign(node->key_.bytes().begin(), node->key_.bytes().end());
  sim.exchange.cluster = node->topo_.cluster.name;
  for (const auto& n : node->topo_.nodes) sim.exchange.node_ids.push_back(n.id);
  sim.exchange.self = node->self_;
  sim.exchange.host = me.host;
  sim.exchange.replay_window_ms = node->topo_.cluster.replay_window_ms;
  sim.total_neurons = node->total_neurons_;
  sim.target_tick = options.ticks;
  sim.tick_ms = node->topo_.cluster.tick_ms;
  sim.estimated_bytes = estimated_bytes;
  node->sim_ = std::make_unique<SimActor>(node->context_, std::move(sim), log);
  return node;
}

Node::Node(const NodeOptions& options, topology::Topology topo, bus::ClusterKey key, Logger& log)
    : options_(options),
      topo_(std::move(topo)),
      key_(std::move(key)),
      log_(log),
      self_(mesocortex::node_index(topo_, options.node_id)),
      outbox_(key_.bytes(), topo_.cluster.name, options.node_id),
      inbox_(key_.bytes(), inbox_config(topo_)) {}

Node::~Node() {
  metrics_http_.reset();
  control_.reset();  // its workers may still be asking nodes (this one included) for something
  sim_.reset();  // joins the simulation thread before the context goes
  links_.clear();
  router_.reset();
  pub_.reset();
}

Expected<void, std::string> Node::open_sockets() {
  const topology::Node& me = topo_.nodes[static_cast<std::size_t>(self_)];
  bus::SocketOptions opts;
  opts.receive_hwm = 100000;  // heartbeats and requests must never be dropped at our door
  opts.count_disconnects = true;  // how an oversized frame (ZMQ_MAXMSGSIZE) still shows in status
  router_ = std::make_unique<bus::Router>(context_, opts);
  if (auto b = router_->bind(endpoint(me.host, me.router_port)); !b) return unexpected(b.error().message);
  pub_ = std::make_unique<bus::Pub>(context_);
  if (auto b = pub_->bind(endpoint(me.host, me.pub_port)); !b) return unexpected(b.error().message);
  for (std::size_t i = 0; i < topo_.nodes.size(); ++i) {
    if (static_cast<int>(i) == self_) continue;
    const topology::Node& peer = topo_.nodes[i];
    bus::SocketOptions link_opts;
    link_opts.reconnect_interval = std::chrono::milliseconds(10);  // peers starting together find each other fast
    // No routing id (see spike_exchange.cpp: a chosen one could be squatted by a rogue connection).
    PeerLink link{peer.id, static_cast<int>(i), std::make_unique<bus::Dealer>(context_, link_opts)};
    if (auto c = link.dealer->connect(endpoint(peer.host, peer.router_port)); !c) return unexpected(c.error().message);
    links_.push_back(std::move(link));
    peers_.add(peer.id, static_cast<int>(i));
  }
  return {};
}

int Node::run(StopSource& stop) {
  log_.log(Level::info, "runtime", "node starting",
           {{"topology", options_.topology.string()}, {"cluster", topo_.cluster.name}, {"pid", ::getpid()},
            {"router_port", topo_.nodes[static_cast<std::size_t>(self_)].router_port}, {"target_tick", options_.ticks}});
  loop_.add_fd(stop.fd(), [&] { begin_stop(stop.take()); });
  loop_.add_socket(router_->native_handle(), [this] { on_router(); });
  loop_.add_socket(pub_->native_handle(), [this] { on_subscriptions(); });
  loop_.add_socket(sim_->socket_handle(), [this] { on_sim_event(); });
  for (PeerLink& link : links_) loop_.add_socket(link.dealer->native_handle(), [this, &link] { on_peer_reply(link); });
  const auto hb = std::chrono::milliseconds(std::clamp<std::uint32_t>(topo_.cluster.heartbeat_timeout_ms / 4, 20, 500));
  loop_.every(hb, [this] { on_heartbeat_timer(); });
  loop_.every(std::chrono::milliseconds(1000), [this] {
    on_echo_timer();
    publish_metrics();
  });
  on_heartbeat_timer();  // announce ourselves at once: peers judge our boot on its first heartbeat
  loop_.run();
  if (control_ && sim_ready_) write_metrics_dump();
  sim_->stop();  // finishes the epoch in flight (its batches go out), then joins the simulation thread
  const SimSnapshot last = sim_->snapshot();
  log_.log(Level::info, "runtime", "node stopped", {{"tick", last.stats.tick}, {"spikes", last.stats.spikes}});
  log_.flush();
  return failure_.empty() ? 0 : 1;
}

void Node::begin_stop(int signal) {
  if (stopping_) return;
  stopping_ = true;
  const SimSnapshot sim = sim_->snapshot();
  log_.log(Level::info, "runtime", "stop requested", {{"signal", signal == SIGINT ? "SIGINT" : "SIGTERM"},
                                                      {"epoch_in_flight", sim.in_flight}, {"tick", sim.stats.tick}});
  loop_.stop();  // run() then stops the simulation, which finishes its epoch first
}

void Node::on_router() {
  for (int budget = 0; budget < 1000; ++budget) {  // bounded, so timers and the sim reply get their turn
    auto msg = router_->receive();
    if (!msg) return;
    auto env = inbox_.accept(msg->frame_bytes());
    if (!env) {
      note_rejection(env.error(), "router");
      continue;
    }
    try {
      dispatch(*env, &*msg);
    } catch (const std::exception& e) {  // a bug met by some request: answer it, log it, keep serving
      log_.log(Level::error, "runtime", "request failed", {{"module", std::string(env->target_module)},
                                                           {"kind", std::string(env->kind)}, {"error", e.what()}});
      reply(*msg, *env, "error", {{"code", ErrorCode::internal}, {"message", std::string("internal error: ") + e.what()}});
    }
  }
}

void Node::on_peer_reply(PeerLink& link) {
  for (int budget = 0; budget < 1000; ++budget) {
    auto frame = link.dealer->receive();
    if (!frame) return;
    auto env = inbox_.accept(bus::bytes_of(*frame));
    if (!env) {
      note_rejection(env.error(), link.id);
      continue;
    }
    dispatch(*env, nullptr);
  }
}

void Node::note_rejection(const bus::WireError& e, std::string_view where) {
  const std::string reason(bus::to_string(e.reason));
  std::uint64_t held = 0;
  if (!rejection_log_.allow(reason, now_ms(), held)) return;
  log_.log(Level::warn, "mesh", "envelope rejected",
           {{"reason", reason}, {"detail", e.detail}, {"via", where}, {"suppressed_since_last", held},
            {"total", inbox_.rejected(e.reason)}});
}

void Node::dispatch(const bus::EnvelopeView& env, const bus::RoutedMessage* from) {
  mesh::PeerInfo* peer = peers_.find(env.sender);
  // The body is judged before anything changes: a broken or forged one (even signed) is no sign of life
  // and announces no new boot - a peer's state moves only on a message that will be served.
  auto body = control::decode_body(env.body);
  std::optional<Heartbeat> heartbeat;
  std::string problem = body ? "" : body.error().message;
  if (body && peer && env.target_module == "mesh") {
    if (env.kind != "heartbeat") problem = "mesh/" + std::string(env.kind) + " on the loop's socket";  // batches travel sim to sim
    else if (auto hb = parse_heartbeat(*body); hb) heartbeat = std::move(*hb);
    else problem = hb.error();
  }
  if (!problem.empty()) return refuse_body(env, from, peer, problem);
  if (peer) {
    const mesh::Heard h = peers_.on_heard(*peer, env.boot_id, now_ms());
    if (h.new_boot && peer->restarts > 0)
      log_.log(Level::warn, "mesh", "peer restarted", {{"peer", peer->id}, {"restarts", peer->restarts}});
    if (h.came_back) log_.log(Level::info, "mesh", "peer back", {{"peer", peer->id}});
  }
  if (!env.target_node.empty() && env.target_node != options_.node_id) {
    ++misaddressed_;
    return;
  }
  if (heartbeat) {
    handle_mesh(*heartbeat, *peer);
  } else if (env.target_module == "echo" && env.kind == "pong" && peer) {
    const auto sent = body->is_object() ? body->value("sent_ns", nlohmann::json()) : nlohmann::json();
    if (sent.is_number_unsigned()) peer->rtt_us = (bus::unix_now_ns() - sent.get<std::uint64_t>()) / 1000;
    else ++bad_batches_;
  } else if (from && serve_request(env, *body, *from)) {
  } else if (from) {
    const std::string what = std::string(env.target_module) + "/" + std::string(env.kind);
    reply(*from, env, "error", {{"code", ErrorCode::unknown_target}, {"message", what + ": no such module or request on this node"}});
  }
  if (peer) update_gate();
}

// A body that cannot be served: a request gets bad_args, a peer's message is counted (bad_batch) and
// logged, rate-limited. Nothing else changes.
void Node::refuse_body(const bus::EnvelopeView& env, const bus::RoutedMessage* from, const mesh::PeerInfo* peer,
                       const std::string& problem) {
  if (from && !peer) return reply(*from, env, "error", {{"code", ErrorCode::bad_args}, {"message", "the request body: " + problem}});
  if (!peer) return;
  ++bad_batches_;
  std::uint64_t held = 0;
  if (rejection_log_.allow("bad_body", now_ms(), held))
    log_.log(Level::warn, "mesh", "peer message refused",
             {{"peer", peer->id}, {"what", std::string(env.target_module) + "/" + std::string(env.kind)},
              {"problem", problem}, {"suppressed_since_last", held}});
  if (from) reply(*from, env, "error", {{"code", ErrorCode::bad_args}, {"message", "the request body: " + problem}});
}

void Node::reply(const bus::RoutedMessage& to, const bus::EnvelopeView& req, std::string_view kind,
                 const nlohmann::json& body) {
  // req points into a frame; copy the sender before sealing into frame_
  send_reply({bus::Bytes(to.identity_bytes().begin(), to.identity_bytes().end()), std::string(req.sender)}, kind, body);
}

}  // namespace p3p::runtime
