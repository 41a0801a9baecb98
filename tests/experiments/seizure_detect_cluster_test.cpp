// seizure_detect across nodes: on the real three-node cluster (p3p-node processes brought up by p3pctl; the
// input, detector and alert columns on nodeA, nodeB and nodeC) a short run gives what the in-process engine
// gives for the same seed - the same outcome, the same ticks and the same raster hash.
#include <chrono>
#include <cstdio>

#include "driver/engine_driver.hpp"
#include "driver/node_cluster_driver.hpp"
#include "experiments/catalog_entries.hpp"
#include "tests/control/port_support.hpp"
#include "tests/experiments/experiment_support.hpp"

using namespace p3p;
using namespace p3p::test;

namespace {

Expected<experiments::Outcome, experiments::Error> run_on(driver::ClusterDriver& d, const topology::Topology& t, const nlohmann::json& args) {
  must(d.reset_region("Region_Anomaly", true, args.at("seed").get<std::uint64_t>()));
  experiments::Run run{d, t, args, "Region_Anomaly", {{"input", "anom_norm_A"}, {"detector", "anom_detect_B"}, {"alert", "anom_alert_C"}}};
  return experiments::run_seizure_detect(run);
}

}  // namespace

TEST_CASE("seizure_detect on the real cluster learns and scores what it does in process, spike for spike", "[cluster][seizure_detect]") {
  Cluster cluster;
  auto t = topology::load_file(cluster.yaml);
  REQUIRE(t);
  const nlohmann::json args = experiment_args("seizure_detect", 3, {{"epochs", 2}, {"epoch_seconds", 40}, {"test_seconds", 60}});
  auto real = must(driver::NodeClusterDriver::open(*t));
  const auto start = std::chrono::steady_clock::now();
  const auto on_cluster = run_on(*real, *t, args);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  REQUIRE(on_cluster);
  std::printf("seizure_detect on the cluster: %.2f s for %lld ticks (%lld steps), parts %s\n", seconds,
              static_cast<long long>(real->tick()), static_cast<long long>(on_cluster->details["env_steps"].get<std::int64_t>()),
              on_cluster->parts["spiking_3_5x"].dump().c_str());
  auto local = must(driver::EngineDriver::create(*t));
  const auto in_process = run_on(*local, *t, args);
  REQUIRE(in_process);
  CHECK(on_cluster->curve == in_process->curve);
  CHECK(on_cluster->parts == in_process->parts);
  CHECK(on_cluster->details == in_process->details);
  CHECK(on_cluster->score == in_process->score);
  CHECK(on_cluster->parts["spiking_3_5x"]["episodes"].get<int>() >= 1);
  CHECK(real->tick() == local->tick());
  CHECK(real->raster_hash() == local->raster_hash());
  // The detector fired on the cluster: the run measured something.
  CHECK(on_cluster->details["detector"]["threshold"].get<double>() > 0.0);
}
