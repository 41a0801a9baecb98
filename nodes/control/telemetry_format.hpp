#pragma once
// The telemetry a node publishes on its PUB socket, signed like every envelope (module "telemetry").
//   topic "spikes.<node>", kind "spikes": the node's local spikes since the last batch (every ~10 ms),
//     msgpack [ first_tick, last_tick, [ column_index, [ tick - first_tick, neuron, ... ] ]... ]
//     where column_index is the column's place in the topology (file order) and neuron is its index in
//     the column; subscribers map both through the same topology.
// encode/decode live here so the node (publisher) and p3pctl watch (subscriber) cannot disagree.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "bus/bytes.hpp"
#include "common/expected.hpp"
#include "nodes/cortex/engine.hpp"
#include "topology/topology.hpp"

namespace p3p::control {

// The topology's columns in global-id order, for mapping spikes both ways.
struct ColumnIndex {
  explicit ColumnIndex(const topology::Topology& t);
  std::vector<const topology::Column*> columns;
  std::vector<std::uint64_t> first;  // first global id of each column
};

bus::Bytes encode_spikes(const ColumnIndex& index, std::span<const cortex::Spike> spikes);

// {"first_tick", "last_tick", "spikes": count, "columns": [{"column", "region", "spikes": [[tick, neuron]...]}]}
// keeping only the columns `keep` accepts (region filter). Strict: a malformed body is an error.
Expected<nlohmann::json, std::string> decode_spikes(const ColumnIndex& index, bus::ByteView body,
                                                    const std::string& only_region = {});

}  // namespace p3p::control
