#include "nodes/mesh/spike_batch.hpp"

#include <msgpack.hpp>

#include <cstring>

namespace p3p::mesh {
namespace {

struct ByteSink {
  bus::Bytes* out;
  // resize + memcpy rather than insert(): GCC 12 misreports insert of a char range as an overflow.
  void write(const char* data, std::size_t size) {
    const std::size_t at = out->size();
    out->resize(at + size);
    std::memcpy(out->data() + at, data, size);
  }
};

bool as_uint(const msgpack::object& o, std::uint64_t& v) {
  if (o.type != msgpack::type::POSITIVE_INTEGER) return false;
  v = o.via.u64;
  return true;
}

}  // namespace

bus::Bytes encode_spike_batch(std::uint64_t epoch, std::int64_t first_tick, std::span<const cortex::Spike> spikes) {
  bus::Bytes out;
  out.reserve(16 + spikes.size() * 4);
  ByteSink sink{&out};
  msgpack::packer<ByteSink> pk(sink);
  pk.pack_array(3);
  pk.pack_uint64(epoch);
  pk.pack_uint64(static_cast<std::uint64_t>(first_tick));
  pk.pack_array(static_cast<std::uint32_t>(spikes.size() * 2));
  for (const cortex::Spike& s : spikes) {
    pk.pack_uint64(static_cast<std::uint64_t>(s.tick - first_tick));
    pk.pack_uint64(s.neuron);
  }
  return out;
}

Expected<SpikeBatch, std::string> decode_spike_batch(bus::ByteView body, std::int64_t max_ticks,
                                                     std::uint64_t neuron_count) {
  msgpack::object_handle handle;
  try {
    std::size_t offset = 0;
    // Limits: no container may claim more elements than there are bytes (msgpack-c allocates for the
    // claimed count before reading), no strings/maps/bins at all, depth 2.
    const msgpack::unpack_limit limit(body.size(), 0, 0, 0, 0, 2);
    handle = msgpack::unpack(reinterpret_cast<const char*>(body.data()), body.size(), offset, nullptr, nullptr, limit);
    if (offset != body.size()) return unexpected(std::string("trailing bytes after the batch"));
  } catch (const std::exception& e) {
    return unexpected(std::string("not msgpack: ") + e.what());
  }
  const msgpack::object& root = handle.get();
  if (root.type != msgpack::type::ARRAY || root.via.array.size != 3) return unexpected(std::string("not [epoch, first_tick, spikes]"));
  SpikeBatch batch;
  std::uint64_t first = 0;
  const msgpack::object* items = root.via.array.ptr;
  if (!as_uint(items[0], batch.epoch) || !as_uint(items[1], first) || items[2].type != msgpack::type::ARRAY ||
      items[2].via.array.size % 2 != 0 || first > (std::uint64_t{1} << 62))
    return unexpected(std::string("bad field types"));
  batch.first_tick = static_cast<std::int64_t>(first);
  const msgpack::object_array& flat = items[2].via.array;
  batch.spikes.reserve(flat.size / 2);
  for (std::uint32_t i = 0; i < flat.size; i += 2) {
    std::uint64_t offset = 0, neuron = 0;
    if (!as_uint(flat.ptr[i], offset) || !as_uint(flat.ptr[i + 1], neuron)) return unexpected(std::string("bad spike"));
    if (offset >= static_cast<std::uint64_t>(max_ticks)) return unexpected(std::string("spike outside the epoch"));
    if (neuron >= neuron_count) return unexpected(std::string("unknown neuron id"));
    batch.spikes.push_back({batch.first_tick + static_cast<std::int64_t>(offset), neuron});
  }
  return batch;
}

}  // namespace p3p::mesh
