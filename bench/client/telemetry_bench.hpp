#pragma once
// `p3pctl bench --telemetry`: how many spikes a node streams to one subscriber, and whether any are lost.
// One local p3p-node simulates one column of N neurons that all fire every tick (baseline above the
// threshold), with the default socket settings; one subscriber (this process) verifies every envelope
// like `p3pctl watch` does and counts the spikes in each batch without building JSON. Batches carry a
// sequence number and cover the ticks back to back, so a lost batch shows as a gap: the result says how
// many spikes were published, received, and how many batches went missing.
#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "bench/workload/reference_params.hpp"
#include "common/expected.hpp"

namespace p3p::cli {

struct TelemetryBenchConfig {
  std::uint32_t neurons = bench::reference::kNeurons;
  std::int64_t ticks = bench::reference::kTicks;
  std::uint32_t tick_ms = 0;  // pacing: 0 = as fast as the node computes
  std::chrono::seconds timeout{300};
};

// {"bench": "telemetry", neurons, ticks, tick_ms, spikes_published, spikes_received, batches, lost_batches,
//  tick_gaps, publisher_dropped, lossless, stream_wall_s, spikes_per_s, ...}
Expected<nlohmann::json, std::string> run_telemetry_bench(const TelemetryBenchConfig& config);

}  // namespace p3p::cli
