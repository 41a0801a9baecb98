#pragma once
// The simulation thread's state and work (internal to runtime/: sim_actor.cpp runs it, simulation_snapshot.cpp
// holds its snapshot side). See sim_actor.hpp for what it does.
#include <poll.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <functional>
#include <map>
#include <memory>

#include "bus/clock.hpp"
#include "nodes/mesh/lockstep.hpp"
#include "nodes/mesh/spike_batch.hpp"
#include "nodes/mesocortex/raster_sum.hpp"
#include "nodes/persistence/snapshot_part.hpp"
#include "nodes/loop/mailbox.hpp"
#include "client/msgpack_body.hpp"
#include "nodes/runtime/sim_actor.hpp"
#include "nodes/runtime/sim_step.hpp"

namespace p3p::runtime {

struct SimActor::Shared {
  mutable std::mutex mutex;
  SimSnapshot snapshot;
  ExchangeTimings exchange;
};

using Clock = std::chrono::steady_clock;

class Simulation;

struct SimCommand {
  enum class Kind { gate, run_until, pacing, peer_endpoint, call, sim_call, stop };
  Kind kind = Kind::stop;
  bool open = false;
  std::int64_t tick = 0;
  int node = 0;
  std::string endpoint;
  std::uint64_t call_id = 0;  // call, sim_call: the call_done event's id (sim_call: 0 = no event)
  EngineCall call;
  std::function<CallOutcome(Simulation&)> sim_call;  // snapshot work that needs more than the engine
};

// Every SimActor gets its own inproc endpoint, named after its address (unique while it lives), so
// several nodes can share a process in tests.
inline std::string endpoint_for(const void* actor) {
  return "inproc://p3p-sim-" + std::to_string(reinterpret_cast<std::uintptr_t>(actor));
}

inline std::unique_ptr<SimEvent> event(SimEvent::Kind kind) {
  auto e = std::make_unique<SimEvent>();
  e->kind = kind;
  return e;
}

inline std::unique_ptr<SimEvent> failed(std::string error) {
  auto e = event(SimEvent::Kind::failed);
  e->error = std::move(error);
  return e;
}

class Simulation {
 public:
  Simulation(cortex::Engine engine, const SimConfig& config, SpikeExchange& exchange, SimActor::Shared& shared,
             zmq::socket_t& events, Logger& log)
      : engine_(std::move(engine)),
        config_(config),
        exchange_(exchange),
        shared_(shared),
        events_(events),
        log_(log),
        self_(config.options.node),
        tick_ms_(config.tick_ms) {
    const auto& spec = engine_.spec();
    for (std::uint32_t p = 0; p < spec.populations.size(); ++p) {
      population_index_.emplace(spec.populations[p].name, p);
      first_ids_.push_back(engine_.global_id(p, 0));
      if (!engine_.is_local(p)) continue;
      ++stats_.columns;
      stats_.neurons += spec.populations[p].size;
    }
    stats_.population_spikes.assign(spec.populations.size(), 0);
    neuron_spikes_.resize(spec.populations.size());
    for (std::uint32_t p = 0; p < spec.populations.size(); ++p)
      if (engine_.is_local(p)) neuron_spikes_[p].assign(spec.populations[p].size, 0);
    stats_.synapses = engine_.synapse_count();
    const auto cross = engine_.min_cross_delay();
    stats_.crossing = cross.has_value();
    stats_.epoch_ticks = cross.value_or(1);
    for (int n = 0; n < static_cast<int>(config.exchange.node_ids.size()); ++n)
      if (n != self_) peers_.push_back(n);
    // Which local populations each peer needs (it holds projections from them): fixed by the spec.
    needs_.assign(peers_.size(), std::vector<bool>(spec.populations.size(), false));
    for (const cortex::PeerRoute& r : engine_.routes())
      for (std::size_t k = 0; k < peers_.size(); ++k)
        if (peers_[k] == r.node)
          for (std::uint32_t p : r.populations) needs_[k][p] = true;
    outgoing_.resize(peers_.size());
    sending_.assign(peers_.size(), true);
    lookahead_.assign(peers_.size(), std::nullopt);
    lockstep_.emplace(peers_, stats_.epoch_ticks);
    target_epochs_ = lockstep_->epochs_for(config.target_tick);
  }

