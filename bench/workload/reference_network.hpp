#pragma once
// The reference workload's network (bench/brian2_model.py builds the same one in Brian2), from the
// parameters of bench/reference_workload.json: N neurons (the first excitatory_fraction excitatory), fixed
// in-degree K drawn uniformly with replacement from all N, weight +weight from excitatory and
// -inhibitory_scale x weight from inhibitory sources, one delay, the LIF constants, initial v uniform;
// plastic: pair STDP on every synapse (gain dopamine at reward 0).
#include <cstdint>
#include <vector>

#include "bench/workload/reference_params.hpp"
#include "nodes/cortex/spec.hpp"

namespace p3p::bench {

struct ReferenceParams {
  std::uint32_t neurons = reference::kNeurons;
  std::uint32_t in_degree = reference::kInDegree;
  bool plastic = false;
  std::uint64_t seed = reference::kSeed;
};
cortex::NetworkSpec reference_network(const ReferenceParams& p);

// The same model cut into B = |block_nodes| blocks that may live on different nodes (block b on node
// block_nodes[b]): block b holds the neurons [first_b, first_b + size_b) of the N, sizes as even as
// possible (the first N mod B blocks one larger); every block projects to every block with in-degree K
// split over the source blocks the same way, so each neuron still has K inputs, drawn uniformly within
// each source block (stratified sampling of the same distribution). Weights follow the source's index in
// the N (the first ones excitatory). The spec depends on B only, never on the placement, so the spikes are
// the same however the blocks are spread (the distributed benchmark's invariant).
cortex::NetworkSpec reference_network_blocks(const ReferenceParams& p, const std::vector<int>& block_nodes);

}  // namespace p3p::bench
