#include "client/telemetry_format.hpp"

#include <msgpack.hpp>

#include <algorithm>
#include <cstring>
#include <functional>

#include "bus/byte_sink.hpp"
#include "bus/msgpack_reader.hpp"

namespace p3p::control {
namespace {

// Walks a spike body strictly, calling `on_spike(column, region, tick, neuron)` for every spike.
Expected<SpikeBatchCounts, std::string> walk(
    const ColumnIndex& index, bus::ByteView body,
    const std::function<void(std::size_t, std::string_view, std::int64_t, std::uint64_t)>& on_spike) {
  bus::StrictReader in(body);
  std::uint32_t fields = 0, groups = 0;
  std::uint64_t seq = 0, first = 0, end = 0;
  // Ticks stay far inside int64 (as in spike batches): a larger one would wrap to a negative tick.
  constexpr std::uint64_t kMaxTick = std::uint64_t{1} << 62;
  if (!in.array_header(fields) || fields != 4 || !in.uint(seq) || !in.uint(first) || !in.uint(end) || end < first || end > kMaxTick ||
      !in.array_header(groups) || groups % 3)
    return unexpected(std::string("not [seq, first_tick, end_tick, [column, region, spikes]...]"));
  SpikeBatchCounts counts{seq, static_cast<std::int64_t>(first), static_cast<std::int64_t>(end), 0};
  for (std::uint32_t g = 0; g < groups; g += 3) {
    std::uint64_t c = 0;
    std::string_view region;
    std::uint32_t n = 0;
    if (!in.uint(c) || c >= index.columns.size() || !in.str(region) || !in.array_header(n) || n % 2 || n > in.remaining())
      return unexpected(std::string("bad column group"));
    const topology::Column& col = *index.columns[c];
    for (std::uint32_t i = 0; i < n; i += 2) {
      std::uint64_t dt = 0, neuron = 0;
      if (!in.uint(dt) || !in.uint(neuron) || neuron >= col.size || dt >= end - first) return unexpected(std::string("bad spike"));
      if (on_spike) on_spike(c, region, static_cast<std::int64_t>(first + dt), neuron);
    }
    counts.spikes += n / 2;
  }
  if (!in.at_end()) return unexpected(std::string("trailing bytes"));
  return counts;
}

}  // namespace

ColumnIndex::ColumnIndex(const topology::Topology& t) {
  for (const auto& r : t.regions)
    for (const auto& c : r.columns) columns.push_back(&c);
  std::sort(columns.begin(), columns.end(), [](const auto* a, const auto* b) { return a->first_neuron < b->first_neuron; });
  for (const auto* c : columns) first.push_back(c->first_neuron);
}

bus::Bytes encode_spikes(const ColumnIndex& index, std::span<const std::string> regions, const SpikeBatch& batch) {
  bus::Bytes out;
  out.reserve(32 + batch.spikes.size() * 4);
  bus::ByteSink sink{&out};
  msgpack::packer<bus::ByteSink> pk(sink);
  std::vector<std::vector<std::uint64_t>> by_column(index.columns.size());
  for (const WireSpike& s : batch.spikes) {
    const auto c = static_cast<std::size_t>(std::upper_bound(index.first.begin(), index.first.end(), s.neuron) - index.first.begin() - 1);
    by_column[c].push_back(static_cast<std::uint64_t>(s.tick - batch.first_tick));
    by_column[c].push_back(s.neuron - index.first[c]);
  }
  std::uint32_t used = 0;
  for (const auto& v : by_column) used += v.empty() ? 0 : 1;
  pk.pack_array(4);
  pk.pack_uint64(batch.seq);
  pk.pack_uint64(static_cast<std::uint64_t>(batch.first_tick));
  pk.pack_uint64(static_cast<std::uint64_t>(batch.end_tick));
  pk.pack_array(used * 3);
  for (std::size_t c = 0; c < by_column.size(); ++c) {
    if (by_column[c].empty()) continue;
    pk.pack_uint64(c);
    pk.pack(c < regions.size() ? regions[c] : std::string());
    pk.pack_array(static_cast<std::uint32_t>(by_column[c].size()));
    for (const std::uint64_t v : by_column[c]) pk.pack_uint64(v);
  }
  return out;
}

Expected<nlohmann::json, std::string> decode_spikes(const ColumnIndex& index, bus::ByteView body, const std::string& only_region) {
  nlohmann::json columns = nlohmann::json::array();
  std::uint64_t kept = 0;
  std::size_t open = SIZE_MAX;  // the column being filled (groups are one per column)
  auto counts = walk(index, body, [&](std::size_t c, std::string_view region, std::int64_t tick, std::uint64_t neuron) {
    if (!only_region.empty() && region != only_region) return;
    if (open != c) {
      columns.push_back({{"column", index.columns[c]->id}, {"region", region}, {"spikes", nlohmann::json::array()}});
      open = c;
    }
    columns.back()["spikes"].push_back({tick, neuron});
    ++kept;
  });
  if (!counts) return unexpected(counts.error());
  return nlohmann::json{{"seq", counts->seq}, {"first_tick", counts->first_tick}, {"end_tick", counts->end_tick},
                        {"spikes", kept}, {"columns", columns}};
}

Expected<SpikeBatchCounts, std::string> count_spikes(const ColumnIndex& index, bus::ByteView body) {
  return walk(index, body, {});
}

bus::Bytes encode_subscribed(std::string_view topic) {
  return nlohmann::json::to_msgpack(nlohmann::json{{"topic", topic}});
}

Expected<std::string, std::string> decode_subscribed(bus::ByteView body) {
  nlohmann::json j;
  try {
    j = nlohmann::json::from_msgpack(body.begin(), body.end());
  } catch (const std::exception& e) {
    return unexpected(std::string(e.what()));
  }
  if (!j.is_object() || j.size() != 1 || !j.contains("topic") || !j["topic"].is_string())
    return unexpected(std::string("not {\"topic\": string}"));
  return j["topic"].get<std::string>();
}

}  // namespace p3p::control
