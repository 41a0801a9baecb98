// seq_gen across nodes: on the real three-node cluster (p3p-node processes brought up by p3pctl, the
// region's input, hidden and output columns on nodeA, nodeB and nodeC) it gives what the in-process engine
// gives for the same seed - the same outcome and the same raster hash.
#include <chrono>
#include <cstdio>

#include "driver/engine_driver.hpp"
#include "driver/node_cluster_driver.hpp"
#include "experiments/catalog_entries.hpp"
#include "tests/control/port_support.hpp"
#include "tests/driver/driver_script.hpp"
#include "topology/loader.hpp"

using namespace p3p;
using namespace p3p::test;

namespace {

Expected<experiments::Outcome, experiments::Error> run_on(driver::ClusterDriver& d, const topology::Topology& t, const nlohmann::json& args) {
  must(d.reset_region("Region_Seq", true));
  experiments::Run run{d, t, args, "Region_Seq", {{"input", "seq_embed_A"}, {"hidden", "seq_hidden_B"}, {"output", "seq_out_C"}}};
  return experiments::run_seq_gen(run);
}

}  // namespace

TEST_CASE("seq_gen on the real cluster learns what it learns in process, spike for spike", "[cluster][seq_gen]") {
  Cluster cluster;
  auto t = topology::load_file(cluster.yaml);
  REQUIRE(t);
  const nlohmann::json args = {{"epochs", 3}, {"sequence", "0120"}, {"seed", 4}};
  auto real = must(driver::NodeClusterDriver::open(*t));
  const auto start = std::chrono::steady_clock::now();
  const auto on_cluster = run_on(*real, *t, args);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  REQUIRE(on_cluster);
  std::printf("seq_gen on the cluster: %s -> %s, %.2f s for %lld ticks\n", on_cluster->details["taught"].dump().c_str(),
              on_cluster->details["generated"].dump().c_str(), seconds, static_cast<long long>(real->tick()));
  auto local = must(driver::EngineDriver::create(*t));
  const auto in_process = run_on(*local, *t, args);
  REQUIRE(in_process);
  CHECK(on_cluster->curve == in_process->curve);
  CHECK(on_cluster->details == in_process->details);
  CHECK(on_cluster->score == 1.0);
  CHECK(real->tick() == local->tick());
  CHECK(real->raster_hash() == local->raster_hash());
}
