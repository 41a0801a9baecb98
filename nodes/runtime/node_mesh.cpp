// The mesh side of a node: heartbeats and peer liveness, and steering the simulation thread - its gate
// (open only while every peer is connected and compatible), the peers' spike endpoints, its events.
#include "nodes/runtime/node.hpp"

namespace p3p::runtime {

std::uint64_t Node::now_ms() const {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started_).count());
}

void Node::on_sim_event() {
  while (auto e = sim_->take_event()) {
    switch (e->kind) {
      case SimEvent::Kind::ready: on_sim_ready(); break;
      case SimEvent::Kind::call_done: on_call_done(*e); break;
      case SimEvent::Kind::spikes: publish_spikes(*e); break;
      case SimEvent::Kind::target_reached: {  // at most one a second (the simulation thread limits them)
        const SimSnapshot sim = sim_->snapshot();
        log_.log(Level::info, "cortex7", "target tick reached",
                 {{"tick", sim.stats.tick}, {"spikes", sim.stats.spikes}, {"suppressed_since_last", e->suppressed}});
        break;
      }
      case SimEvent::Kind::failed:
        failure_ = e->error;
        log_.log(Level::error, "cortex7", "simulation failed", {{"error", e->error}});
        // A node that cannot even build its engine has nothing to serve: exit non-zero. One that failed
        // mid-run stays up (paused, saying why), so the cluster's state can still be inspected.
        if (!sim_ready_ || stopping_) loop_.stop();
        break;
    }
  }
}

void Node::on_sim_ready() {
  sim_ready_ = true;
  const SimSnapshot sim = sim_->snapshot();
  epoch_ticks_ = sim.stats.epoch_ticks;
  log_.log(Level::info, "cortex7", "engine ready",
           {{"columns", sim.stats.columns}, {"neurons", sim.stats.neurons}, {"synapses", sim.stats.synapses},
            {"epoch_ticks", sim.stats.epoch_ticks}, {"crossing", sim.stats.crossing},
            {"target_tick", static_cast<std::int64_t>(sim.target_epochs) * sim.stats.epoch_ticks},
            {"spikes_endpoint", sim.spikes_endpoint}});
  if (stopping_) return;
  on_heartbeat_timer();  // now we can take part: tell the peers where to send their batches
  update_gate();
}

void Node::update_gate() {
  if (!sim_ready_) return;
  const bool open = !stopping_ && failure_.empty() && blocked_reason().empty();
  if (gate_ == open) return;
  gate_ = open;
  sim_->set_gate(open);
}

void Node::send_to_peer(PeerLink& link, std::string_view module, std::string_view kind, const bus::Bytes& body) {
  if (!outbox_.seal({link.id, module, kind}, bus::ByteView(body), frame_)) return;
  link.dealer->send(frame_);  // heartbeats and pings may be skipped when a peer's queue is full
}

void Node::on_heartbeat_timer() {
  if (!sim_ready_) return;  // not before the engine is ready: peers would start sending batches
  const SimSnapshot sim = sim_->snapshot();
  const nlohmann::json hb = {{"epoch", sim.next_epoch}, {"tick", sim.stats.tick}, {"state", state_name(sim)},
                             {"spikes", sim.spikes_endpoint}, {"restart", !peers_.in_state(mesh::PeerState::incompatible).empty()}};
  const auto body = nlohmann::json::to_msgpack(hb);
  for (PeerLink& link : links_) send_to_peer(link, "mesh", "heartbeat", body);
  for (mesh::PeerInfo* p : peers_.expire(now_ms(), topo_.cluster.heartbeat_timeout_ms)) {
    log_.log(Level::warn, "mesh", "peer lost",
             {{"peer", p->id}, {"silent_ms", now_ms() - p->last_heard_ms}, {"timeout_ms", topo_.cluster.heartbeat_timeout_ms},
              {"tick", sim.stats.tick}, {"epoch", sim.next_epoch}});
    emit_event("peer_lost", {{"peer", p->id}, {"silent_ms", now_ms() - p->last_heard_ms}});
  }
  const std::string state = state_name(sim);
  if (state != logged_state_) {
    const bool bad = state == "paused" || state == "needs_snapshot_load";
    log_.log(bad ? Level::warn : Level::info, "runtime", "state " + state,
             {{"from", logged_state_}, {"reason", blocked_reason()}, {"tick", sim.stats.tick}});
    emit_event("state", {{"state", state}, {"from", logged_state_}, {"reason", blocked_reason()}});
    if (control_ && (state == "idle" || state == "running") && modules_.find("scheduler")) control_->start_jobs();  // cluster formed
    logged_state_ = state;
  }
  update_gate();
}

