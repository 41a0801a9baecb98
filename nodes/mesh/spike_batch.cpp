#include "nodes/mesh/spike_batch.hpp"

#include <msgpack.hpp>

#include "bus/byte_sink.hpp"
#include "bus/msgpack_reader.hpp"

namespace p3p::mesh {

bus::Bytes encode_spike_batch(std::uint64_t generation, std::uint64_t epoch, std::int64_t first_tick,
                              std::span<const cortex::Spike> spikes, std::uint64_t epochs) {
  bus::Bytes out;
  out.reserve(16 + spikes.size() * 4);
  bus::ByteSink sink{&out};
  msgpack::packer<bus::ByteSink> pk(sink);
  pk.pack_array(5);
  pk.pack_uint64(generation);
  pk.pack_uint64(epoch);
  pk.pack_uint64(epochs);
  pk.pack_uint64(static_cast<std::uint64_t>(first_tick));
  pk.pack_array(static_cast<std::uint32_t>(spikes.size() * 2));
  for (const cortex::Spike& s : spikes) {
    pk.pack_uint64(static_cast<std::uint64_t>(s.tick - first_tick));
    pk.pack_uint64(s.neuron);
  }
  return out;
}

Expected<SpikeBatch, std::string> decode_spike_batch(bus::ByteView body, std::int64_t epoch_ticks,
                                                     std::uint64_t neuron_count, std::uint64_t max_epochs) {
  // bus::StrictReader: exact types, no allocation but the result (msgpack::unpack built an object tree
  // per batch, a cost on every epoch's critical path).
  bus::StrictReader in(body);
  std::uint32_t fields = 0, flat = 0;
  SpikeBatch batch;
  std::uint64_t first = 0;
  if (!in.array_header(fields) || fields != 5) return unexpected(std::string("not [generation, epoch, epochs, first_tick, spikes]"));
  if (!in.uint(batch.generation) || !in.uint(batch.epoch) || !in.uint(batch.epochs) || !in.uint(first) || !in.array_header(flat) ||
      flat % 2 != 0 || first > (std::uint64_t{1} << 62))
    return unexpected(std::string("bad field types"));
  if (batch.epochs == 0 || batch.epochs > max_epochs) return unexpected(std::string("a batch covers 1 to ") + std::to_string(max_epochs) + " epochs");
  const auto max_ticks = batch.epochs * static_cast<std::uint64_t>(epoch_ticks);
  if (flat > in.remaining()) return unexpected(std::string("spike list longer than the batch"));  // each item >= 1 byte
  batch.first_tick = static_cast<std::int64_t>(first);
  batch.spikes.reserve(flat / 2);
  for (std::uint32_t i = 0; i < flat; i += 2) {
    std::uint64_t offset = 0, neuron = 0;
    if (!in.uint(offset) || !in.uint(neuron)) return unexpected(std::string("bad spike"));
    if (offset >= max_ticks) return unexpected(std::string("spike outside its epochs"));
    if (neuron >= neuron_count) return unexpected(std::string("unknown neuron id"));
    batch.spikes.push_back({batch.first_tick + static_cast<std::int64_t>(offset), neuron});
  }
  if (!in.at_end()) return unexpected(std::string("trailing bytes after the batch"));
  return batch;
}

}  // namespace p3p::mesh