  // false: stop.
  bool apply(SimCommand& cmd) {
    switch (cmd.kind) {
      case SimCommand::Kind::stop: return false;
      case SimCommand::Kind::gate:
        gate_open_ = cmd.open;
        if (!gate_open_) paced_from_.reset();  // after a pause, pace from the restart; no catching up
        break;
      case SimCommand::Kind::run_until: raise_target(cmd.tick); break;
      case SimCommand::Kind::pacing:
        tick_ms_ = static_cast<std::uint32_t>(cmd.tick);
        paced_from_.reset();  // pace from now on, no catching up
        break;
      case SimCommand::Kind::peer_endpoint: exchange_.set_peer_endpoint(cmd.node, cmd.endpoint); break;
      case SimCommand::Kind::call:
      case SimCommand::Kind::sim_call: {
        CallOutcome outcome = cmd.kind == SimCommand::Kind::call ? cmd.call(engine_) : cmd.sim_call(*this);
        if (cmd.kind == SimCommand::Kind::sim_call && cmd.call_id == 0) break;
        auto done = event(SimEvent::Kind::call_done);
        done->call_id = cmd.call_id;
        done->outcome = std::move(outcome);
        post(events_, std::move(done));
        break;
      }
    }
    publish();
    return true;
  }

  void raise_target(std::int64_t tick) { target_epochs_ = std::max(target_epochs_, lockstep_->epochs_for(tick)); }

  // How many epochs the next block runs: under a focus, up to the limit but no further than the spikes of
  // the nearest peer it listens to can reach here (its lookahead, in whole epochs); else one, as the
  // lockstep always ran (and when paced: a paced epoch is a wall-clock promise).
  std::uint64_t block_epochs() const {
    if (tick_ms_ != 0 || !focused_) return 1;
    std::uint64_t n = std::min(limit() - lockstep_->next_epoch(), mesh::Lockstep::kMaxBlockEpochs);
    for (const auto& ahead : lookahead_)
      if (ahead) n = std::min(n, static_cast<std::uint64_t>(std::max<std::int64_t>(1, *ahead / lockstep_->epoch_ticks())));
    return std::max<std::uint64_t>(n, 1);
  }

  // A step's focus (sim_step.hpp), taken at rest at the tick the driver stands at, as every node does: the
  // same columns silenced from the same tick everywhere. A peer whose every projection here is silenced is
  // no longer waited for, and this node sends nothing to a peer none of its unsilenced columns reach.
  void set_focus(const std::vector<std::uint32_t>& silenced) {
    (void)engine_.set_silent(silenced);  // parse_step checked the populations
    focused_ = !silenced.empty();
    std::vector<bool> listened(peers_.size());
    for (std::size_t k = 0; k < peers_.size(); ++k) {
      lookahead_[k] = engine_.lookahead_from(peers_[k]);
      listened[k] = !focused_ || lookahead_[k].has_value();
      sending_[k] = !focused_ || engine_.sends_to(peers_[k]);
    }
    lockstep_->listen(listened);
    stats_.silenced = silenced.size();
  }

  // simulation_snapshot.cpp: hold the cluster at an epoch boundary, write this node's part, load one.
  CallOutcome hold(std::optional<std::uint64_t> epoch);
  CallOutcome release();
  CallOutcome save_part(const PartSave& request);
  CallOutcome stage_part(const PartLoad& request);
  CallOutcome restore_staged(std::uint64_t generation);
  CallOutcome drop_staged();
  CallOutcome neuron_spikes() const;

