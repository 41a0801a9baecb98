// The raster must not depend on how columns are spread over nodes: the same network on one, two and three
// real p3p-node processes, run in lockstep to the same tick, gives the same cluster raster hash.
#include "tests/nodes/cluster_support.hpp"

using namespace p3p::test;

namespace {

struct RunResult {
  std::string raster_hash;
  std::uint64_t spikes = 0;
  std::int64_t epoch_ticks = 0;
};

RunResult run_partition(const std::vector<std::string>& ids, const std::vector<std::string>& placement, int ticks) {
  TempDir dir;
  const auto nodes = free_nodes(ids);
  const auto topo = write_topology(dir, "t.yaml", active_topology(nodes, placement));
  std::vector<std::unique_ptr<BackgroundProcess>> procs;
  for (const auto& id : ids) procs.push_back(start_node(dir, topo, id, {"--ticks", std::to_string(ticks)}));
  const auto s = wait_for(
      topo, [&](const nlohmann::json& st) { return all_nodes(st, [&](const auto& n) { return n["state"] == "up" && n["tick"] == ticks && n["node_state"] == "idle"; }); },
      std::chrono::seconds(20));
  INFO(s.dump(1));
  for (auto& p : procs) INFO(p->output());
  REQUIRE(s["all_up"] == true);
  RunResult r;
  r.raster_hash = s["raster_hash"].get<std::string>();
  for (const auto& n : s["nodes"]) {
    REQUIRE(n["tick"] == ticks);
    CHECK(n["rejected"]["bad_mac"] == 0);
    CHECK(n["dropped"]["bad_batch"] == 0);
    r.spikes += n["spikes"].get<std::uint64_t>();
    r.epoch_ticks = n["epoch_ticks"].get<std::int64_t>();
  }
  for (auto& p : procs) CHECK(p->stop(SIGTERM) == 0);  // graceful stop exits 0
  return r;
}

}  // namespace

TEST_CASE("one, two and three nodes give the same raster hash", "[cluster]") {
  const int ticks = 240;  // a multiple of every epoch length here, so all runs stop at the same tick
  const auto one = run_partition({"n1"}, {"n1", "n1", "n1", "n1", "n1", "n1"}, ticks);
  const auto two = run_partition({"n1", "n2"}, {"n1", "n2", "n1", "n2", "n1", "n2"}, ticks);
  const auto three = run_partition({"n1", "n2", "n3"}, {"n1", "n2", "n3", "n3", "n1", "n2"}, ticks);
  CHECK(one.spikes > 100);  // the network is active: the comparison means something
  CHECK(two.epoch_ticks == 2);
  CHECK(three.epoch_ticks == 2);
  CHECK(one.raster_hash == two.raster_hash);
  CHECK(one.raster_hash == three.raster_hash);
  CHECK(one.spikes == two.spikes);
  CHECK(one.spikes == three.spikes);
}
