#pragma once
// A ready-made network: the original Cortex-7 core (the reference workload is bench/workload/reference_network.hpp).
#include <cstdint>

#include "nodes/cortex/spec.hpp"

namespace p3p::cortex {

// The `cortex7` column (docs/original.md, "The core"): 4 neurons, thresholds 1.0/1.2/1.3/1.5, chain, feedback and
// self-loops in the original's link order, delay 1, legacy STDP, gain dopamine.
PopulationSpec cortex7_population(double noise = 0.005);
ProjectionSpec cortex7_projection(std::uint32_t population);
NetworkSpec cortex7_network(std::uint64_t seed, double noise = 0.005);

}  // namespace p3p::cortex
