// boid_swarm across nodes: on the real three-node cluster (p3p-node processes brought up by p3pctl) a
// short run gives what the in-process engine gives for the same seed - the same outcome, the same ticks and
// the same raster hash. Each boid's circuit crosses nodes (a third of the flock senses on each of nodeA,
// nodeB, nodeC and turns on the next), so every step's spikes travel the mesh.
#include <chrono>
#include <cstdio>
#include <set>

#include "driver/engine_driver.hpp"
#include "driver/node_cluster_driver.hpp"
#include "experiments/catalog_entries.hpp"
#include "tests/control/port_support.hpp"
#include "tests/driver/driver_script.hpp"
#include "tests/experiments/experiment_support.hpp"
#include "topology/loader.hpp"

using namespace p3p;
using namespace p3p::test;

namespace {

Expected<experiments::Outcome, experiments::Error> run_on(driver::ClusterDriver& d, const topology::Topology& t, const nlohmann::json& args) {
  must(d.reset_region("Region_Flock", true, args.at("seed").get<std::uint64_t>()));
  std::map<std::string, std::string> columns;
  for (const topology::Column& c : topology::find_region(t, "Region_Flock")->columns) columns[c.role] = c.id;
  experiments::Run run{d, t, args, "Region_Flock", columns};
  return experiments::run_boid_swarm(run);
}

}  // namespace

TEST_CASE("boid_swarm on the real cluster steers the flock as it does in process, spike for spike", "[cluster][boid_swarm]") {
  Cluster cluster;
  auto t = topology::load_file(cluster.yaml);
  REQUIRE(t);
  std::set<std::string> nodes;
  for (const topology::Column& c : topology::find_region(*t, "Region_Flock")->columns) nodes.insert(c.node);
  CHECK(nodes.size() == 3);
  const nlohmann::json args = experiment_args(
      "boid_swarm", 5, {{"train_steps", 60}, {"eval_steps", 20}, {"checkpoint_steps", 30}, {"epoch_steps", 20}});
  auto real = must(driver::NodeClusterDriver::open(*t));
  const auto start = std::chrono::steady_clock::now();
  const auto on_cluster = run_on(*real, *t, args);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  REQUIRE(on_cluster);
  std::printf("boid_swarm on the cluster: polarisation %.3f, %lld steps in %.2f s (%.2f ms per step)\n", on_cluster->score,
              static_cast<long long>(on_cluster->details["env_steps"].get<int>()), seconds,
              1e3 * seconds / on_cluster->details["env_steps"].get<int>());
  auto local = must(driver::EngineDriver::create(*t));
  const auto in_process = run_on(*local, *t, args);
  REQUIRE(in_process);
  CHECK(on_cluster->curve.size() == 3);
  CHECK(on_cluster->curve == in_process->curve);
  CHECK(on_cluster->score == in_process->score);
  CHECK(on_cluster->parts == in_process->parts);
  CHECK(on_cluster->baselines == in_process->baselines);
  CHECK(real->tick() == local->tick());
  CHECK(real->raster_hash() == local->raster_hash());
}
