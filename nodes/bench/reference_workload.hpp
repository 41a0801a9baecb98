#pragma once
// Runs the Brian2 reference workload (see nodes/cortex/presets.hpp) on one engine and measures it.
// Lives outside nodes/cortex because it reads the clock.
#include <cstdint>

#include "common/expected.hpp"
#include "nodes/cortex/error.hpp"

namespace p3p::bench {

struct WorkloadConfig {
  std::uint32_t neurons = 10000;
  std::uint32_t in_degree = 100;
  std::int64_t ticks = 1000;
  bool plastic = false;
  std::uint64_t seed = 1;
  unsigned threads = 1;
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