  // The whole batch is decoded and judged before anything changes: only one the lockstep takes may
  // announce a new boot of its sender (and so void that peer's pending batches). A forged batch with a
  // new boot id and a broken body once discarded the real peer's pending batch: the cluster waited forever.
  void on_batch(int node, std::uint64_t boot_id, bus::ByteView body) {
    auto& boot = boots_[node];
    const bool new_boot = boot && *boot != boot_id;
    std::string problem;
    auto batch = mesh::decode_spike_batch(body, lockstep_->epoch_ticks(), config_.total_neurons, mesh::Lockstep::kMaxBlockEpochs);
    if (!batch) {
      problem = batch.error();
    } else if (batch->generation != generation_) {
      ++stale_batches_;  // sent before a snapshot load: its epochs are not ours any more
      return;
    } else if (batch->first_tick != lockstep_->first_tick(batch->epoch)) {
      problem = "batch of epoch " + std::to_string(batch->epoch) + " starts at the wrong tick";
    } else if (const auto verdict = lockstep_->check(node, batch->epoch, new_boot); verdict != mesh::BatchVerdict::accepted) {
      problem = "batch of epoch " + std::to_string(batch->epoch) + ": " + std::string(mesh::to_string(verdict)) +
                " (next epoch " + std::to_string(lockstep_->next_epoch()) + ")";
    } else {
      if (new_boot) lockstep_->forget(node);  // a restarted peer: its old batches are void
      boot = boot_id;
      lockstep_->on_batch(node, batch->epoch, std::move(batch->spikes), batch->epochs);
      return;
    }
    ++bad_batches_;
    std::uint64_t held = 0;
    const auto now_ms = static_cast<std::uint64_t>(bus::unix_now_ns() / 1'000'000);
    if (bad_log_.allow("bad_batch", now_ms, held))
      log_.log(Level::warn, "mesh", "spike batch refused",
               {{"peer", config_.exchange.node_ids[static_cast<std::size_t>(node)]}, {"problem", problem},
                {"suppressed_since_last", held}});
  }

  // Nothing to compute until a command comes (target reached, gate closed, failed) - not merely waiting
  // for the peers' batches of this epoch.
  bool at_rest() const { return !failure_.empty() || !gate_open_ || lockstep_->next_epoch() >= limit(); }
  // No epoch at or past this starts: the target, or the snapshot hold if lower.
  std::uint64_t limit() const { return hold_ ? std::min(*hold_, target_epochs_) : target_epochs_; }

  // How long to wait for something to happen: zero if an epoch can start now.
  std::chrono::milliseconds idle_wait() {
    if (!failure_.empty() || !gate_open_ || lockstep_->next_epoch() >= limit() || !lockstep_->inputs_complete())
      return std::chrono::milliseconds(-1);
    if (tick_ms_ == 0) return std::chrono::milliseconds(0);
    const auto per_epoch = std::chrono::milliseconds(std::int64_t{tick_ms_} * lockstep_->epoch_ticks());
    const auto epoch = static_cast<std::int64_t>(lockstep_->next_epoch());
    if (!paced_from_) paced_from_ = Clock::now() - per_epoch * epoch;
    const auto due = *paced_from_ + per_epoch * epoch;
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(due - Clock::now());
    return std::max(left, std::chrono::milliseconds(0));
  }

