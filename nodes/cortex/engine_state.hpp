#pragma once
// Everything an engine's future depends on, as plain data: export -> import -> continue gives the same
// spikes as never stopping. Vectors are indexed like NetworkSpec::populations / ::projections; entries
// for what this engine does not hold (remote populations, projections onto them) stay empty.
#include <cstdint>
#include <vector>

#include "nodes/cortex/eligibility_clock.hpp"

namespace p3p::cortex {

struct PendingInjection {
  std::int64_t tick = 0;
  std::uint32_t population = 0;
  std::uint32_t neuron = 0;
  std::int64_t amount = 0;  // fixed point (fixed_point.hpp)
};

struct PopulationState {
  std::vector<double> v;
  std::vector<double> threshold;
  std::vector<std::int64_t> last_spike;
  std::vector<std::int64_t> pending_input;  // ring buffer: slot (tick % slots) * size + neuron, fixed point
};

struct ProjectionState {
  std::vector<double> weights;  // plastic projections only, target-major synapse order
  std::vector<double> pre_traces;
  std::vector<double> post_traces;
  std::vector<double> eligibility;
  std::vector<std::int32_t> eligibility_offsets;
  std::vector<std::vector<std::uint32_t>> arrivals;  // plastic: sources arriving at tick % (delay + 1)
  double reward_level = 0.0;         // gain mode
  EligibilityClock::State dopamine;  // eligibility mode: the projection's dopamine and running sum
};

struct EngineState {
  std::int64_t tick = 0;
  std::int64_t settled = -1;  // last boundary already processed (see Engine::settle)
  std::vector<PopulationState> populations;
  std::vector<ProjectionState> projections;
  std::vector<PendingInjection> injections;
};

}  // namespace p3p::cortex
