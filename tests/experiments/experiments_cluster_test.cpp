// rhythm_gen and hopfield_assoc on the real cluster (three p3p-node processes on the default topology): their
// spikes cross nodes through the lockstep, and the outcome is the in-process one for the same seed.
#include <chrono>
#include <iostream>

#include "driver/node_cluster_driver.hpp"
#include "tests/control/port_support.hpp"
#include "tests/experiments/experiment_support.hpp"

using namespace p3p;
using namespace p3p::test;

namespace {

experiments::Outcome run_on(driver::ClusterDriver& d, const topology::Topology& t, const std::string& name, const nlohmann::json& args) {
  const experiments::Experiment* e = experiments::find(name);
  REQUIRE(e);
  std::map<std::string, std::string> columns;
  for (const topology::Column& c : topology::find_region(t, e->info->region)->columns) columns[c.role] = c.id;
  must(d.reset_region(e->info->region, true, args.at("seed").get<std::uint64_t>()));
  experiments::Run r{d, t, args, e->info->region, columns};
  return must(e->run(r));
}

std::string outcome_text(const experiments::Outcome& o) {
  return nlohmann::json({{"score", o.score}, {"parts", o.parts}, {"baselines", o.baselines}, {"passed", o.passed}, {"curve", o.curve}}).dump();
}

}  // namespace

TEST_CASE("rhythm_gen and hopfield_assoc on the real cluster give the in-process outcome", "[cluster][experiments]") {
  Cluster cluster;
  auto t = topology::load_file(cluster.yaml);
  REQUIRE(t);
  auto real = must(driver::NodeClusterDriver::open(*t));
  auto local = must(driver::EngineDriver::create(*t));
  REQUIRE(real->tick() == local->tick());
  for (const char* name : {"rhythm_gen", "hopfield_assoc"}) {
    INFO(name);
    const auto args = experiment_args(name, 4);
    const auto started = std::chrono::steady_clock::now();
    const auto on_cluster = run_on(*real, *t, name, args);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const auto in_process = run_on(*local, *t, name, args);
    std::cout << name << " on the cluster: " << seconds << " s, passed " << on_cluster.passed << "\n";
    CHECK(on_cluster.passed);
    CHECK(outcome_text(on_cluster) == outcome_text(in_process));
    CHECK(real->tick() == local->tick());
    CHECK(real->raster_hash() == local->raster_hash());
  }
}
