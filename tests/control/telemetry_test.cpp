// The telemetry body: what a node encodes, p3pctl watch decodes - spikes by column and region, strictly.
#include <catch2/catch.hpp>

#include "client/spike_gaps.hpp"
#include "client/telemetry_format.hpp"
#include "tests/support/temp_dir.hpp"
#include "topology/loader.hpp"

using namespace p3p;

TEST_CASE("spike telemetry: encode and decode round trip by column, region filter, strict decoding") {
  p3p::test::TempDir dir;  // default.yaml beside a dummy key (the real one is never shipped)
  std::filesystem::copy_file(std::string(P3P_SOURCE_DIR) + "/topology/default.yaml", dir.path() / "default.yaml");
  dir.write("cluster.key", std::string(32, 'k'));
  auto topo = topology::load_file(dir.path() / "default.yaml");
  REQUIRE(topo);
  const control::ColumnIndex index(*topo);
  REQUIRE(index.columns.size() == 29);
  const auto* a1 = topology::find_column(*topo, "col_A1");
  const auto* c1 = topology::find_column(*topo, "col_C1");
  std::vector<std::string> regions;  // as the node holds them: by column, here regrouped (col_C1 moved)
  for (const auto* c : index.columns) regions.push_back(c->id == "col_C1" ? "Moved" : c->region);
  const std::vector<control::WireSpike> spikes{{10, a1->first_neuron + 2}, {10, c1->first_neuron}, {12, a1->first_neuron}};
  const auto body = control::encode_spikes(index, regions, {7, 9, 15, spikes});
  auto all = control::decode_spikes(index, bus::ByteView(body));
  REQUIRE(all);
  CHECK((*all)["seq"] == 7);
  CHECK((*all)["first_tick"] == 9);
  CHECK((*all)["end_tick"] == 15);
  CHECK((*all)["spikes"] == 3);
  REQUIRE((*all)["columns"].size() == 2);
  CHECK((*all)["columns"][0] == nlohmann::json({{"column", "col_A1"}, {"region", "Region_AB"}, {"spikes", {{10, 2}, {12, 0}}}}));
  CHECK((*all)["columns"][1] == nlohmann::json({{"column", "col_C1"}, {"region", "Moved"}, {"spikes", {{10, 0}}}}));
  auto moved = control::decode_spikes(index, bus::ByteView(body), "Moved");
  REQUIRE(moved);
  CHECK((*moved)["spikes"] == 1);
  CHECK((*moved)["columns"].size() == 1);
  CHECK((*control::decode_spikes(index, bus::ByteView(body), "Region_BC"))["columns"].empty());
  auto counts = control::count_spikes(index, bus::ByteView(body));
  REQUIRE(counts);
  CHECK((counts->seq == 7 && counts->first_tick == 9 && counts->end_tick == 15 && counts->spikes == 3));

  const auto empty = control::encode_spikes(index, regions, {8, 15, 20, {}});  // a quiet stretch still counts
  auto quiet = control::decode_spikes(index, bus::ByteView(empty));
  REQUIRE(quiet);
  CHECK((*quiet)["first_tick"] == 15);
  CHECK((*quiet)["spikes"] == 0);

  bus::Bytes truncated(body.begin(), body.end() - 1);
  CHECK_FALSE(control::decode_spikes(index, bus::ByteView(truncated)));
  bus::Bytes trailing = body;
  trailing.push_back(0);
  CHECK_FALSE(control::decode_spikes(index, bus::ByteView(trailing)));
  const std::vector<control::WireSpike> bad_neuron{{1, a1->first_neuron + 3}};
  auto encoded = control::encode_spikes(index, regions, {1, 0, 2, bad_neuron});
  encoded[encoded.size() - 1] = 9;  // neuron 9 in a 4-neuron column
  CHECK_FALSE(control::decode_spikes(index, bus::ByteView(encoded)));
  auto late = control::encode_spikes(index, regions, {1, 0, 1, {{{1, a1->first_neuron}}}});  // tick 1 outside [0, 1)
  CHECK_FALSE(control::decode_spikes(index, bus::ByteView(late)));
}

TEST_CASE("subscription marker: the topic round trips, anything else is refused") {
  for (const std::string topic : {"", "spikes.", "events.nodeA", "metrics.n\xc3\xa9ud"}) {
    const auto body = control::encode_subscribed(topic);
    auto back = control::decode_subscribed(bus::ByteView(body));
    REQUIRE(back);
    CHECK(*back == topic);
  }
  const auto bad = [](const nlohmann::json& j) {
    const auto body = nlohmann::json::to_msgpack(j);
    return !control::decode_subscribed(bus::ByteView(body));
  };
  CHECK(bad(nlohmann::json::array({"spikes."})));
  CHECK(bad({{"topic", 7}}));
  CHECK(bad({{"topic", "spikes."}, {"extra", 1}}));
  CHECK(bad({{"topics", "spikes."}}));
  const bus::Bytes truncated{0x81, 0xa5};
  CHECK_FALSE(control::decode_subscribed(bus::ByteView(truncated)));
}

TEST_CASE("spike telemetry: ticks past 2^62 are refused and never wrapped into negative ticks") {
  const auto t = topology::load_string(R"(cluster: {name: t, key_file: k.key}
nodes: [{id: n, host: 127.0.0.1, router_port: 20001, pub_port: 20101, modules: [cortex7]}]
regions: [{name: R, columns: [{id: c, node: n, preset: cortex7}]}]
)", "t.yaml", ".", {.check_key_file = false});
  REQUIRE(t);
  const control::ColumnIndex index(*t);
  // [seq 1, first_tick 2^63 - 2, end_tick 2^63 + 2, [column 0, "R", [tick offset 3, neuron 0]]]: as int64 the
  // end would come before the start and the spike's tick would be negative (found by fuzz/telemetry_spikes.cpp).
  const bus::Bytes body = {0x94, 0x01,
                           0xcf, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe,
                           0xcf, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
                           0x93, 0x00, 0xa1, 'R', 0x92, 0x03, 0x00};
  CHECK_FALSE(control::count_spikes(index, bus::ByteView(body)));
  CHECK_FALSE(control::decode_spikes(index, bus::ByteView(body)));
  // Up to 2^62 a tick is a tick: first_tick 2^62 - 8, end_tick 2^62.
  bus::Bytes at_limit = body;
  const std::uint8_t first[8] = {0x3f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xf8}, end[8] = {0x40, 0, 0, 0, 0, 0, 0, 0};
  std::copy(first, first + 8, at_limit.begin() + 3);
  std::copy(end, end + 8, at_limit.begin() + 12);
  const auto counts = control::count_spikes(index, bus::ByteView(at_limit));
  REQUIRE(counts);
  CHECK((counts->first_tick == (std::int64_t{1} << 62) - 8 && counts->end_tick == std::int64_t{1} << 62 && counts->spikes == 1));
}

TEST_CASE("spike telemetry: gaps in a node's batch numbers are counted per node, and a restarted node starts over") {
  control::SpikeGaps gaps;
  CHECK(gaps.missed("a", 5) == 0);  // the first batch seen from a node: nothing to compare with
  CHECK(gaps.missed("a", 6) == 0);
  CHECK(gaps.missed("b", 1) == 0);  // another node has numbers of its own
  CHECK(gaps.missed("a", 9) == 2);  // 7 and 8 lost
  CHECK(gaps.missed("b", 2) == 0);
  gaps.forget("a");                 // a new process, subscribed to anew: its first batch seen is its own start
  CHECK(gaps.missed("a", 14) == 0);
  CHECK(gaps.missed("a", 16) == 1);
}