void Node::on_echo_timer() {
  const node_api::NodeCall ping = node_api::ping(bus::unix_now_ns());
  const auto body = nlohmann::json::to_msgpack(ping.body);
  for (PeerLink& link : links_) {
    const mesh::PeerInfo* p = peers_.at_node(link.node);
    if (p && p->state == mesh::PeerState::connected) send_to_peer(link, ping.module(), ping.kind(), body);
  }
}

Expected<Heartbeat, std::string> parse_heartbeat(const nlohmann::json& body) {
  if (!body.is_object()) return unexpected(std::string("a heartbeat must be a map"));
  const auto field = [&](const char* name) { return body.value(name, nlohmann::json()); };
  Heartbeat hb;
  const nlohmann::json epoch = field("epoch"), tick = field("tick"), state = field("state"), spikes = field("spikes");
  const nlohmann::json restart = field("restart");
  if (!epoch.is_number_unsigned() || !tick.is_number_integer() || !state.is_string() || !spikes.is_string() ||
      !(restart.is_null() || restart.is_boolean()))
    return unexpected(std::string("a heartbeat needs epoch, tick, state and spikes (and restart true/false)"));
  hb.epoch = epoch.get<std::uint64_t>();
  hb.tick = tick.get<std::int64_t>();
  hb.state = state.get<std::string>();
  hb.spikes = spikes.get<std::string>();
  hb.restart = restart.is_boolean() && restart.get<bool>();
  if (hb.spikes.rfind("tcp://", 0) != 0) return unexpected(std::string("spikes endpoint is not tcp://"));
  return hb;
}

void Node::handle_mesh(const Heartbeat& hb, mesh::PeerInfo& peer) {
  peer.reports_restart = hb.restart;
  const SimSnapshot sim = sim_->snapshot();
  const bool judged = peers_.on_heartbeat(peer, hb.epoch, hb.tick, hb.state, sim.next_epoch);
  if (hb.spikes != peer.spikes_endpoint) {
    peer.spikes_endpoint = hb.spikes;
    sim_->set_peer_endpoint(peer.node, hb.spikes);  // before the gate opens: commands apply in order
  }
  if (judged && sim_ready_) {  // first contact with this boot: answer at once, so it need not wait for our next beat
    const nlohmann::json reply = {{"epoch", sim.next_epoch}, {"tick", sim.stats.tick}, {"state", state_name(sim)},
                                  {"spikes", sim.spikes_endpoint},
                                  {"restart", !peers_.in_state(mesh::PeerState::incompatible).empty()}};
    for (PeerLink& link : links_)
      if (link.node == peer.node) send_to_peer(link, "mesh", "heartbeat", nlohmann::json::to_msgpack(reply));
  }
  if (judged) emit_event(peer.compatible ? "peer_connected" : "peer_incompatible", {{"peer", peer.id}, {"restarts", peer.restarts}});
  if (judged)
    log_.log(peer.compatible ? Level::info : Level::warn, "mesh", peer.compatible ? "peer connected" : "peer incompatible",
             {{"peer", peer.id}, {"peer_tick", peer.reported_tick}, {"tick", sim.stats.tick},
              {"restarts", peer.restarts}});
}

std::string Node::blocked_reason() const {
  std::string lost, incompatible, connecting, reported;
  for (const mesh::PeerInfo& p : peers_.peers()) {
    std::string& into = p.state == mesh::PeerState::lost           ? lost
                        : p.state == mesh::PeerState::incompatible ? incompatible
                        : p.state == mesh::PeerState::connecting   ? connecting
                                                                   : reported;
    if (&into == &reported && !p.reports_restart) continue;
    into += (into.empty() ? "" : ", ") + p.id;
  }
  if (!incompatible.empty())
    return "needs snapshot load: " + incompatible + " restarted without the cluster's state";
  if (!reported.empty()) return "needs snapshot load: reported by " + reported;
  if (!lost.empty()) return "paused: lost " + lost;
  if (operator_paused_ && !snapshot_hold_) return "paused: by the operator (resume goes on)";
  if (!connecting.empty()) return "connecting: waiting for " + connecting;
  return {};
}

}  // namespace p3p::runtime
