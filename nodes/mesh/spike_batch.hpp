#pragma once
// The body of a `spike_batch` envelope: the spikes of one or more epochs (a block, see lockstep.hpp) that
// one peer needs. Sent after every block to every peer that listens, EVEN WHEN EMPTY: the batch is also the
// barrier ("I finished epochs e .. e+n-1").
//   msgpack [ generation: uint, epoch: uint, epochs: uint, first_tick: uint, [ tick_offset_0, neuron_0, ... ] ]
// Ticks are offsets from first_tick (small numbers, mostly one byte each), neuron ids are global, spikes in
// tick order. The generation changes on every snapshot load (the same on every node): a batch sent before a
// load can never be taken for one of the loaded epochs.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "bus/bytes.hpp"
#include "common/expected.hpp"
#include "nodes/cortex/engine.hpp"

namespace p3p::mesh {

struct SpikeBatch {
  std::uint64_t generation = 0;
  std::uint64_t epoch = 0;
  std::uint64_t epochs = 1;
  std::int64_t first_tick = 0;
  std::vector<cortex::Spike> spikes;
};

bus::Bytes encode_spike_batch(std::uint64_t generation, std::uint64_t epoch, std::int64_t first_tick,
                              std::span<const cortex::Spike> spikes, std::uint64_t epochs = 1);

// Strict: exact structure, unsigned integers, no trailing bytes, 1 to `max_epochs` epochs, ticks within
// [first_tick, first_tick + epochs * epoch_ticks), neuron ids below `neuron_count`. Never throws.
Expected<SpikeBatch, std::string> decode_spike_batch(bus::ByteView body, std::int64_t epoch_ticks,
                                                     std::uint64_t neuron_count, std::uint64_t max_epochs = 1);

}  // namespace p3p::mesh
