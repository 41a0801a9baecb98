#include "nodes/control/telemetry_format.hpp"

#include <msgpack.hpp>

#include <algorithm>
#include <cstring>

#include "bus/msgpack_reader.hpp"

namespace p3p::control {
namespace {

struct Sink {
  bus::Bytes* out;
  void write(const char* data, std::size_t size) {
    const std::size_t at = out->size();
    out->resize(at + size);
    std::memcpy(out->data() + at, data, size);
  }
};

}  // namespace

ColumnIndex::ColumnIndex(const topology::Topology& t) {
  for (const auto& r : t.regions)
    for (const auto& c : r.columns) columns.push_back(&c);
  std::sort(columns.begin(), columns.end(), [](const auto* a, const auto* b) { return a->first_neuron < b->first_neuron; });
  for (const auto* c : columns) first.push_back(c->first_neuron);
}

bus::Bytes encode_spikes(const ColumnIndex& index, std::span<const cortex::Spike> spikes) {
  bus::Bytes out;
  out.reserve(16 + spikes.size() * 4);
  Sink sink{&out};
  msgpack::packer<Sink> pk(sink);
  const std::int64_t first_tick = spikes.empty() ? 0 : spikes.front().tick;
  const std::int64_t last_tick = spikes.empty() ? 0 : spikes.back().tick;
  std::vector<std::vector<std::uint64_t>> by_column(index.columns.size());
  for (const cortex::Spike& s : spikes) {
    const auto c = static_cast<std::size_t>(std::upper_bound(index.first.begin(), index.first.end(), s.neuron) - index.first.begin() - 1);
    by_column[c].push_back(static_cast<std::uint64_t>(s.tick - first_tick));
    by_column[c].push_back(s.neuron - index.first[c]);
  }
  std::uint32_t used = 0;
  for (const auto& v : by_column) used += v.empty() ? 0 : 1;
  pk.pack_array(3);
  pk.pack_uint64(static_cast<std::uint64_t>(first_tick));
  pk.pack_uint64(static_cast<std::uint64_t>(last_tick));
  pk.pack_array(used * 2);
  for (std::size_t c = 0; c < by_column.size(); ++c) {
    if (by_column[c].empty()) continue;
    pk.pack_uint64(c);
    pk.pack_array(static_cast<std::uint32_t>(by_column[c].size()));
    for (const std::uint64_t v : by_column[c]) pk.pack_uint64(v);
  }
  return out;
}

Expected<nlohmann::json, std::string> decode_spikes(const ColumnIndex& index, bus::ByteView body, const std::string& only_region) {
  bus::StrictReader in(body);
  std::uint32_t fields = 0, groups = 0;
  std::uint64_t first = 0, last = 0;
  if (!in.array_header(fields) || fields != 3 || !in.uint(first) || !in.uint(last) || !in.array_header(groups) || groups % 2)
    return unexpected(std::string("not [first_tick, last_tick, [column, spikes]...]"));
  nlohmann::json columns = nlohmann::json::array();
  std::uint64_t count = 0;
  for (std::uint32_t g = 0; g < groups; g += 2) {
    std::uint64_t c = 0;
    std::uint32_t n = 0;
    if (!in.uint(c) || c >= index.columns.size() || !in.array_header(n) || n % 2 || n > in.remaining())
      return unexpected(std::string("bad column group"));
    const topology::Column& col = *index.columns[c];
    nlohmann::json spikes = nlohmann::json::array();
    for (std::uint32_t i = 0; i < n; i += 2) {
      std::uint64_t dt = 0, neuron = 0;
      if (!in.uint(dt) || !in.uint(neuron) || neuron >= col.size || first + dt > last) return unexpected(std::string("bad spike"));
      spikes.push_back({first + dt, neuron});
    }
    if (!only_region.empty() && col.region != only_region) continue;
    count += spikes.size();
    columns.push_back({{"column", col.id}, {"region", col.region}, {"spikes", std::move(spikes)}});
  }
  if (!in.at_end()) return unexpected(std::string("trailing bytes"));
  return nlohmann::json{{"first_tick", first}, {"last_tick", last}, {"spikes", count}, {"columns", columns}};
}

}  // namespace p3p::control
