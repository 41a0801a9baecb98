#include "nodes/runtime/sim_actor.hpp"

#include <algorithm>
#include <chrono>

#include "nodes/mesocortex/raster_sum.hpp"
#include "nodes/runtime/mailbox.hpp"

namespace p3p::runtime {
namespace {

// Every SimActor gets its own inproc endpoint, named after its address (unique while it lives), so
// several nodes can share a process in tests.
std::string endpoint_for(const void* actor) {
  return "inproc://p3p-sim-" + std::to_string(reinterpret_cast<std::uintptr_t>(actor));
}

std::unique_ptr<SimReply> failed(std::string error) {
  auto r = std::make_unique<SimReply>();
  r->kind = SimReply::Kind::failed;
  r->error = std::move(error);
  return r;
}

class Simulation {
 public:
  Simulation(cortex::Engine engine, cortex::EngineOptions options, int node_count)
      : engine_(std::move(engine)), self_(options.node), node_count_(node_count) {
    const auto& spec = engine_.spec();
    for (std::uint32_t p = 0; p < spec.populations.size(); ++p) {
      if (!engine_.is_local(p)) continue;
      ++stats_.columns;
      stats_.neurons += spec.populations[p].size;
    }
    stats_.synapses = engine_.synapse_count();
    const auto cross = engine_.min_cross_delay();
    stats_.crossing = cross.has_value();
    stats_.epoch_ticks = cross.value_or(1);
    stats_.population_spikes.assign(spec.populations.size(), 0);
    for (std::uint32_t p = 0; p < spec.populations.size(); ++p) first_ids_.push_back(engine_.global_id(p, 0));
  }

  const SimStats& stats() const { return stats_; }

  std::unique_ptr<SimReply> call(const SimRequest& req) {
    auto reply = std::make_unique<SimReply>();
    reply->kind = SimReply::Kind::call_done;
    reply->call_id = req.call_id;
    reply->outcome = req.call(engine_);
    reply->stats = stats_;
    return reply;
  }

  std::unique_ptr<SimReply> run(const SimRequest& req) {
    const auto start = std::chrono::steady_clock::now();
    if (auto ok = engine_.deliver_remote_spikes(req.inputs); !ok)
      return failed("remote spikes of epoch " + std::to_string(req.epoch) + " refused: " + ok.error().message);
    std::vector<cortex::Spike> epoch_spikes;
    engine_.run(req.ticks, [&](std::span<const cortex::Spike> s) {
      epoch_spikes.insert(epoch_spikes.end(), s.begin(), s.end());
      raster_.add(s);
      count_by_population(s);
    });
    auto reply = std::make_unique<SimReply>();
    reply->kind = SimReply::Kind::epoch_done;
    reply->epoch = req.epoch;
    reply->for_node.resize(static_cast<std::size_t>(node_count_));
    for (int n = 0; n < node_count_; ++n)
      if (n != self_) reply->for_node[static_cast<std::size_t>(n)] = cortex::spikes_for_node(engine_, epoch_spikes, n);
    stats_.tick = engine_.tick();
    stats_.spikes += epoch_spikes.size();
    stats_.raster_sum = raster_.value();
    stats_.compute_ns += static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start).count());
    reply->stats = stats_;
    return reply;
  }

 private:
  // Spikes come ordered by global id within a tick; populations hold consecutive ids from first_ids_[p].
  void count_by_population(std::span<const cortex::Spike> spikes) {
    for (const cortex::Spike& s : spikes) {
      const auto next = std::upper_bound(first_ids_.begin(), first_ids_.end(), s.neuron);
      ++stats_.population_spikes[static_cast<std::size_t>(next - first_ids_.begin() - 1)];
    }
  }

  cortex::Engine engine_;
  std::vector<std::uint64_t> first_ids_;
  int self_;
  int node_count_;
  SimStats stats_;
  mesocortex::RasterSum raster_;
};

void thread_main(zmq::context_t& context, std::string endpoint, cortex::NetworkSpec spec,
                 cortex::EngineOptions options, int node_count) {
  zmq::socket_t sock(context, zmq::socket_type::pair);
  sock.set(zmq::sockopt::linger, 0);
  sock.connect(endpoint);
  auto engine = cortex::Engine::create(spec, options);
  if (!engine) {
    post(sock, failed("cannot build the engine: " + engine.error().message));
    take<SimRequest>(sock, zmq::recv_flags::none);  // wait for stop, so the loop owns the shutdown order
    return;
  }
  Simulation sim(std::move(*engine), options, node_count);
  auto ready = std::make_unique<SimReply>();
  ready->stats = sim.stats();
  post(sock, std::move(ready));
  for (;;) {
    auto req = take<SimRequest>(sock, zmq::recv_flags::none);
    if (!req || req->kind == SimRequest::Kind::stop) return;
    post(sock, req->kind == SimRequest::Kind::call ? sim.call(*req) : sim.run(*req));
  }
}

}  // namespace

SimActor::SimActor(zmq::context_t& context, cortex::NetworkSpec spec, cortex::EngineOptions options, int node_count)
    : loop_end_(context, zmq::socket_type::pair) {
  const std::string endpoint = endpoint_for(this);
  loop_end_.set(zmq::sockopt::linger, 0);
  loop_end_.bind(endpoint);  // bind before the thread connects (inproc needs the bind first on old libzmq)
  thread_ = std::thread(thread_main, std::ref(context), endpoint, std::move(spec), options, node_count);
}

SimActor::~SimActor() {
  auto stop = std::make_unique<SimRequest>();
  stop->kind = SimRequest::Kind::stop;
  post(loop_end_, std::move(stop));
  thread_.join();
  while (take_reply()) {  // free replies nobody read
  }
}

void SimActor::run_epoch(std::uint64_t epoch, std::int64_t ticks, std::vector<cortex::Spike> inputs) {
  auto req = std::make_unique<SimRequest>();
  req->epoch = epoch;
  req->ticks = ticks;
  req->inputs = std::move(inputs);
  post(loop_end_, std::move(req));
}

void SimActor::call(std::uint64_t call_id, EngineCall call) {
  auto req = std::make_unique<SimRequest>();
  req->kind = SimRequest::Kind::call;
  req->call_id = call_id;
  req->call = std::move(call);
  post(loop_end_, std::move(req));
}

std::unique_ptr<SimReply> SimActor::take_reply() { return take<SimReply>(loop_end_); }

}  // namespace p3p::runtime
