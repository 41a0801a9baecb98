#pragma once
// One node's part of a snapshot: everything its future depends on, taken at an epoch boundary while the
// cluster is held there (nodes/control/cluster_snapshot.hpp). Loading it and running on gives the same spikes as never stopping.
//   - the engine state (cortex::EngineState): tick, membrane potentials, thresholds, last spikes, delay
//     rings (spikes in flight inside the node), plastic weights and traces, eligibility, reward and
//     dopamine, pending stimulations. The noise is counter-based (keyed by seed, tick, neuron): the tick
//     is its whole position.
//   - the spikes in flight between nodes: every peer's batch of the last epoch, not yet delivered;
//   - the counters the node reports (spikes, per column, raster hash), so status goes on from there;
//   - the region layout (update_regions) and its version.
// Binary: msgpack, with every vector as one bin of its raw little-endian bytes (so the file is about the
// size of the state in memory, and encoding is a copy) and every scalar as an unsigned integer (signed and
// floating values by their bit pattern). Decoding is strict: any deviation is an error, never a crash.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "bus/bytes.hpp"
#include "common/expected.hpp"
#include "nodes/cortex/engine.hpp"
#include "nodes/cortex/engine_state.hpp"

namespace p3p::persistence {

// 2: the reward level and dopamine moved into each projection (per-projection dopamine modes).
inline constexpr std::string_view kPartFormat = "p3p-snapshot-part/2";

struct PeerInput {
  int node = 0;  // the peer's index in the topology
  std::vector<cortex::Spike> spikes;
};

struct SnapshotPart {
  std::string cluster;
  std::string node;
  std::uint64_t topology_hash = 0;
  std::uint64_t next_epoch = 0;
  cortex::EngineState engine;
  std::vector<PeerInput> inputs;
  std::uint64_t spikes = 0;
  std::uint64_t raster_sum = 0;
  std::vector<std::uint64_t> population_spikes;
  std::vector<std::vector<std::uint64_t>> neuron_spikes;  // [population][neuron]; empty for remote populations
  std::uint64_t regions_version = 0;
  std::string regions_json;  // update_regions' argument form
};

bus::Bytes encode_part(const SnapshotPart& part);

// What has no size fixed by the network - pending stimulations, the dopamine histories, the region layout,
// msgpack framing - is allowed this much in a part on top of the rest.
inline constexpr std::uint64_t kPartSlackBytes = 64u << 20;
// The largest file a part for this engine can be: every vector at the length the engine holds it
// (`shape`: its exported state; the plastic arrival rings counted full, every source in every slot), the
// spikes in flight at most `max_input_spikes`, plus kPartSlackBytes. A larger file is refused unread.
std::uint64_t max_part_bytes(const cortex::EngineState& shape, std::uint64_t max_input_spikes);
Expected<SnapshotPart, std::string> decode_part(bus::ByteView bytes);

}  // namespace p3p::persistence
