#include "nodes/runtime/sim_actor.hpp"

#include "nodes/runtime/simulation.hpp"
#include "topology/machine.hpp"
#include "topology/memory_estimate.hpp"

namespace p3p::runtime {
namespace {

// Sleeps until one of the sockets may have a message, or `wait` passes (negative: no limit). Cheaper than
// zmq_poll, which makes two poll() calls per wait: ZeroMQ's ZMQ_FD is an edge-triggered "look again"
// signal, so ZMQ_EVENTS is read first (that also processes pending commands and re-arms the edge) and
// only then the fds are polled, once. Only `touched` needs that reading (events were sent on it since it
// was drained, which may have taken its fd's signal); `drained` were read empty just before and not used
// since, so their fds alone tell. Each reading costs two system calls (libzmq checks getpid() and polls
// the mailbox), microseconds each on a virtual machine, several times per epoch.
void sleep_until_readable(void* touched, const std::array<void*, 2>& drained, std::chrono::milliseconds wait) {
  std::array<pollfd, 3> fds{};
  nfds_t n = 0;
  int events = 0;
  std::size_t size = sizeof events;
  if (zmq_getsockopt(touched, ZMQ_EVENTS, &events, &size) == 0 && (events & ZMQ_POLLIN)) return;
  for (void* s : {touched, drained[0], drained[1]}) {
    int fd = -1;
    size = sizeof fd;
    if (s && zmq_getsockopt(s, ZMQ_FD, &fd, &size) == 0) fds[n++] = {fd, POLLIN, 0};
  }
  ::poll(fds.data(), n, static_cast<int>(wait.count()));
}

void wait_for_stop(zmq::socket_t& sock) {
  for (;;) {
    auto cmd = take<SimCommand>(sock, zmq::recv_flags::none);
    if (!cmd || cmd->kind == SimCommand::Kind::stop) return;
  }
}

// The engine, or why not. A network too big for the machine is reported like any other failure: an
// uncaught std::bad_alloc would end this thread, and with it the process, without a word in the log.
Expected<cortex::Engine, std::string> build_engine(const SimConfig& config, Logger& log) {
  log.log(Level::info, "cortex7", "building the engine", {{"estimated_bytes", config.estimated_bytes}});
  try {
    auto engine = cortex::Engine::create(config.spec, config.options);
    if (!engine) return unexpected("cannot build the engine: " + engine.error().message);
    return std::move(*engine);
  } catch (const std::bad_alloc&) {
    const auto machine = topology::machine_memory();
    log.log(Level::error, "cortex7", "out of memory building the engine",
            {{"estimated_bytes", config.estimated_bytes},
             {"machine_total_bytes", machine ? machine->total : 0},
             {"machine_available_bytes", machine ? machine->available : 0}});
    return unexpected("out of memory building the engine: this node's part of the network needs about " +
                      topology::format_bytes(config.estimated_bytes) +
                      " (the estimate p3pctl validate prints), more than the process could allocate");
  }
}

// A command whose call throws (a bug, or memory the system will not give) must not take the node down:
// its caller gets an `internal` error, the log says what happened, and the simulation goes on from the
// state the call found (calls check before they change anything).
bool apply_guarded(Simulation& sim, SimCommand& cmd, zmq::socket_t& sock, Logger& log) {
  std::string what;
  try {
    return sim.apply(cmd);
  } catch (const std::exception& e) {
    what = e.what();
  } catch (...) {
    what = "unknown exception";
  }
  log.log(Level::error, "cortex7", "a call on the simulation thread failed", {{"error", what}, {"call_id", cmd.call_id}});
  const bool answered = cmd.kind == SimCommand::Kind::call || (cmd.kind == SimCommand::Kind::sim_call && cmd.call_id != 0);
  if (answered) {
    auto done = event(SimEvent::Kind::call_done);
    done->call_id = cmd.call_id;
    done->outcome = unexpected(Failure{ErrorCode::internal, "internal error on the simulation thread: " + what});
    post(sock, std::move(done));
  }
  sim.publish();
  return true;
}

void thread_main(zmq::context_t& context, std::string endpoint, SimConfig config, SimActor::Shared& shared, Logger& log) {
  zmq::socket_t sock(context, zmq::socket_type::pair);
  sock.set(zmq::sockopt::linger, 0);
  sock.connect(endpoint);
  SpikeExchange exchange(context, config.exchange);
  auto bound = exchange.bind();
  if (!bound) {
    post(sock, failed("cannot bind the spike path: " + bound.error()));
    return wait_for_stop(sock);  // the loop owns the shutdown order
  }
  auto engine = build_engine(config, log);
  if (!engine) {
    post(sock, failed(engine.error()));
    return wait_for_stop(sock);
  }
  Simulation sim(std::move(*engine), config, exchange, shared, sock, log);
  sim.set_endpoint(*bound);
  sim.publish();
  post(sock, event(SimEvent::Kind::ready));
  for (;;) {
    while (auto cmd = take<SimCommand>(sock))
      if (!apply_guarded(sim, *cmd, sock, log)) {
        exchange.flush();  // the last epoch's batches; the sockets linger briefly to deliver them
        return;
      }
    const bool drained =
        exchange.receive([&](int node, std::uint64_t boot, bus::ByteView body) { sim.on_batch(node, boot, body); },
                         [&](bus::ByteView identity, bus::ByteView body) { sim.on_step(identity, body); });
    const bool backlog = !exchange.flush();
    auto wait = sim.idle_wait();
    if (wait.count() == 0) {
      sim.run_epoch();
      sim.post_telemetry();
      continue;
    }
    sim.post_telemetry();
    if (backlog && (wait.count() < 0 || wait.count() > 10)) wait = std::chrono::milliseconds(10);  // retry soon
    if (wait.count() < 0) sim.publish();  // idle: show the latest waiting_for
    else sim.publish_disconnects();       // a lost connection shows now, not at the next epoch (both drain it)
    if (const auto due = sim.telemetry_wait(); due.count() >= 0 && (wait.count() < 0 || due < wait)) wait = due;
    if (!drained) continue;               // batches left past the budget: no sleep
    // commands, batches, or a lost connection (published at once when idle)
    sleep_until_readable(sock.handle(), {exchange.router_handle(), exchange.disconnects_handle()}, wait);
  }
}

}  // namespace

SimActor::SimActor(zmq::context_t& context, SimConfig config, Logger& log)
    : loop_end_(context, zmq::socket_type::pair), shared_(std::make_shared<Shared>()) {
  const std::string endpoint = endpoint_for(this);
  loop_end_.set(zmq::sockopt::linger, 0);
  loop_end_.bind(endpoint);  // bind before the thread connects (inproc needs the bind first on old libzmq)
  thread_ = std::thread(thread_main, std::ref(context), endpoint, std::move(config), std::ref(*shared_), std::ref(log));
}

SimActor::~SimActor() { stop(); }

void SimActor::stop() {
  if (!thread_.joinable()) return;
  auto stop = std::make_unique<SimCommand>();
  stop->kind = SimCommand::Kind::stop;
  post(loop_end_, std::move(stop));
  thread_.join();
  while (take_event()) {  // free events nobody read
  }
}

SimSnapshot SimActor::snapshot() const {
  std::lock_guard lock(shared_->mutex);
  return shared_->snapshot;
}

nlohmann::json SimActor::exchange_summary() const {
  ExchangeTimings timings;
  {
    std::lock_guard lock(shared_->mutex);  // sorted outside it: the simulation thread publishes under it
    timings = shared_->exchange;
  }
  return timings.summary();
}

nlohmann::json SimActor::exchange_histogram() const {
  std::lock_guard lock(shared_->mutex);
  return shared_->exchange.histogram();
}

void SimActor::set_gate(bool open) {
  auto c = std::make_unique<SimCommand>();
  c->kind = SimCommand::Kind::gate;
  c->open = open;
  post(loop_end_, std::move(c));
}

void SimActor::run_until(std::int64_t tick) {
  auto c = std::make_unique<SimCommand>();
  c->kind = SimCommand::Kind::run_until;
  c->tick = tick;
  post(loop_end_, std::move(c));
}

void SimActor::set_pacing(std::uint32_t tick_ms) {
  auto c = std::make_unique<SimCommand>();
  c->kind = SimCommand::Kind::pacing;
  c->tick = tick_ms;
  post(loop_end_, std::move(c));
}

void SimActor::set_peer_endpoint(int node, std::string endpoint) {
  auto c = std::make_unique<SimCommand>();
  c->kind = SimCommand::Kind::peer_endpoint;
  c->node = node;
  c->endpoint = std::move(endpoint);
  post(loop_end_, std::move(c));
}

void SimActor::call(std::uint64_t call_id, EngineCall call) {
  auto c = std::make_unique<SimCommand>();
  c->kind = SimCommand::Kind::call;
  c->call_id = call_id;
  c->call = std::move(call);
  post(loop_end_, std::move(c));
}

namespace {

std::unique_ptr<SimCommand> sim_call(std::uint64_t call_id, std::function<CallOutcome(Simulation&)> f) {
  auto c = std::make_unique<SimCommand>();
  c->kind = SimCommand::Kind::sim_call;
  c->call_id = call_id;
  c->sim_call = std::move(f);
  return c;
}

}  // namespace

void SimActor::hold(std::uint64_t call_id, std::optional<std::uint64_t> epoch) {
  post(loop_end_, sim_call(call_id, [epoch](Simulation& s) { return s.hold(epoch); }));
}

void SimActor::release(std::uint64_t call_id) {
  post(loop_end_, sim_call(call_id, [](Simulation& s) { return s.release(); }));
}

void SimActor::save_part(std::uint64_t call_id, PartSave request) {
  post(loop_end_, sim_call(call_id, [r = std::move(request)](Simulation& s) { return s.save_part(r); }));
}

void SimActor::stage_part(std::uint64_t call_id, PartLoad request) {
  post(loop_end_, sim_call(call_id, [r = std::move(request)](Simulation& s) { return s.stage_part(r); }));
}

void SimActor::restore_staged(std::uint64_t call_id, std::uint64_t generation) {
  post(loop_end_, sim_call(call_id, [generation](Simulation& s) { return s.restore_staged(generation); }));
}

void SimActor::drop_staged(std::uint64_t call_id) {
  post(loop_end_, sim_call(call_id, [](Simulation& s) { return s.drop_staged(); }));
}

void SimActor::neuron_spikes(std::uint64_t call_id) {
  post(loop_end_, sim_call(call_id, [](Simulation& s) { return s.neuron_spikes(); }));
}

void SimActor::run_until_and_wait(std::uint64_t call_id, std::int64_t tick) {
  // call id 0: the call itself is not answered; the waiter is, when the tick is reached.
  post(loop_end_, sim_call(0, [call_id, tick](Simulation& s) {
    s.raise_target(tick);
    s.wait_tick(call_id, tick);
    return CallOutcome(nlohmann::json());
  }));
}

std::unique_ptr<SimEvent> SimActor::take_event() { return take<SimEvent>(loop_end_); }

}  // namespace p3p::runtime
