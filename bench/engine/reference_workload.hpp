#pragma once
// Runs the reference workload (bench/workload/reference_network.hpp) on one engine and measures it.
// Lives outside nodes/cortex because it reads the clock.
#include <cstdint>

#include "bench/workload/reference_params.hpp"
#include "common/expected.hpp"
#include "nodes/cortex/error.hpp"

namespace p3p::bench {

struct WorkloadConfig {
  std::uint32_t neurons = reference::kNeurons;
  std::uint32_t in_degree = reference::kInDegree;
  std::int64_t ticks = reference::kTicks;
  bool plastic = false;
  std::uint64_t seed = reference::kSeed;
  unsigned threads = reference::kThreads;
};

struct WorkloadResult {
  std::uint64_t synapses = 0;
  std::uint64_t spikes = 0;
  double setup_wall_s = 0.0;  // building the network
  double sim_wall_s = 0.0;    // the tick loop only
  std::uint64_t raster_hash = 0;
  std::uint64_t engine_bytes = 0;  // synapse and neuron storage as the engine counts it
  double mean_rate = 0.0;          // spikes / neurons / ticks
  double synaptic_events_per_s = 0.0;
};

Expected<WorkloadResult, cortex::Error> run_reference_workload(const WorkloadConfig& config);

}  // namespace p3p::bench
