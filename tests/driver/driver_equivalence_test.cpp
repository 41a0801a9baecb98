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
    CHECK((*a)["columns"].size() >= 7);  // nodeA holds 7 of the default topology's columns, nodeB 10, nodeC 9
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

TEST_CASE("thousands of currents at one tick land through the real cluster as in-process, sent as one stimulate per column and tick", "[cluster][driver]") {
  Cluster cluster;
  auto t = topology::load_file(cluster.yaml);
  REQUIRE(t);
  auto real = must(driver::NodeClusterDriver::open(*t));
  auto local = must(driver::EngineDriver::create(*t));
  // 2,500 currents of 0.0008 into each of pattern_sens_A's first 4 neurons at one tick: 2.0 each, which
  // fires every one - only if all landed: one request holds 4,096 items (1,024 a neuron,
  // 0.82), so the group is split and every part must arrive.
  const std::int64_t at = real->tick() + 3;
  std::vector<driver::Current> currents;
  for (std::uint32_t k = 0; k < 10000; ++k) currents.push_back({"pattern_sens_A", k % 4, at, 0.0008});
  for (std::uint32_t k = 0; k < 300; ++k) currents.push_back({"mem_in_A", k % 3, at + 1 + k % 2, 0.004});
  std::vector<std::vector<std::uint64_t>> fired;
  for (driver::ClusterDriver* d : {static_cast<driver::ClusterDriver*>(real.get()), static_cast<driver::ClusterDriver*>(local.get())}) {
    const std::int64_t from = d->tick();
    const auto started = std::chrono::steady_clock::now();
    must(d->schedule(currents));
    must(d->advance_to(at));
    must(d->advance_to(at + 1));
    INFO("scheduled and ran in " << std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() << " s");
    const auto fired_at = must(d->spike_counts(at, at + 1)).per_neuron.at("pattern_sens_A");
    CHECK(std::vector<std::uint64_t>(fired_at.begin(), fired_at.begin() + 4) == std::vector<std::uint64_t>(4, 1));
    must(d->advance_to(at + 10));
    fired.push_back({});
    for (const auto& [column, counts] : must(d->spike_counts(from, at + 10)).per_neuron) fired.back().insert(fired.back().end(), counts.begin(), counts.end());
  }
  CHECK(fired[0] == fired[1]);
  // A stimulate putting every item at one tick takes no pattern_len, and refuses a bad item whole.
  auto links = must(driver::NodeLinks::open(*t));
  const nlohmann::json item = nlohmann::json::array({{{"neuron", 0}, {"current", 1.0}}});
  std::vector<driver::NodeRequest> bad{
      {0, node_api::stimulate("pattern_sens_A", item, 2, real->tick() + 5, true)},
      {0, node_api::stimulate("pattern_sens_A", nlohmann::json::array({{{"neuron", 0}, {"current", 1.0}}, {{"neuron", 1000}, {"current", 1.0}}}),
                              std::nullopt, real->tick() + 5, true)}};
  for (const auto& answer : links->exchange(bad, std::chrono::seconds(10))) {
    REQUIRE_FALSE(answer);
    CHECK(answer.error().code == ErrorCode::bad_args);
  }
  const std::int64_t now = real->tick();
  must(real->advance_to(now + 10));
  CHECK(must(real->spike_counts(now, now + 10)).per_column.at("pattern_sens_A") == 0);  // nothing of them was scheduled
}
