#include "bench/engine/reference_workload.hpp"

#include <chrono>

#include "bench/workload/reference_network.hpp"
#include "nodes/cortex/engine.hpp"
#include "nodes/cortex/raster_hash.hpp"

namespace p3p::bench {

namespace {
double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}
}  // namespace

Expected<WorkloadResult, cortex::Error> run_reference_workload(const WorkloadConfig& c) {
  const auto t0 = std::chrono::steady_clock::now();
  const cortex::NetworkSpec spec =
      bench::reference_network({c.neurons, c.in_degree, c.plastic, c.seed});
  auto engine = cortex::Engine::create(spec, {0, c.threads});
  if (!engine) return unexpected(engine.error());
  WorkloadResult r;
  r.setup_wall_s = seconds_since(t0);
  r.synapses = engine->synapse_count();
  r.engine_bytes = engine->memory_bytes();

  cortex::RasterHash hash;
  std::uint64_t spikes = 0;
  const auto t1 = std::chrono::steady_clock::now();
  for (std::int64_t i = 0; i < c.ticks; ++i) {
    const auto s = engine->step();
    spikes += s.size();
    hash.add(s);
  }
  r.sim_wall_s = seconds_since(t1);
  r.spikes = spikes;
  r.raster_hash = hash.value();
  r.mean_rate = c.neurons == 0 || c.ticks == 0
                    ? 0.0
                    : static_cast<double>(spikes) / static_cast<double>(c.neurons) / static_cast<double>(c.ticks);
  // Brian2's formula (spikes * K / sim time), so the figures compare.
  r.synaptic_events_per_s =
      r.sim_wall_s > 0 ? static_cast<double>(spikes) * c.in_degree / r.sim_wall_s : 0.0;
  return r;
}

}  // namespace p3p::bench
