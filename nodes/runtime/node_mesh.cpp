// The mesh side of a node: heartbeats and peer liveness, the lockstep spike exchange, pacing.
#include "nodes/mesh/spike_batch.hpp"
#include "nodes/runtime/node.hpp"

namespace p3p::runtime {

std::uint64_t Node::now_ms() const {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started_).count());
}

void Node::on_sim_reply() {
  while (auto r = sim_->take_reply()) {
    switch (r->kind) {
      case SimReply::Kind::ready: on_sim_ready(*r); break;
      case SimReply::Kind::epoch_done: on_epoch_done(*r); break;
      case SimReply::Kind::call_done: on_call_done(*r); break;
      case SimReply::Kind::failed:
        failure_ = r->error;
        log_.log(Level::error, "cortex7", "simulation failed", {{"error", r->error}});
        // A node that cannot even build its engine has nothing to serve: exit non-zero. One that failed
        // mid-run stays up (paused, saying why), so the cluster's state can still be inspected.
        if (!lockstep_ || stopping_) loop_.stop();
        break;
    }
  }
}

void Node::on_sim_ready(const SimReply& r) {
  stats_ = r.stats;
  std::vector<int> peer_nodes;
  for (const PeerLink& l : links_) peer_nodes.push_back(l.node);
  lockstep_.emplace(peer_nodes, stats_.epoch_ticks);
  target_epochs_ = lockstep_->epochs_for(options_.ticks);
  log_.log(Level::info, "cortex7", "engine ready",
           {{"columns", stats_.columns}, {"neurons", stats_.neurons}, {"synapses", stats_.synapses},
            {"epoch_ticks", stats_.epoch_ticks}, {"crossing", stats_.crossing},
            {"target_tick", lockstep_->first_tick(target_epochs_)}});
  if (stopping_) return finish_stop();
  on_heartbeat_timer();  // now we can take part: tell the peers
  maybe_start_epoch();
}

void Node::on_epoch_done(SimReply& r) {
  stats_ = r.stats;
  const std::int64_t first = lockstep_->first_tick(r.epoch);
  for (PeerLink& link : links_) {
    const auto& spikes = r.for_node[static_cast<std::size_t>(link.node)];
    send_to_peer(link, "mesh", "spike_batch", mesh::encode_spike_batch(r.epoch, first, spikes), true);
  }
  lockstep_->end();
  barrier_since_ = Clock::now();
  if (lockstep_->next_epoch() == target_epochs_) {
    target_reached_ns_ = bus::unix_now_ns();
    log_.log(Level::info, "cortex7", "target tick reached", {{"tick", stats_.tick}, {"spikes", stats_.spikes}});
  }
  if (stopping_) return finish_stop();
  maybe_start_epoch();
}

void Node::send_to_peer(PeerLink& link, std::string_view module, std::string_view kind, const bus::Bytes& body,
                        bool must_arrive) {
  if (!outbox_.seal({link.id, module, kind}, bus::ByteView(body), frame_)) return;
  if (must_arrive && !link.backlog.empty()) {  // keep the order: behind what is already waiting
    link.backlog.push_back(frame_);
    return;
  }
  if (link.dealer->send(frame_) == bus::SendResult::sent) return;
  if (must_arrive) link.backlog.push_back(frame_);  // heartbeats and pings may be skipped; batches never
}

void Node::flush_backlog(PeerLink& link) {
  while (!link.backlog.empty() && link.dealer->send(link.backlog.front()) == bus::SendResult::sent)
    link.backlog.pop_front();
}

void Node::on_heartbeat_timer() {
  if (!lockstep_) return;  // not before the engine is ready: peers would start sending batches
  const nlohmann::json hb = {{"epoch", lockstep_->next_epoch()}, {"tick", stats_.tick}, {"state", state_name()}};
  const auto body = nlohmann::json::to_msgpack(hb);
  for (PeerLink& link : links_) {
    flush_backlog(link);
    send_to_peer(link, "mesh", "heartbeat", body, false);
  }
  for (mesh::PeerInfo* p : peers_.expire(now_ms(), topo_.cluster.heartbeat_timeout_ms))
    log_.log(Level::warn, "mesh", "peer lost",
             {{"peer", p->id}, {"silent_ms", now_ms() - p->last_heard_ms}, {"timeout_ms", topo_.cluster.heartbeat_timeout_ms},
              {"tick", stats_.tick}, {"epoch", lockstep_->next_epoch()}});
  const std::string reason = blocked_reason();
  const std::string state = state_name();
  if (state != logged_state_) {
    const bool bad = state == "paused" || state == "needs_snapshot_load";
    log_.log(bad ? Level::warn : Level::info, "runtime", "state " + state,
             {{"from", logged_state_}, {"reason", reason}, {"tick", stats_.tick}});
    logged_state_ = state;
  }
  if (!reason.empty()) paced_from_.reset();  // after a pause, pace from the restart, do not catch up
  maybe_start_epoch();
}

