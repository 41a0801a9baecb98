// The telemetry body: what a node encodes, p3pctl watch decodes - spikes by column and region, strictly.
#include <catch2/catch.hpp>

#include "nodes/control/telemetry_format.hpp"
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
  REQUIRE(index.columns.size() == 25);
  const auto* a1 = topology::find_column(*topo, "col_A1");
  const auto* c1 = topology::find_column(*topo, "col_C1");
  const std::vector<cortex::Spike> spikes{{10, a1->first_neuron + 2}, {10, c1->first_neuron}, {12, a1->first_neuron}};
  const auto body = control::encode_spikes(index, spikes);
  auto all = control::decode_spikes(index, bus::ByteView(body));
  REQUIRE(all);
  CHECK((*all)["first_tick"] == 10);
  CHECK((*all)["last_tick"] == 12);
  CHECK((*all)["spikes"] == 3);
  REQUIRE((*all)["columns"].size() == 2);
  CHECK((*all)["columns"][0] == nlohmann::json({{"column", "col_A1"}, {"region", "Region_AB"}, {"spikes", {{10, 2}, {12, 0}}}}));
  CHECK((*all)["columns"][1] == nlohmann::json({{"column", "col_C1"}, {"region", "Region_BC"}, {"spikes", {{10, 0}}}}));
  auto bc = control::decode_spikes(index, bus::ByteView(body), "Region_BC");
  REQUIRE(bc);
  CHECK((*bc)["spikes"] == 1);
  CHECK((*bc)["columns"].size() == 1);

  bus::Bytes truncated(body.begin(), body.end() - 1);
  CHECK_FALSE(control::decode_spikes(index, bus::ByteView(truncated)));
  bus::Bytes trailing = body;
  trailing.push_back(0);
  CHECK_FALSE(control::decode_spikes(index, bus::ByteView(trailing)));
  const std::vector<cortex::Spike> bad_neuron{{1, a1->first_neuron + 3}};
  auto encoded = control::encode_spikes(index, bad_neuron);
  encoded[encoded.size() - 1] = 9;  // neuron 9 in a 4-neuron column
  CHECK_FALSE(control::decode_spikes(index, bus::ByteView(encoded)));
}
