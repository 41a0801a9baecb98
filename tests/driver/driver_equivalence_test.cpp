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

namespace {

topology::Topology load_topology(const std::filesystem::path& yaml) {
  auto t = topology::load_file(yaml);
  if (!t) FAIL("cannot load " << yaml);
  return std::move(*t);
}

// A running default cluster, a driver over it and the in-process driver of the same topology: what every
// equivalence test here compares (members in this order: the drivers keep a reference to the topology).
struct DriverPair {
  Cluster cluster;
  topology::Topology topology = load_topology(cluster.yaml);
  std::unique_ptr<driver::NodeClusterDriver> real = must(driver::NodeClusterDriver::open(topology));
  std::unique_ptr<driver::EngineDriver> local = must(driver::EngineDriver::create(topology));
  std::vector<driver::ClusterDriver*> both() const { return {real.get(), local.get()}; }
};

}  // namespace

TEST_CASE("the same script through the real cluster and the in-process engine sees the same spikes and hash", "[cluster][driver]") {
  DriverPair p;
  auto& real = p.real;
  auto& local = p.local;
  REQUIRE(real->tick() == local->tick());  // a fresh cluster: tick 0
  const ScriptTrace on_cluster = run_script(*real);
  const ScriptTrace in_process = run_script(*local);
  check_same(on_cluster, in_process);
  CHECK(on_cluster.windows.back().total > 0);
  // Bad weight writes and resets: the same codes from the nodes as from the in-process checks.
  CHECK(refusals(*real) == kRefusalCodes);
  CHECK(refusals(*local) == kRefusalCodes);
  // The cluster's own raster hash (p3pctl status) is the driver's.
  auto status = run_process({p.cluster.ctl, "status", "--topology", p.cluster.yaml.string(), "-o", "json"}, std::chrono::seconds(15));
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
  DriverPair p;
  auto& real = p.real;
  auto& local = p.local;
  must(real->advance_to(24));
  must(local->advance_to(61));
  CHECK(seeded_run(*real, 11) == seeded_run(*local, 11));
}