  // Runs the next block: as many epochs as the lookahead allows (block_epochs), with one exchange at its
  // end - one epoch unless a focus silences the short-delay crossings.
  void run_epoch() {
    if (barrier_since_) {
      if (!peers_.empty()) barrier_us_ = static_cast<std::uint64_t>(
                               std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - *barrier_since_).count());
      barrier_since_.reset();
    }
    if (!run_started_ns_) run_started_ns_ = bus::unix_now_ns();
    set_in_flight(true);
    const std::uint64_t epoch = lockstep_->next_epoch();
    const std::uint64_t epochs = block_epochs();
    const auto inputs = lockstep_->begin();
    const auto start = Clock::now();
    // Late spikes can only come from a peer that runs another focus than this node (a driver that set it on
    // some nodes only): dropped and counted, never a stop.
    if (auto ok = engine_.deliver_remote_spikes(inputs, &late_spikes_); !ok) {
      failure_ = "remote spikes of epoch " + std::to_string(epoch) + " refused: " + ok.error().message;
      post(events_, failed(failure_));
      set_in_flight(false);
      return;
    }
    for (auto& out : outgoing_) out.clear();
    const std::int64_t ticks = static_cast<std::int64_t>(epochs) * lockstep_->epoch_ticks();
    for (std::int64_t t = 1; t < ticks; ++t) collect(engine_.step());
    // The block's last tick in two halves: its spikes leave for the peers before they are delivered here,
    // so the local synaptic delivery overlaps the exchange.
    collect(engine_.compute_tick());
    const std::int64_t first = lockstep_->first_tick(epoch);
    for (std::size_t k = 0; k < peers_.size(); ++k)
      if (sending_[k]) {
        exchange_.send(peers_[k], bus::ByteView(mesh::encode_spike_batch(generation_, epoch, first, outgoing_[k], epochs)));
        ++batches_sent_;
      }
    if (epochs > 1) ++blocks_;
    engine_.finish_tick();
    lockstep_->end(epochs);
    barrier_since_ = Clock::now();
    stats_.tick = engine_.tick();
    stats_.raster_sum = raster_.value();
    stats_.compute_ns += static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count());
    if (lockstep_->next_epoch() == target_epochs_) {
      target_reached_ns_ = bus::unix_now_ns();
      // For the log's "target tick reached", at most one a second: a driver reaches a target every step,
      // and each event would wake the event loop.
      std::uint64_t held = 0;
      if (reached_log_.allow("target_reached", *target_reached_ns_ / 1'000'000, held)) {
        auto reached = event(SimEvent::Kind::target_reached);
        reached->suppressed = held;
        post(events_, std::move(reached));
      }
    }
    answer_tick_waiters();
    publish();
  }

  // run_until with wait: answered (call_done) once the engine has computed up to `tick` - at once if it
  // has. Checked here, after each epoch, so the answer leaves the moment the tick is reached whoever set
  // the target; its result is where the node stands then (tick_view).
  // At most kMaxTickWaiters wait at once (a client that asks for far ticks and goes away must not grow
  // the node without bound); past it the wait is refused at once, `busy`.
  static constexpr std::size_t kMaxTickWaiters = 256;
  void wait_tick(std::uint64_t call_id, std::int64_t tick) {
    if (tick_waiters_.size() >= kMaxTickWaiters) {
      auto done = event(SimEvent::Kind::call_done);
      done->call_id = call_id;
      done->outcome = unexpected(
          Failure{ErrorCode::busy, std::to_string(kMaxTickWaiters) + " run_until waits are pending on this node"});
      return post(events_, std::move(done));
    }
    tick_waiters_.emplace(tick, call_id);
    answer_tick_waiters();
  }

  // runtime/step (sim_step.hpp), from the spike ROUTER: checked whole, applied at once (between epochs,
  // at the tick the node stands at), then answered like a run_until wait once `until` is computed.
  void on_step(bus::ByteView identity, bus::ByteView body) {
    auto step = [&]() -> Expected<StepRequest, Failure> {
      if (!failure_.empty()) return unexpected(Failure{ErrorCode::not_ready, "the simulation has failed: " + failure_});
      if (step_waiters_.size() >= kMaxTickWaiters)
        return unexpected(Failure{ErrorCode::busy, std::to_string(kMaxTickWaiters) + " steps are pending on this node"});
      auto decoded = control::decode_body(body);
      if (!decoded) return unexpected(Failure{ErrorCode::bad_args, "the step's body: " + decoded.error().message});
      auto parsed = parse_step(*decoded, engine_, population_index_);
      // A focus changes only where every node stands still at the same tick: between the driver's steps.
      if (parsed && parsed->silenced && (lockstep_->next_epoch() < limit() || engine_.tick() != parsed->focus_at))
        return unexpected(Failure{ErrorCode::busy, "a focus is set at rest at the tick it names (this node is at tick " +
                                                       std::to_string(engine_.tick()) + ", running to " +
                                                       std::to_string(limit() * static_cast<std::uint64_t>(lockstep_->epoch_ticks())) + ")"});
      return parsed;
    }();
    if (!step) {
      ++steps_refused_;
      const auto bytes = nlohmann::json::to_msgpack({{"code", step.error().code}, {"message", step.error().message}});
      exchange_.reply(identity, "error", bus::ByteView(bytes));
      return publish();
    }
    apply_step(*step, engine_);
    if (step->silenced) set_focus(*step->silenced);
    raise_target(step->until);
    step_waiters_.emplace(step->until, StepWaiter{bus::Bytes(identity.begin(), identity.end()), std::move(step->counted)});
    answer_tick_waiters();
    publish();
  }

  void publish() {
    std::lock_guard lock(shared_.mutex);
    SimSnapshot& s = shared_.snapshot;
    s.ready = true;
    s.stats = stats_;
    s.next_epoch = lockstep_->next_epoch();
    s.target_epochs = target_epochs_;
    s.in_flight = false;
    s.waiting_for = lockstep_->missing();
    s.run_started_ns = run_started_ns_;
    s.target_reached_ns = target_reached_ns_;
    s.spikes_endpoint = endpoint_;
    s.rejected = exchange_.inbox().rejections();
    s.bad_batches = bad_batches_;
    s.stale_batches = stale_batches_;
    s.exchange_sent = exchange_.sent();
    s.exchange_accepted = exchange_.inbox().accepted();
    s.snapshot_saves = saves_;
    s.snapshot_save_s = save_s_;
    s.snapshot_loads = loads_;
    s.snapshot_load_s = load_s_;
    s.held = hold_.has_value();
    s.generation = generation_;
    s.misaddressed = exchange_.misaddressed();
    s.spike_disconnects = published_disconnects_ = exchange_.disconnects();
    s.steps_served = steps_served_;
    s.steps_refused = steps_refused_;
    s.late_spikes = late_spikes_;
    s.batches_sent = batches_sent_;
    s.blocks = blocks_;
    if (barrier_us_) shared_.exchange.add(*barrier_us_);
    barrier_us_.reset();
  }

  // Publishes if the spike ROUTER lost a connection since the last publish (reading its events, which
  // also stops them waking the thread again).
  void publish_disconnects() {
    if (exchange_.disconnects() != published_disconnects_) publish();
  }

  void set_endpoint(std::string e) { endpoint_ = std::move(e); }

  // How long until computed ticks are due on the telemetry stream (post_telemetry); -1: none are waiting.
  std::chrono::milliseconds telemetry_wait() const {
    if (engine_.tick() == telemetry_from_) return std::chrono::milliseconds(-1);
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(telemetry_since_ + kTelemetryEvery - Clock::now());
    return std::max(left, std::chrono::milliseconds(0));
  }

  // Telemetry: the local spikes go to the loop (which publishes them) in batches - at most every 10 ms,
  // or at 64 Ki spikes - never one hand-off per epoch, nor one per closed-loop step of the cluster driver
  // (each would wake the loop). Batches cover every tick computed, back to back (empty ones too), so a
  // subscriber can tell a lost batch from a quiet network. At rest, telemetry_wait() says when to post.
  static constexpr std::chrono::milliseconds kTelemetryEvery{10};
  void post_telemetry() {
    const std::int64_t end = engine_.tick();
    if (end == telemetry_from_) return;
    const auto now = Clock::now();
    if (telemetry_.size() < 65536 && now - telemetry_since_ < kTelemetryEvery) return;
    auto e = event(SimEvent::Kind::spikes);
    e->spikes.swap(telemetry_);
    e->first_tick = telemetry_from_;
    e->end_tick = end;
    telemetry_.reserve(e->spikes.size());
    telemetry_since_ = now;
    telemetry_from_ = end;
    post(events_, std::move(e));
  }

 private:
  void answer_tick_waiters() {
    while (!step_waiters_.empty() && step_waiters_.begin()->first <= engine_.tick()) {
      const StepWaiter& w = step_waiters_.begin()->second;
      nlohmann::json columns = nlohmann::json::object();
      for (const std::uint32_t p : w.counted) columns[engine_.spec().populations[p].name] = neuron_spikes_[p];
      const auto bytes = nlohmann::json::to_msgpack({{"tick", engine_.tick()}, {"raster_sum", raster_.value()}, {"columns", std::move(columns)}});
      exchange_.reply(bus::ByteView(w.identity), "result", bus::ByteView(bytes));
      step_waiters_.erase(step_waiters_.begin());
      ++steps_served_;
    }
    while (!tick_waiters_.empty() && tick_waiters_.begin()->first <= engine_.tick()) {
      auto done = event(SimEvent::Kind::call_done);
      done->call_id = tick_waiters_.begin()->second;
      done->outcome = tick_view();
      tick_waiters_.erase(tick_waiters_.begin());
      post(events_, std::move(done));
    }
  }
  CallOutcome tick_view() const;  // simulation_snapshot.cpp: tick, raster sum, per-neuron counts

  void set_in_flight(bool v) {
    std::lock_guard lock(shared_.mutex);
    shared_.snapshot.in_flight = v;
  }

  // One tick's local spikes: counted per population (populations hold consecutive global ids from
  // first_ids_[p]), added to the raster sum, and queued for every peer that needs their population.
  void collect(std::span<const cortex::Spike> spikes) {
    raster_.add(spikes);
    for (const cortex::Spike& s : spikes) telemetry_.push_back({s.tick, s.neuron});
    stats_.spikes += spikes.size();
    std::size_t p = 0;
    std::uint64_t end = 0;  // spikes of one population come together: look it up only when leaving it
    for (const cortex::Spike& s : spikes) {
      if (s.neuron >= end || s.neuron < first_ids_[p]) {
        p = static_cast<std::size_t>(std::upper_bound(first_ids_.begin(), first_ids_.end(), s.neuron) - first_ids_.begin() - 1);
        end = p + 1 < first_ids_.size() ? first_ids_[p + 1] : UINT64_MAX;
      }
      ++stats_.population_spikes[p];
      ++neuron_spikes_[p][s.neuron - first_ids_[p]];
      for (std::size_t k = 0; k < peers_.size(); ++k)
        if (needs_[k][p]) outgoing_[k].push_back(s);
    }
  }

  cortex::Engine engine_;
  const SimConfig& config_;
  SpikeExchange& exchange_;
  SimActor::Shared& shared_;
  zmq::socket_t& events_;
  Logger& log_;
  int self_;
  std::uint32_t tick_ms_;
  std::vector<int> peers_;
  std::optional<mesh::Lockstep> lockstep_;
  std::uint64_t target_epochs_ = 0;
  bool gate_open_ = false;
  std::string failure_;
  std::map<int, std::optional<std::uint64_t>> boots_;
  std::optional<Clock::time_point> paced_from_;
  std::optional<Clock::time_point> barrier_since_;
  std::optional<std::uint64_t> barrier_us_;
  std::optional<std::uint64_t> run_started_ns_;
  std::optional<std::uint64_t> target_reached_ns_;
  std::string endpoint_;
  std::uint64_t bad_batches_ = 0;
  std::uint64_t published_disconnects_ = 0;
  RateLimitedLog bad_log_;
  RateLimitedLog reached_log_;
  SimStats stats_;
  std::vector<std::uint64_t> first_ids_;
  std::vector<std::vector<bool>> needs_;               // [peer k][population]: peer k needs its spikes
  std::vector<std::vector<cortex::Spike>> outgoing_;   // [peer k]: this block's spikes for it
  bool focused_ = false;                               // some columns are silenced (set_focus)
  std::vector<bool> sending_;                          // [peer k]: it gets a batch after every block
  std::vector<std::optional<std::int32_t>> lookahead_;  // [peer k]: its nearest unsilenced delay onto here
  std::uint64_t late_spikes_ = 0;                      // remote spikes dropped as too late (focus mismatch)
  std::uint64_t batches_sent_ = 0;                     // spike batches to peers
  std::uint64_t blocks_ = 0;                           // blocks of more than one epoch run
  std::vector<control::WireSpike> telemetry_;          // local spikes not yet handed to the loop
  Clock::time_point telemetry_since_ = Clock::now();
  std::int64_t telemetry_from_ = engine_.tick();       // first tick of the next telemetry batch
  mesocortex::RasterSum raster_;
  std::optional<std::uint64_t> hold_;               // snapshot: start no epoch at or past this
  std::uint64_t generation_ = 0;                    // snapshot loads so far (cluster-wide id of the last)
  std::uint64_t stale_batches_ = 0;                 // batches from before a load, dropped
  std::unique_ptr<persistence::SnapshotPart> staged_;  // a checked part waiting for restore_staged
  double stage_s_ = 0;                              // how long staging the part took (counted when restored)
  std::optional<std::uint64_t> part_cap_;           // the largest part file this engine can load (max_part_bytes)
  std::vector<std::vector<std::uint64_t>> neuron_spikes_;  // [population][neuron] so far; empty for remote ones
  std::multimap<std::int64_t, std::uint64_t> tick_waiters_;  // tick -> call id (run_until with wait)
  struct StepWaiter {
    bus::Bytes identity;                // the driver's routing id on the spike ROUTER
    std::vector<std::uint32_t> counted;  // populations whose counts the answer carries
  };
  std::multimap<std::int64_t, StepWaiter> step_waiters_;  // until -> who waits (runtime/step)
  PopulationIndex population_index_;  // every column id -> population
  std::uint64_t steps_served_ = 0, steps_refused_ = 0;
  std::uint64_t saves_ = 0, loads_ = 0;
  double save_s_ = 0, load_s_ = 0;
};

}  // namespace p3p::runtime
