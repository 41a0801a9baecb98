#pragma once
// Ready-made networks: the original Cortex-7 core and the Brian2 reference workload.
#include <cstdint>
#include <vector>

#include "nodes/cortex/spec.hpp"

namespace p3p::cortex {

// The `cortex7` column (docs/original.md, "The core"): 4 neurons, thresholds 1.0/1.2/1.3/1.5, chain, feedback and
// self-loops in the original's link order, delay 1, legacy STDP, gain dopamine.
PopulationSpec cortex7_population(double noise = 0.005);
ProjectionSpec cortex7_projection(std::uint32_t population);
NetworkSpec cortex7_network(std::uint64_t seed, double noise = 0.005);

// bench/brian2_model.py: N neurons (first 80% excitatory), fixed in-degree K drawn uniformly with
// replacement from all N, weight +0.02 from excitatory and -0.09 from inhibitory sources, delay 1,
// leak 0.95, baseline 0.06, noise 0.005, threshold 1, reset 0, initial v uniform in [0, 1); plastic:
// pair STDP A+ 0.01, A- 0.012, tau 20, clip [-2, 2], gain mode at reward 0.
struct ReferenceParams {
  std::uint32_t neurons = 10000;
  std::uint32_t in_degree = 100;
  bool plastic = false;
  std::uint64_t seed = 1;
};
NetworkSpec reference_network(const ReferenceParams& p);

// The same model cut into B = |block_nodes| blocks that may live on different nodes (block b on node
// block_nodes[b]): block b holds the neurons [first_b, first_b + size_b) of the N, sizes as even as
// possible (the first N mod B blocks one larger); every block projects to every block with in-degree K
// split over the source blocks the same way, so each neuron still has K inputs, drawn uniformly within
// each source block (stratified sampling of the same distribution). Weights follow the source's index in
// the N (the first 80% excitatory). The spec depends on B only, never on the placement, so the spikes are
// the same however the blocks are spread (the distributed benchmark's invariant).
NetworkSpec reference_network_blocks(const ReferenceParams& p, const std::vector<int>& block_nodes);

// Sizes of `total` split into `parts` as evenly as possible, the larger ones first.
std::vector<std::uint32_t> even_split(std::uint32_t total, std::uint32_t parts);

}  // namespace p3p::cortex
