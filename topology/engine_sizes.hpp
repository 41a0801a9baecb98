#pragma once
// Bytes the neural engine (nodes/cortex) stores per element, for estimating a node's memory from its
// topology. The topology library must not depend on the engine, so the figures are repeated here from the
// engine's storage layout (file named on each); tests/nodes/memory_estimate_test.cpp builds engines and
// checks that estimates made with these figures equal Engine::memory_bytes(), so a change of layout there
// fails that test until it is made here too.
#include <cstdint>

namespace p3p::topology::engine_sizes {

// nodes/cortex/population.hpp, per local neuron: v, threshold, spec_threshold (double) and last_spike (int64).
inline constexpr std::uint64_t kNeuronState = 4 * 8;
// Population::ring: pending input, one int64 per neuron per slot; slots = 1 + the largest delay onto it.
inline constexpr std::uint64_t kRingSlot = 8;

// nodes/cortex/static_synapses.hpp: target_ (uint32) per synapse; synapse_weight_ (int64 fixed point) per
// synapse of an explicit list only; row_ (uint64) per source + 1; source_weight_ (int64) per source of the
// other rules.
inline constexpr std::uint64_t kStaticSynapse = 4;
inline constexpr std::uint64_t kExplicitWeight = 8;
inline constexpr std::uint64_t kRowIndex = 8;
inline constexpr std::uint64_t kSourceWeight = 8;

// nodes/cortex/plastic_synapses.hpp: src_ (uint32) + w_ (double) + out_ (uint32) per synapse; in eligibility
// mode c_ (double) + c_off_ (int32) more; in_ptr_ and out_ptr_ (uint64) per target and source + 1; the pre and
// post traces (double) per source and target.
inline constexpr std::uint64_t kPlasticSynapse = 4 + 8 + 4;
inline constexpr std::uint64_t kEligibility = 8 + 4;
inline constexpr std::uint64_t kTrace = 8;

// Both: split_ (uint32) per source per thread + 1, with more than one engine thread.
inline constexpr std::uint64_t kSplitEntry = 4;

// nodes/cortex/spec.hpp, cortex::ExplicitSynapse {uint32 source, uint32 target, double weight}: every node
// holds the whole NetworkSpec (twice: the node's and the engine's copy), explicit lists included.
inline constexpr std::uint64_t kSpecSynapse = 16;
inline constexpr std::uint64_t kSpecCopies = 2;

}  // namespace p3p::topology::engine_sizes
