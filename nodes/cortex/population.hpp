#pragma once
// One column's neurons in structure-of-arrays form, plus its ring buffer of pending input. A remote
// population (held by another node) keeps only its size and global id base.
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "nodes/cortex/spec.hpp"

namespace p3p::cortex {

struct Population {
  std::uint32_t size = 0;
  std::uint64_t global_base = 0;
  bool local = false;
  // Silenced (Engine::set_silent): its neurons integrate and reset as usual, but a crossing of the threshold
  // emits no spike - nothing is delivered, recorded or sent. Outside an experiment's focus.
  bool silent = false;
  NeuronParams params;
  // Set by a reset with a noise seed: the noise is keyed by (noise_seed, global id, tick - noise_origin)
  // from then on, not by (cluster seed, global id, tick), so what follows does not depend on the tick.
  std::optional<std::uint64_t> noise_seed;
  std::int64_t noise_origin = 0;
  std::vector<double> v;
  std::vector<double> threshold;
  std::vector<double> spec_threshold;  // as built, for restore_thresholds
  std::vector<std::int64_t> last_spike;
  // Pending input in fixed point, slots x size: slot (tick % slots) holds what tick `tick` will add
  // before its leak. slots = 1 + the largest delay of a projection onto this population.
  std::vector<std::int64_t> ring;
  std::uint32_t slots = 1;
  std::vector<std::uint32_t> spikes;                    // local indices fired at the last computed tick
  std::vector<std::vector<std::uint32_t>> part_spikes;  // per worker part, merged into `spikes`
  std::vector<std::unique_ptr<std::uint32_t[]>> scratch;  // per part, one slot per neuron (uninitialised)
  std::vector<std::uint32_t> bounds;                    // worker task boundaries (parts + 1)
  // Coarser split (one range per thread) for the phases that walk synapse rows: each extra split of a
  // row costs per spike, and rows of ~100 synapses cut 8 ways lost all the threads' gain.
  std::vector<std::uint32_t> row_bounds;

  std::int64_t* slot(std::int64_t tick) {
    return ring.data() + static_cast<std::size_t>(tick % slots) * size;
  }
  const std::int64_t* slot(std::int64_t tick) const {
    return ring.data() + static_cast<std::size_t>(tick % slots) * size;
  }
};

// "The original never fired" sentinel for last spike ticks (the original's -10^9, docs/original.md).
inline constexpr std::int64_t kNeverSpiked = -1000000000;

}  // namespace p3p::cortex
