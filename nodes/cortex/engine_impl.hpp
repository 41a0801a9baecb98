#pragma once
// Engine internals shared by the engine_*.cpp files (not part of the public API).
#include <cstdint>
#include <vector>

#include "nodes/cortex/eligibility_clock.hpp"
#include "nodes/cortex/engine.hpp"
#include "nodes/cortex/plastic_synapses.hpp"
#include "nodes/cortex/population.hpp"
#include "nodes/cortex/static_synapses.hpp"
#include "nodes/cortex/worker_pool.hpp"

namespace p3p::cortex {

struct ProjectionRuntime {
  const ProjectionSpec* spec = nullptr;
  bool held = false;     // target population is local: the synapses live here
  bool plastic = false;
  StaticSynapses fixed;
  PlasticSynapses plastic_syn;
  // Plastic only: sources whose spikes reach the synapses at boundary b, in slot b % (delay + 1).
  std::vector<std::vector<std::uint32_t>> arrivals;
  // Plastic only: how rewards reach this projection (dopamine_of its spec), and its own reward state.
  DopamineMode mode = DopamineMode::off;
  double eta = 0.0;
  double reward_level = 0.0;  // gain
  EligibilityClock clock;     // eligibility: this projection's dopamine and running sum
  bool eligibility() const { return plastic && mode == DopamineMode::eligibility; }
};

class EngineImpl {
 public:
  EngineImpl(const NetworkSpec& s, const EngineOptions& o);

  // engine_build.cpp
  Expected<void, Error> build();
  void layout_populations();
  Expected<void, Error> build_projections();
  void init_population(std::size_t index);
  void initial_potentials(std::size_t index);  // v as built (keyed by global id)
  ConnectivityContext connectivity(std::size_t projection) const;
  void rebuild_plastic(std::size_t projection);  // a held plastic projection's synapses as built

  // engine_step.cpp
  void settle();
  void step();  // settle, update_neurons, send_spikes, ++tick
  void update_neurons();
  void send_spikes();

  // helpers
  BoundaryContext context_for(const ProjectionRuntime& pr) const;
  std::uint32_t population_of(std::uint64_t global_id) const;  // pops.size() if none
  void catch_up(ProjectionRuntime& pr);  // eligibility: every synapse's pending dopamine effect applied
  // A trial's start for a held plastic projection: pending effects applied, STDP traces, eligibility,
  // dopamine and reward level zero, the clock based at tick (so what follows does not depend on the past).
  void clear_learning_state(ProjectionRuntime& pr);

  NetworkSpec spec;
  EngineOptions options;
  unsigned parts;      // tasks per neuron phase (contiguous neuron ranges)
  unsigned row_parts;  // tasks per synapse-row phase: one per thread
  std::vector<Population> pops;
  std::vector<ProjectionRuntime> projs;
  std::vector<std::vector<std::uint32_t>> held_from;  // per source population: held projection indices
  WorkerPool pool;
  std::int64_t tick = 0;
  std::int64_t settled = -1;
  std::vector<PendingInjection> injections;
  std::vector<Spike> tick_spikes;
  // deliver_remote_spikes' scratch, kept between calls so an epoch's batch allocates nothing.
  struct RemoteGroup {
    std::uint32_t projection = 0;
    std::int64_t arrival = 0;
    std::vector<std::uint32_t> sources;
  };
  std::vector<RemoteGroup> remote_groups;
  std::vector<std::size_t> remote_group_of;  // per projection: its group for the arrival seen last

 private:
  void apply_injections();
  void process_plastic(ProjectionRuntime& pr);
};

// With several threads, each phase is cut into this many tasks per thread (contiguous neuron ranges),
// taken dynamically by the threads: a thread slowed down by other load does fewer.
inline constexpr unsigned kTasksPerThread = 4;

// Part q of n items split into `parts` contiguous ranges.
inline std::uint32_t part_begin(std::uint32_t n, unsigned q, unsigned parts) {
  return static_cast<std::uint32_t>(static_cast<std::uint64_t>(n) * q / parts);
}

}  // namespace p3p::cortex
