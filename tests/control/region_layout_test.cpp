// update_regions' argument checked against the topology: a regrouping of the same columns, or a clear error.
#include <catch2/catch.hpp>

#include "nodes/control/region_layout.hpp"
#include "tests/support/temp_dir.hpp"
#include "topology/loader.hpp"

using namespace p3p;

namespace {

topology::Topology default_topology(const test::TempDir& dir) {
  std::filesystem::copy_file(std::string(P3P_SOURCE_DIR) + "/topology/default.yaml", dir.path() / "default.yaml");
  dir.write("cluster.key", std::string(32, 'k'));
  auto topo = topology::load_file(dir.path() / "default.yaml");
  REQUIRE(topo);
  return *topo;
}

// The topology's own grouping, with one column moved from one region to another.
nlohmann::json with_column_moved(const control::RegionLayout& layout, const std::string& column, const std::string& to) {
  nlohmann::json regions = layout.to_argument();
  for (auto& [name, ids] : regions.items()) {
    auto& list = ids;
    list.erase(std::remove(list.begin(), list.end(), column), list.end());
  }
  regions[to].push_back(column);
  return regions;
}

std::string error_of(const topology::Topology& t, const nlohmann::json& regions) {
  auto r = control::parse_region_layout(t, regions, 1);
  REQUIRE_FALSE(r);
  CHECK(to_string(r.error().code) == "bad_args");
  return r.error().message;
}

}  // namespace

TEST_CASE("region layout: starts as the topology's and round-trips through the update_regions argument") {
  test::TempDir dir;
  const auto topo = default_topology(dir);
  const auto layout = control::RegionLayout::from_topology(topo);
  CHECK(layout.version == 0);
  REQUIRE(layout.regions.size() == 9);
  CHECK(layout.region_of("col_B2") == "Region_BC");
  CHECK(layout.find("Region_AB")->columns.size() == 2);
  auto again = control::parse_region_layout(topo, layout.to_argument(), 3);
  REQUIRE(again);
  CHECK(again->version == 3);
  CHECK(again->to_argument() == layout.to_argument());
  CHECK(again->describe()["regions"].size() == 9);
}

TEST_CASE("region layout: a regrouping is accepted, in the original's column form too") {
  test::TempDir dir;
  const auto topo = default_topology(dir);
  const auto layout = control::RegionLayout::from_topology(topo);
  auto moved = control::parse_region_layout(topo, with_column_moved(layout, "col_C1", "Region_AB"), 1);
  REQUIRE(moved);
  CHECK(moved->region_of("col_C1") == "Region_AB");
  CHECK(moved->find("Region_BC")->columns.size() == 1);

  nlohmann::json original = layout.to_argument();
  original["Region_AB"] = nlohmann::json::array({{{"id", "col_A1"}, {"node", "nodeA"}, {"module", "cortex7"}},
                                                  {{"id", "col_B1"}, {"node", "nodeB"}, {"module", "cortex7"}}});
  CHECK(control::parse_region_layout(topo, original, 1));
  nlohmann::json renamed = layout.to_argument();
  renamed["Region_New"] = renamed["Region_AB"];
  renamed.erase("Region_AB");
  auto r = control::parse_region_layout(topo, renamed, 1);
  REQUIRE(r);
  CHECK(r->find("Region_New"));
  CHECK_FALSE(r->find("Region_AB"));
}

TEST_CASE("region layout: every broken rule is refused with a message naming it") {
  test::TempDir dir;
  const auto topo = default_topology(dir);
  const auto layout = control::RegionLayout::from_topology(topo);
  const nlohmann::json ok = layout.to_argument();
  CHECK_THAT(error_of(topo, nlohmann::json::array()), Catch::Contains("non-empty map"));
  CHECK_THAT(error_of(topo, nlohmann::json::object()), Catch::Contains("non-empty map"));

  CHECK(layout.unknown_region("Region_Patern") == "no region 'Region_Patern' in the cluster's regions; did you mean 'Region_Pattern'?");
  CHECK(layout.unknown_region("region_osc") == "no region 'region_osc' in the cluster's regions; did you mean 'Region_Osc'?");
  CHECK(layout.unknown_region("Region_Nope") == "no region 'Region_Nope' in the cluster's regions");

  nlohmann::json typo = ok;
  typo["Region_AB"] = {"col_A1", "col_B11"};
  CHECK_THAT(error_of(topo, typo), Catch::Contains("no column 'col_B11'") && Catch::Contains("did you mean 'col_B1'"));

  nlohmann::json twice = ok;
  twice["Region_AB"].push_back("col_C1");
  CHECK_THAT(error_of(topo, twice), Catch::Contains("'col_C1' is in both"));

  nlohmann::json dropped = ok;
  dropped.erase("Region_Anomaly");
  CHECK_THAT(error_of(topo, dropped), Catch::Contains("3 column(s) in no region") && Catch::Contains("anom_norm_A"));

  nlohmann::json moved_node = ok;
  moved_node["Region_AB"] = nlohmann::json::array({{{"id", "col_A1"}, {"node", "nodeC"}}, "col_B1"});
  CHECK_THAT(error_of(topo, moved_node), Catch::Contains("lives on nodeA") && Catch::Contains("cannot move"));

  nlohmann::json module = ok;
  module["Region_AB"] = nlohmann::json::array({{{"id", "col_A1"}, {"module", "echo"}}, "col_B1"});
  CHECK_THAT(error_of(topo, module), Catch::Contains("every column is cortex7"));

  nlohmann::json unknown_key = ok;
  unknown_key["Region_AB"] = nlohmann::json::array({{{"id", "col_A1"}, {"nod", "nodeA"}}, "col_B1"});
  CHECK_THAT(error_of(topo, unknown_key), Catch::Contains("unknown key 'nod'"));

  nlohmann::json empty_region = ok;
  empty_region["Region_Empty"] = nlohmann::json::array();
  CHECK_THAT(error_of(topo, empty_region), Catch::Contains("'Region_Empty' must be a non-empty list"));

  nlohmann::json bad_entry = ok;
  bad_entry["Region_AB"] = {"col_A1", 7};
  CHECK_THAT(error_of(topo, bad_entry), Catch::Contains("a column is a column id"));

  nlohmann::json long_name = ok;
  long_name[std::string(200, 'R')] = long_name["Region_AB"];
  long_name.erase("Region_AB");
  CHECK_THAT(error_of(topo, long_name), Catch::Contains("1 to 128 characters"));
}
