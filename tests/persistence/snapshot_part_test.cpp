// The binary part: a real engine's state survives encode -> decode exactly, and anything malformed is refused.
#include <algorithm>
#include <string>
#include <catch2/catch.hpp>

#include "bench/workload/reference_network.hpp"
#include "nodes/persistence/snapshot_part.hpp"

using namespace p3p;

namespace {

// The reference network's projection twice: the first learns with eligibility traces, the second in the
// network's gain mode - both kinds of dopamine state.
cortex::Engine plastic_engine() {
  bench::ReferenceParams r;
  r.neurons = 300;
  r.in_degree = 20;
  r.plastic = true;
  cortex::NetworkSpec spec = bench::reference_network(r);
  spec.projections.push_back(spec.projections[0]);
  spec.projections[0].dopamine = cortex::DopamineParams{cortex::DopamineMode::eligibility, 30, 50, 0.1};
  auto engine = cortex::Engine::create(spec);
  REQUIRE(engine);
  return std::move(*engine);
}

persistence::SnapshotPart a_part() {
  auto engine = plastic_engine();
  for (int t = 0; t < 50; ++t) engine.step();
  engine.reward(0.5);
  // Initialised, not assigned field by field: GCC 12 misreports assigning a short string (-Wrestrict).
  return persistence::SnapshotPart{.cluster = "c",
                                   .node = "nodeB",
                                   .topology_hash = 0x1234567890abcdefULL,
                                   .next_epoch = 50,
                                   .engine = engine.export_state(),
                                   .inputs = {{0, {{49, 7}, {49, 301}}}, {2, {}}},
                                   .spikes = 1234,
                                   .raster_sum = 0xfedcba9876543210ULL,
                                   .population_spikes = {1000, 234},
                                   .neuron_spikes = {{1, 2, 3}, {}},
                                   .regions_version = 3,
                                   .regions_json = R"({"R":["a","b"]})"};
}

}  // namespace

TEST_CASE("snapshot part: a plastic engine's state round-trips exactly") {
  const auto p = a_part();
  const auto bytes = persistence::encode_part(p);
  auto back = persistence::decode_part(bus::ByteView(bytes));
  REQUIRE(back);
  CHECK(back->cluster == "c");
  CHECK(back->node == "nodeB");
  CHECK(back->topology_hash == p.topology_hash);
  CHECK(back->next_epoch == 50);
  CHECK(back->engine.tick == p.engine.tick);
  REQUIRE(back->engine.populations.size() == p.engine.populations.size());
  CHECK(back->engine.populations[0].v == p.engine.populations[0].v);
  CHECK(back->engine.populations[0].pending_input == p.engine.populations[0].pending_input);
  REQUIRE(back->engine.projections.size() == p.engine.projections.size());
  for (std::size_t i = 0; i < p.engine.projections.size(); ++i) {
    CHECK(back->engine.projections[i].weights == p.engine.projections[i].weights);
    CHECK(back->engine.projections[i].eligibility_offsets == p.engine.projections[i].eligibility_offsets);
    CHECK(back->engine.projections[i].arrivals == p.engine.projections[i].arrivals);
    CHECK(back->engine.projections[i].reward_level == p.engine.projections[i].reward_level);
    CHECK(back->engine.projections[i].dopamine.dopamine == p.engine.projections[i].dopamine.dopamine);
    CHECK(back->engine.projections[i].dopamine.base == p.engine.projections[i].dopamine.base);
    CHECK(back->engine.projections[i].dopamine.history == p.engine.projections[i].dopamine.history);
  }
  CHECK(p.engine.projections[0].dopamine.history.size() > 1);  // the eligibility projection's running sum
  CHECK(p.engine.projections[1].reward_level == 0.5);          // a gain projection's level
  CHECK(back->inputs.size() == 2);
  CHECK(back->inputs[0].spikes == p.inputs[0].spikes);
  CHECK(back->raster_sum == p.raster_sum);
  CHECK(back->population_spikes == p.population_spikes);
  CHECK(back->neuron_spikes == p.neuron_spikes);
  CHECK(back->regions_json == p.regions_json);
  // The vectors are stored raw: the file is about the size of the state it holds.
  std::size_t state_bytes = 0;
  for (const auto& s : p.engine.projections) state_bytes += (s.weights.size() + s.eligibility.size()) * 8 + s.eligibility_offsets.size() * 4;
  CHECK(bytes.size() < state_bytes * 12 / 10 + 100000);
  // Importing it into a fresh engine of the same network works.
  auto fresh = plastic_engine();
  CHECK(fresh.import_state(back->engine));
}

TEST_CASE("snapshot part: truncated, extended, flipped or foreign bytes are refused, never a crash") {
  const auto bytes = persistence::encode_part(a_part());
  for (std::size_t cut : {std::size_t{0}, std::size_t{1}, std::size_t{20}, bytes.size() / 2, bytes.size() - 1}) {
    bus::Bytes truncated(bytes.begin(), bytes.begin() + static_cast<long>(cut));
    CHECK_FALSE(persistence::decode_part(bus::ByteView(truncated)));
  }
  bus::Bytes longer = bytes;
  longer.push_back(0);
  CHECK_FALSE(persistence::decode_part(bus::ByteView(longer)));
  const std::string text = "{\"not\": \"a part\"}";
  CHECK_FALSE(persistence::decode_part(bus::as_bytes(text)));
  // Every single-byte change in the first 64 bytes (the structure) either fails or still decodes; never UB.
  for (std::size_t i = 0; i < 64 && i < bytes.size(); ++i) {
    bus::Bytes flipped = bytes;
    flipped[i] ^= 0xff;
    (void)persistence::decode_part(bus::ByteView(flipped));
  }
}

TEST_CASE("snapshot part: the size cap admits the largest part the engine can write, and not much more") {
  auto p = a_part();
  const std::uint64_t max_inputs = 2 * 300;  // an epoch of 2 ticks, every one of 300 neurons spiking
  const std::uint64_t cap = persistence::max_part_bytes(p.engine, max_inputs);
  // The largest: every plastic arrival slot full, every input spike there can be.
  for (auto& proj : p.engine.projections)
    for (auto& slot : proj.arrivals) {
      slot.resize(proj.pre_traces.size());
      for (std::size_t s = 0; s < slot.size(); ++s) slot[s] = static_cast<std::uint32_t>(s);
    }
  p.inputs = {{0, std::vector<cortex::Spike>(max_inputs, cortex::Spike{49, 7})}};
  const std::uint64_t largest = persistence::encode_part(p).size();
  CHECK(largest + persistence::kPartSlackBytes / 2 < cap);  // framing and the variable parts use little of the slack
  CHECK(cap < persistence::kPartSlackBytes + 2 * largest);  // the rest of the cap is the state itself
}

TEST_CASE("snapshot part: a part of the previous format is refused with a message naming both formats") {
  bus::Bytes bytes = persistence::encode_part(a_part());
  const std::string now(persistence::kPartFormat), old = "p3p-snapshot-part/1";
  REQUIRE(now.size() == old.size());
  const auto at = std::search(bytes.begin(), bytes.end(), now.begin(), now.end(),
                              [](auto b, char c) { return static_cast<char>(b) == c; });
  REQUIRE(at != bytes.end());
  std::copy(old.begin(), old.end(), at);
  auto r = persistence::decode_part(bus::ByteView(bytes));
  REQUIRE_FALSE(r);
  CHECK(r.error().find("p3p-snapshot-part/1") != std::string::npos);
  CHECK(r.error().find(now) != std::string::npos);
}