void Node::on_echo_timer() {
  const auto body = nlohmann::json::to_msgpack({{"sent_ns", bus::unix_now_ns()}});
  for (PeerLink& link : links_) {
    const mesh::PeerInfo* p = peers_.at_node(link.node);
    if (p && p->state == mesh::PeerState::connected) send_to_peer(link, "echo", "ping", body, false);
  }
}

void Node::handle_mesh(const bus::EnvelopeView& env, mesh::PeerInfo& peer) {
  if (env.kind == "spike_batch") return handle_batch(env, peer);
  if (env.kind != "heartbeat") {
    ++bad_batches_;
    return;
  }
  try {
    const auto hb = nlohmann::json::from_msgpack(env.body.begin(), env.body.end());
    const bool judged = peers_.on_heartbeat(peer, hb.at("epoch").get<std::uint64_t>(), hb.at("tick").get<std::int64_t>(),
                                            hb.at("state").get<std::string>(), lockstep_ ? lockstep_->next_epoch() : 0);
    if (judged)
      log_.log(peer.compatible ? Level::info : Level::warn, "mesh", peer.compatible ? "peer connected" : "peer incompatible",
               {{"peer", peer.id}, {"peer_tick", peer.reported_tick}, {"tick", stats_.tick},
                {"restarts", peer.restarts}});
  } catch (const std::exception& e) {
    ++bad_batches_;
    log_.log(Level::warn, "mesh", "bad heartbeat", {{"peer", peer.id}, {"error", e.what()}});
  }
}

void Node::handle_batch(const bus::EnvelopeView& env, mesh::PeerInfo& peer) {
  std::string problem;
  if (!lockstep_ || peer.state != mesh::PeerState::connected) {
    problem = "batch from a peer not in the lockstep (" + std::string(mesh::to_string(peer.state)) + ")";
  } else if (auto batch = mesh::decode_spike_batch(env.body, lockstep_->epoch_ticks(), total_neurons_); !batch) {
    problem = batch.error();
  } else if (batch->first_tick != lockstep_->first_tick(batch->epoch)) {
    problem = "batch of epoch " + std::to_string(batch->epoch) + " starts at the wrong tick";
  } else {
    const auto verdict = lockstep_->on_batch(peer.node, batch->epoch, std::move(batch->spikes));
    if (verdict == mesh::BatchVerdict::accepted) return;
    problem = "batch of epoch " + std::to_string(batch->epoch) + ": " + std::string(mesh::to_string(verdict)) +
              " (next epoch " + std::to_string(lockstep_->next_epoch()) + ")";
  }
  ++bad_batches_;
  std::uint64_t held = 0;
  if (rejection_log_.allow("bad_batch", now_ms(), held))
    log_.log(Level::warn, "mesh", "spike batch refused", {{"peer", peer.id}, {"problem", problem}, {"suppressed_since_last", held}});
}

std::string Node::blocked_reason() const {
  std::string lost, incompatible, connecting, reported;
  for (const mesh::PeerInfo& p : peers_.peers()) {
    std::string& into = p.state == mesh::PeerState::lost           ? lost
                        : p.state == mesh::PeerState::incompatible ? incompatible
                        : p.state == mesh::PeerState::connecting   ? connecting
                                                                   : reported;
    if (&into == &reported && p.reported_state != "needs_snapshot_load") continue;
    into += (into.empty() ? "" : ", ") + p.id;
  }
  if (!incompatible.empty())
    return "needs snapshot load: " + incompatible + " restarted without the cluster's state (cluster at tick " +
           std::to_string(stats_.tick) + ")";
  if (!reported.empty()) return "needs snapshot load: reported by " + reported;
  if (!lost.empty()) return "paused: lost " + lost;
  if (!connecting.empty()) return "connecting: waiting for " + connecting;
  return {};
}

void Node::maybe_start_epoch() {
  if (!lockstep_ || stopping_ || !failure_.empty() || lockstep_->in_flight()) return;
  if (lockstep_->next_epoch() >= target_epochs_ || !blocked_reason().empty() || !lockstep_->inputs_complete()) return;
  if (barrier_since_) {
    if (!links_.empty())
      exchange_.add(static_cast<std::uint64_t>(
          std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - *barrier_since_).count()));
    barrier_since_.reset();
  }
  const std::int64_t epoch_ticks = lockstep_->epoch_ticks();
  if (topo_.cluster.tick_ms > 0) {
    const auto per_epoch = std::chrono::milliseconds(std::int64_t{topo_.cluster.tick_ms} * epoch_ticks);
    const auto epoch = static_cast<std::int64_t>(lockstep_->next_epoch());
    if (!paced_from_) paced_from_ = Clock::now() - per_epoch * epoch;
    const auto due = *paced_from_ + per_epoch * epoch;
    if (Clock::now() < due) {
      if (!pacing_timer_) pacing_timer_ = loop_.at(due, [this] { pacing_timer_.reset(); maybe_start_epoch(); });
      return;
    }
  }
  const std::uint64_t epoch = lockstep_->next_epoch();
  if (!run_started_ns_) run_started_ns_ = bus::unix_now_ns();
  sim_->run_epoch(epoch, epoch_ticks, lockstep_->begin());
}

}  // namespace p3p::runtime
