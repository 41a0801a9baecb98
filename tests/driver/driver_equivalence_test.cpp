// The same script through the real cluster (three p3p-node processes on the default topology, brought up
// by p3pctl) and through one in-process engine: the same stops, spikes per neuron, weights and raster hash,
// weight writes and region resets included.
#include "driver/engine_driver.hpp"
#include "driver/node_cluster_driver.hpp"
#include "driver/node_links.hpp"
#include "tests/control/port_support.hpp"
#include "tests/driver/driver_script.hpp"
#include "topology/loader.hpp"

using namespace p3p;
using namespace p3p::test;

TEST_CASE("the same script through the real cluster and the in-process engine sees the same spikes and hash", "[cluster][driver]") {
  Cluster cluster;
  auto t = topology::load_file(cluster.yaml);
  REQUIRE(t);
  auto real = must(driver::NodeClusterDriver::open(*t));
  auto local = must(driver::EngineDriver::create(*t));
  REQUIRE(real->tick() == local->tick());  // a fresh cluster: tick 0
  const ScriptTrace on_cluster = run_script(*real);
  const ScriptTrace in_process = run_script(*local);
  check_same(on_cluster, in_process);
  CHECK(on_cluster.windows.back().total > 0);
  // Bad weight writes and resets: the same codes from the nodes as from the in-process checks.
  CHECK(refusals(*real) == kRefusalCodes);
  CHECK(refusals(*local) == kRefusalCodes);
  // The cluster's own raster hash (p3pctl status) is the driver's.
  auto status = run_process({cluster.ctl, "status", "--topology", cluster.yaml.string(), "-o", "json"}, std::chrono::seconds(15));
  REQUIRE(status.exit_code == 0);
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(on_cluster.raster_hash));
  CHECK(nlohmann::json::parse(status.out)["raster_hash"] == hex);
}

TEST_CASE("run_until with wait is answered when the tick is reached, and its arguments are checked", "[cluster][driver]") {
  Cluster cluster;
  auto t = topology::load_file(cluster.yaml);
  REQUIRE(t);
  auto links = must(driver::NodeLinks::open(*t));
  std::vector<driver::NodeRequest> bad{{0, {node_api::RequestId::run_until, {{"tick", 5}, {"wait", "yes"}}}}};
  auto refused = links->exchange(bad, std::chrono::seconds(5));
  REQUIRE_FALSE(refused[0]);
  CHECK(refused[0].error().code == ErrorCode::bad_args);
  // Only nodeA told: the lockstep holds it at tick 0, so its wait is not answered.
  std::vector<driver::NodeRequest> one{{0, node_api::run_until(30, true)}};
  auto alone = links->exchange(one, std::chrono::milliseconds(300));
  REQUIRE_FALSE(alone[0]);
  CHECK(alone[0].error().code == ErrorCode::unreachable);
  // Every node told: every answer says tick 30, with its columns' counts.
  std::vector<driver::NodeRequest> all;
  for (std::size_t n = 0; n < 3; ++n) all.push_back({n, node_api::run_until(30, true)});
  auto answers = links->exchange(all, std::chrono::seconds(30));
  for (const auto& a : answers) {
    REQUIRE(a);
    CHECK((*a)["tick"] == 30);
    CHECK((*a)["columns"].size() >= 8);
  }
  CHECK((*answers[0])["columns"].contains("col_A1"));
  CHECK((*answers[1])["columns"].contains("col_B1"));
}

TEST_CASE("a node holds a bounded number of run_until waits and refuses more with busy", "[cluster][driver]") {
  Cluster cluster;
  auto t = topology::load_file(cluster.yaml);
  REQUIRE(t);
  auto links = must(driver::NodeLinks::open(*t));
  // Waits for a tick the cluster will not reach soon, by a client that gives up on them.
  std::vector<driver::NodeRequest> far(256, {0, node_api::run_until(1'000'000'000, true)});
  for (const auto& r : links->exchange(far, std::chrono::milliseconds(300))) CHECK_FALSE(r);
  std::vector<driver::NodeRequest> one_more{{0, node_api::run_until(1'000'000'000, true)}};
  auto refused = links->exchange(one_more, std::chrono::seconds(10));
  REQUIRE_FALSE(refused[0]);
  CHECK(refused[0].error().code == ErrorCode::busy);
  // The node still serves everything else.
  std::vector<driver::NodeRequest> status{{0, node_api::status()}};
  CHECK(links->exchange(status, std::chrono::seconds(10))[0]);
}

TEST_CASE("a driver stepping the cluster tick by tick does not write a log line per step", "[cluster][driver]") {
  Cluster cluster;
  auto t = topology::load_file(cluster.yaml);
  REQUIRE(t);
  auto d = must(driver::NodeClusterDriver::open(*t));
  constexpr int kSteps = 300;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kSteps; ++i) REQUIRE(d->advance_to(d->tick() + 1));
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // Every step reaches a target on every node; "target tick reached" is logged at most once a second.
  for (const char* node : {"nodeA", "nodeB", "nodeC"}) {
    std::ifstream log(cluster.dir / "run" / (std::string("p3p-default.") + node + ".log"));
    REQUIRE(log);
    int lines = 0;
    for (std::string line; std::getline(log, line);) lines += line.find("target tick reached") != std::string::npos;
    INFO(node << ": " << lines << " lines in " << seconds << " s");
    CHECK(lines >= 1);
    CHECK(lines <= static_cast<int>(seconds) + 2);
  }
}

TEST_CASE("after a reset with a noise seed the real cluster gives the in-process spikes of a reset at another tick", "[cluster][driver]") {
  Cluster cluster;
  auto t = topology::load_file(cluster.yaml);
  REQUIRE(t);
  auto real = must(driver::NodeClusterDriver::open(*t));
  auto local = must(driver::EngineDriver::create(*t));
  must(real->advance_to(24));
  must(local->advance_to(61));
  CHECK(seeded_run(*real, 11) == seeded_run(*local, 11));
}
