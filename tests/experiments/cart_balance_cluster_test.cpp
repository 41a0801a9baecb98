// cart_balance on the real three-node cluster (p3p-node processes brought up by p3pctl; the actor on nodeB,
// the critic on nodeC) gives what the in-process engine gives for the same seed: the same outcome and the
// same raster hash. A few episodes are enough: every step is the same calls.
#include <chrono>
#include <cstdio>

#include "driver/engine_driver.hpp"
#include "driver/node_cluster_driver.hpp"
#include "experiment_support.hpp"
#include "experiments/catalog_entries.hpp"
#include "tests/control/port_support.hpp"
#include "tests/driver/driver_script.hpp"
#include "topology/loader.hpp"

using namespace p3p;
using namespace p3p::test;

namespace {

Expected<experiments::Outcome, experiments::Error> run_on(driver::ClusterDriver& d, const topology::Topology& t, const nlohmann::json& args) {
  must(d.reset_region("Region_Cart", true, args.at("seed").get<std::uint64_t>()));
  experiments::Run run{d, t, args, "Region_Cart",
                       {{"actor_sensors", "cart_sens_B"}, {"actor", "cart_actor_B"},
                        {"critic_sensors", "cart_sens_C"}, {"critic", "cart_critic_C"}}};
  return experiments::run_cart_balance(run);
}

}  // namespace

TEST_CASE("cart_balance on the real cluster runs what it runs in process, spike for spike", "[cluster][cart_balance]") {
  Cluster cluster;
  auto t = topology::load_file(cluster.yaml);
  REQUIRE(t);
  const nlohmann::json args = experiment_args("cart_balance", 4, {{"episodes", 6}, {"random_episodes", 3}});
  auto real = must(driver::NodeClusterDriver::open(*t));
  const auto start = std::chrono::steady_clock::now();
  const auto on_cluster = run_on(*real, *t, args);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  REQUIRE(on_cluster);
  const auto steps = on_cluster->details.at("env_steps").get<std::uint64_t>();
  std::printf("cart_balance on the cluster: %llu env steps in %.2f s (%.0f steps/s, %.3f ms per step)\n",
              static_cast<unsigned long long>(steps), seconds, steps / seconds, seconds / steps * 1e3);
  auto local = must(driver::EngineDriver::create(*t));
  const auto in_process = run_on(*local, *t, args);
  REQUIRE(in_process);
  CHECK(steps > 6);
  CHECK(on_cluster->score == in_process->score);
  CHECK(on_cluster->curve == in_process->curve);
  CHECK(on_cluster->parts == in_process->parts);
  CHECK(on_cluster->baselines == in_process->baselines);
  CHECK(on_cluster->details == in_process->details);
  CHECK(real->tick() == local->tick());
  CHECK(real->raster_hash() == local->raster_hash());
}
