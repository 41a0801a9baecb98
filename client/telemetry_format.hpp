#pragma once
// The telemetry a node publishes on its PUB socket, signed like every envelope (module "telemetry"):
//   topic "spikes.<node>", kind "spikes": the node's local spikes, in batches that cover every computed
//     tick back to back (about every 10 ms, empty ones included), so a subscriber sees a lost batch as a
//     gap in `seq` or in the ticks. msgpack
//       [ seq, first_tick, end_tick, [ column_index, region, [ tick - first_tick, neuron, ... ], ... ] ]
//     covering ticks [first_tick, end_tick); column_index is the column's place in the topology (file
//     order), neuron its index in the column, region the column's region when it was published.
//   topic "metrics.<node>", kind "metrics": once a second, a msgpack map (built in nodes/runtime/node_telemetry.cpp).
//   topic "events.<node>", kind "event": a msgpack map {"event", "tick", "unix_ms", ...} when something
//     happens (reward, thresholds, regions, pause/resume, pacing, peers lost/back, commands served).
//   topic T, kind "subscribed": the node's answer to a subscription to T, published on T itself (so the
//     subscriber that sent it, subscribed to T, receives it): a msgpack map {"topic": T}. Whoever receives
//     one from a node is subscribed there, and receives everything the node publishes after it on topics
//     its subscription matches (ZeroMQ's "slow joiner": before it, messages are lost silently). It reaches
//     every subscriber whose prefix matches T, so subscribers take any marker as proof, not only their own.
// encode/decode live here so the node (publisher) and p3pctl watch (subscriber) cannot disagree.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "bus/bytes.hpp"
#include "common/expected.hpp"
#include "topology/topology.hpp"

namespace p3p::control {

// The topology's columns in global-id order, for mapping spikes both ways.
struct ColumnIndex {
  explicit ColumnIndex(const topology::Topology& t);
  std::vector<const topology::Column*> columns;
  std::vector<std::uint64_t> first;  // first global id of each column
};

// A spike as the telemetry carries it: the engine's spike (tick, global neuron id) without the engine, so
// clients need not link it.
struct WireSpike {
  std::int64_t tick = 0;
  std::uint64_t neuron = 0;  // global id
};

struct SpikeBatch {
  std::uint64_t seq = 0;  // 1, 2, 3, ... per node process
  std::int64_t first_tick = 0;
  std::int64_t end_tick = 0;
  std::span<const WireSpike> spikes;  // ticks in [first_tick, end_tick), neurons local to the node
};

// `regions`: the region of each column of `index`, in the same order.
bus::Bytes encode_spikes(const ColumnIndex& index, std::span<const std::string> regions, const SpikeBatch& batch);

// {"seq", "first_tick", "end_tick", "spikes": count, "columns": [{"column", "region", "spikes": [[tick, neuron]...]}]}
// keeping only the columns of `only_region` when it is given. Strict: a malformed body is an error.
Expected<nlohmann::json, std::string> decode_spikes(const ColumnIndex& index, bus::ByteView body,
                                                    const std::string& only_region = {});

// Just the counts, without building JSON (for benchmarks and loss checks): seq, ticks and spikes.
struct SpikeBatchCounts {
  std::uint64_t seq = 0;
  std::int64_t first_tick = 0;
  std::int64_t end_tick = 0;
  std::uint64_t spikes = 0;
};
Expected<SpikeBatchCounts, std::string> count_spikes(const ColumnIndex& index, bus::ByteView body);

// The subscription marker (kind kSubscribedKind): its body names the topic it answers.
inline constexpr std::string_view kSubscribedKind = "subscribed";
bus::Bytes encode_subscribed(std::string_view topic);
Expected<std::string, std::string> decode_subscribed(bus::ByteView body);  // the topic

}  // namespace p3p::control
