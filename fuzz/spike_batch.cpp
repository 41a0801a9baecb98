// The spike batch a peer sends after every block of epochs (nodes/mesh/spike_batch.hpp), decoded as the simulation does.
// Whatever it accepts obeys the limits it was given, and encodes back to a batch that decodes the same.
#include "fuzz/fuzz_input.hpp"
#include "nodes/mesh/spike_batch.hpp"

using namespace p3p;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  constexpr std::int64_t kEpochTicks = 10;     // an epoch's length
  constexpr std::uint64_t kNeurons = 1000;     // the cluster's neuron count
  constexpr std::uint64_t kMaxEpochs = 4;      // the longest block
  const auto batch = mesh::decode_spike_batch(fuzz::bytes(data, size), kEpochTicks, kNeurons, kMaxEpochs);
  if (!batch) return 0;
  for (const cortex::Spike& s : batch->spikes) {
    fuzz::require(s.neuron < kNeurons, "a neuron id over the limit");
    fuzz::require(s.tick >= batch->first_tick && s.tick < batch->first_tick + static_cast<std::int64_t>(batch->epochs) * kEpochTicks,
                  "a tick outside the batch's epochs");
  }
  fuzz::require(batch->epochs >= 1 && batch->epochs <= kMaxEpochs, "a batch of too many epochs");
  const auto bytes = mesh::encode_spike_batch(batch->generation, batch->epoch, batch->first_tick, batch->spikes, batch->epochs);
  const auto again = mesh::decode_spike_batch(bytes, kEpochTicks, kNeurons, kMaxEpochs);
  fuzz::require(again && again->generation == batch->generation && again->epoch == batch->epoch && again->epochs == batch->epochs &&
                    again->first_tick == batch->first_tick && again->spikes == batch->spikes,
                "a batch does not survive re-encoding");
  return 0;
}