TEST_CASE("thousands of currents at one tick land through the real cluster as in-process, sent as one stimulate per column and tick", "[cluster][driver]") {
  DriverPair p;
  auto& real = p.real;
  // 2,500 currents of 0.0008 into each of pattern_sens_A's first 4 neurons at one tick: 2.0 each, which
  // fires every one - only if all landed: one request holds 4,096 items (1,024 a neuron,
  // 0.82), so the group is split and every part must arrive.
  const std::int64_t at = real->tick() + 3;
  std::vector<driver::Current> currents;
  for (std::uint32_t k = 0; k < 10000; ++k) currents.push_back({"pattern_sens_A", k % 4, at, 0.0008});
  for (std::uint32_t k = 0; k < 300; ++k) currents.push_back({"mem_in_A", k % 3, at + 1 + k % 2, 0.004});
  std::vector<std::vector<std::uint64_t>> fired;
  for (driver::ClusterDriver* d : p.both()) {
    const std::int64_t from = d->tick();
    const auto started = std::chrono::steady_clock::now();
    must(d->schedule(currents));
    // A read before the advance sends the held currents through the nodes' event loops (one stimulate per
    // column and tick, split at 4,096 items), not with the step.
    must(d->weights("pattern_out_C"));
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
  auto links = must(driver::NodeLinks::open(p.topology));
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

namespace {

nlohmann::json node_status(driver::NodeLinks& links, std::size_t node) {
  std::vector<driver::NodeRequest> ask{{node, node_api::status()}};
  auto answer = links.exchange(ask, std::chrono::seconds(10));
  REQUIRE(answer[0]);
  return *answer[0];
}

// Every node's step endpoint, as its run_until answer names it.
void learn_step_endpoints(driver::NodeLinks& links) {
  std::vector<driver::NodeRequest> all;
  for (std::size_t n = 0; n < 3; ++n) all.push_back({n, node_api::run_until(0, true)});
  auto answers = links.exchange(all, std::chrono::seconds(10));
  for (std::size_t n = 0; n < 3; ++n) {
    REQUIRE(answers[n]);
    links.set_step_endpoint(n, (*answers[n])["step_endpoint"].get<std::string>());
  }
  REQUIRE(links.steps_known());
}

}  // namespace

TEST_CASE("the driver's advances go to the nodes' simulation threads as one step each with currents and reward and normalise riding along", "[cluster][driver]") {
  DriverPair p;
  auto links = must(driver::NodeLinks::open(p.topology));
  auto& real = p.real;
  auto& local = p.local;
  std::vector<std::uint64_t> served_before;
  for (std::size_t n = 0; n < 3; ++n) served_before.push_back(node_status(*links, n)["driver_steps"]["served"].get<std::uint64_t>());
  constexpr int kSteps = 40;
  std::vector<driver::SpikeCounts> seen[2];
  int k = 0;
  for (driver::ClusterDriver* d : p.both()) {
    must(d->watch({"pattern_hidden_B", "pattern_out_C"}));
    for (int i = 0; i < kSteps; ++i) {
      const std::int64_t from = d->tick();
      std::vector<driver::Current> currents{{"pattern_sens_A", static_cast<std::uint32_t>(i % 32), from, 1.5},
                                            {"pattern_sens_A", static_cast<std::uint32_t>((i + 7) % 32), from + 1, 1.5}};
      must(d->schedule(currents));
      must(d->set_reward(i % 3 == 0 ? 1.0 : -0.5, from, "Region_Pattern"));
      if (i % 10 == 9) must(d->normalise("pattern_out_C", "pattern_hidden_B", 0.4));
      must(d->advance_to(from + 2));
      seen[k].push_back(must(d->spike_counts(from, d->tick())));
    }
    ++k;
  }
  for (std::size_t n = 0; n < 3; ++n)
    CHECK(node_status(*links, n)["driver_steps"]["served"].get<std::uint64_t>() - served_before[n] == kSteps);
  REQUIRE(seen[0].size() == seen[1].size());
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < seen[0].size(); ++i) {
    CHECK(seen[0][i].per_neuron == seen[1][i].per_neuron);  // only the watched columns, the same counts
    CHECK(seen[0][i].per_neuron.size() == 2);
    total += seen[0][i].per_column.at("pattern_hidden_B");
  }
  CHECK(total > 0);
  CHECK(real->raster_hash() == local->raster_hash());
  CHECK(must(real->weights("pattern_out_C")) == must(local->weights("pattern_out_C")));  // rewards and normalise landed alike
}

// The spike batches the nodes have sent their peers so far, and the blocks of several epochs they ran.
static std::pair<std::uint64_t, std::uint64_t> batches_and_blocks(driver::NodeLinks& links) {
  std::uint64_t batches = 0, blocks = 0;
  for (std::size_t n = 0; n < 3; ++n) {
    const auto s = node_status(links, n);
    CHECK(s["focus"]["late_spikes"] == 0);
    batches += s["focus"]["batches_sent"].get<std::uint64_t>();
    blocks += s["focus"]["blocks"].get<std::uint64_t>();
  }
  return {batches, blocks};
}

TEST_CASE("under a focus the nodes run each step as one block and send batches only where live columns reach, with the in-process spikes", "[cluster][driver]") {
  DriverPair p;
  auto links = must(driver::NodeLinks::open(p.topology));
  auto& real = p.real;
  auto& local = p.local;
  const std::vector<std::string> anomaly{"anom_norm_A", "anom_detect_B", "anom_alert_C"};
  const std::vector<std::string> cart{"cart_sens_B", "cart_actor_B", "cart_sens_C", "cart_critic_C"};
  std::vector<driver::SpikeCounts> seen[2];
  std::uint64_t cart_batches = 0, blocks = 0;
  int k = 0;
  for (driver::ClusterDriver* d : p.both()) {
    const bool on_cluster = k == 0;
    // Region_Anomaly crosses nodes with delay 4 (nodeA -> nodeB -> nodeC): blocks of up to 4 epochs.
    must(d->watch(anomaly));  // as an experiment does: it watches and focuses on its region
    must(d->focus(anomaly));
    if (on_cluster)
      for (std::size_t n = 0; n < 3; ++n) CHECK(node_status(*links, n)["focus"]["silenced_columns"] == 29 - anomaly.size());
    for (int i = 0; i < 30; ++i) {
      const std::int64_t from = d->tick();
      must(d->schedule(std::vector<driver::Current>{{"anom_detect_B", static_cast<std::uint32_t>(i % 8), from, 1.5}}));
      must(d->advance_to(from + 5));
      seen[k].push_back(must(d->spike_counts(from, d->tick())));
    }
    // Region_Cart crosses no node: every node runs each step alone, no batch goes out.
    must(d->watch(cart));
    must(d->focus(cart));
    const auto before = on_cluster ? batches_and_blocks(*links) : std::pair<std::uint64_t, std::uint64_t>{};
    const auto served_a = on_cluster ? node_status(*links, 0)["driver_steps"]["served"].get<std::uint64_t>() : 0;
    for (int i = 0; i < 30; ++i) {
      const std::int64_t from = d->tick();
      must(d->schedule(std::vector<driver::Current>{{"cart_sens_B", static_cast<std::uint32_t>(i), from, 1.5},
                                                   {"cart_sens_C", static_cast<std::uint32_t>(i), from, 1.5}}));
      must(d->advance_to(from + 5));
      seen[k].push_back(must(d->spike_counts(from, d->tick())));
    }
    if (on_cluster) {
      const auto after = batches_and_blocks(*links);
      cart_batches = after.first - before.first;
      blocks = after.second;
      // nodeA holds nothing of Region_Cart and nothing of it reaches nodeA: the driver does not step it.
      CHECK(node_status(*links, 0)["driver_steps"]["served"].get<std::uint64_t>() == served_a);
      CHECK(node_status(*links, 0)["tick"].get<std::int64_t>() < d->tick());
    }
    must(d->focus({}));
    must(d->watch({}));
    ++k;
  }
  CHECK(cart_batches == 0);
  CHECK(blocks >= 2 * 30);  // at least every cart step on nodeB and nodeC
  for (std::size_t n = 0; n < 3; ++n) CHECK(node_status(*links, n)["tick"].get<std::int64_t>() == real->tick());  // caught up
  for (std::size_t n = 0; n < 3; ++n) CHECK(node_status(*links, n)["focus"]["silenced_columns"] == 0);
  REQUIRE(seen[0].size() == seen[1].size());
  std::uint64_t alerts = 0, cart_spikes = 0;
  for (std::size_t i = 0; i < seen[0].size(); ++i) {
    CHECK(seen[0][i].per_neuron == seen[1][i].per_neuron);
    if (seen[0][i].per_column.contains("anom_alert_C")) alerts += seen[0][i].per_column.at("anom_alert_C");
    if (seen[0][i].per_column.contains("cart_sens_B")) cart_spikes += seen[0][i].per_column.at("cart_sens_B");
  }
  CHECK(alerts > 0);  // spikes crossed two nodes inside blocks
  CHECK(cart_spikes > 0);
  CHECK(real->raster_hash() == local->raster_hash());
  // The focus is lifted: the cluster runs on as before, the same on both.
  must(real->advance_to(real->tick() + 20));
  must(local->advance_to(local->tick() + 20));
  CHECK(real->raster_hash() == local->raster_hash());
}

TEST_CASE("a bad step is refused whole by the simulation thread with a clear code and changes nothing", "[cluster][driver]") {
  Cluster cluster;
  auto t = topology::load_file(cluster.yaml);
  REQUIRE(t);
  auto links = must(driver::NodeLinks::open(*t));
  learn_step_endpoints(*links);
  using nlohmann::json;
  // Each round gives every node the same bad step (a node told to run while another is not would wait).
  const std::vector<std::pair<json, ErrorCode>> bad{
      {json::array({1, 2}), ErrorCode::bad_args},
      {{{"currents", json::array()}}, ErrorCode::bad_args},                                          // no until
      {{{"until", -1}}, ErrorCode::bad_args},
      {{{"until", 5}, {"currents", json::array({json::array({"nowhere", 1, {0}, {1.0}})})}}, ErrorCode::unknown_column},
      {{{"until", 5}, {"currents", json::array({json::array({"pattern_sens_A", 1, {5000}, {1.0}})})}, {"columns", json::array({"pattern_sens_A"})}},
       ErrorCode::bad_args},  // a neuron outside the column (nodeA), or not_here on the others: see below
      {{{"until", 5}, {"currents", json::array({json::array({"col_A1", 1, {0, 1}, {1.0}})})}}, ErrorCode::bad_args},
      {{{"until", 5}, {"rewards", json::array({json::array({"much", nullptr})})}}, ErrorCode::bad_args},
      {{{"until", 5}, {"normalise", json::array({json::array({"col_A1", "col_B1", 1.0})})}}, ErrorCode::bad_args},  // no projection
      {{{"until", 5}, {"columns", "col_A1"}}, ErrorCode::bad_args},
      {{{"until", 5}, {"currents", json::array({json::array({"col_A1", 1, {0}, {1.0}, 0})})}}, ErrorCode::bad_args},  // repeats 0 ticks
      {{{"until", 5}, {"focus", json::array({"col_A1"})}}, ErrorCode::bad_args},
      {{{"until", 5}, {"focus", json::array({0, json::array({"nowhere"})})}}, ErrorCode::unknown_column},
      {{{"until", 5}, {"focus", json::array({0, json::array({7})})}}, ErrorCode::bad_args},
      {{{"until", 5}, {"focus", json::array({3, json::array({"col_A1"})})}}, ErrorCode::busy},  // not where the node stands
  };
  for (const auto& [body, code] : bad) {
    INFO(body.dump());
    const std::vector<json> bodies(3, body);
    auto answers = links->step(bodies, std::chrono::seconds(10));
    REQUIRE_FALSE(answers[0]);
    CHECK(answers[0].error().code == code);
    for (const auto& a : answers) CHECK_FALSE(a);
  }
  // A column on another node: not_here, from the node that does not hold it (the others get bad steps too).
  const std::vector<json> elsewhere{{{"until", 5}, {"currents", json::array({json::array({"col_B1", 1, {0}, {2.0}})})}},
                                    {{"until", -1}}, {{"until", -1}}};
  auto answers = links->step(elsewhere, std::chrono::seconds(10));
  REQUIRE_FALSE(answers[0]);
  CHECK(answers[0].error().code == ErrorCode::not_here);
  CHECK(node_status(*links, 0)["driver_steps"]["refused"].get<std::uint64_t>() >= bad.size() + 1);
  // Nothing moved and nothing was scheduled: a good step runs to tick 10 with the spikes of a cluster left alone.
  const std::vector<json> good(3, {{"until", 10}});
  std::uint64_t raster = 0;
  for (const auto& a : links->step(good, std::chrono::seconds(30))) {
    REQUIRE(a);
    CHECK((*a)["tick"] == 10);
    raster += (*a)["raster_sum"].get<std::uint64_t>();
  }
  auto local = must(driver::EngineDriver::create(*t));
  must(local->advance_to(10));
  CHECK(raster == local->raster_hash());
}
