// The in-process driver: the script's effects are real (spikes, learning), its checks refuse bad calls the
// way the real cluster's do, and it stops where the cluster's lockstep epochs would.
#include "driver/engine_driver.hpp"

#include <algorithm>
#include <map>
#include <tuple>

#include "tests/driver/driver_script.hpp"
#include "topology/loader.hpp"
#include "topology/summary.hpp"

using namespace p3p;
using namespace p3p::test;

namespace {

const driver::ProjectionWeights& from(const std::vector<driver::ProjectionWeights>& all, const std::string& column) {
  const auto it = std::find_if(all.begin(), all.end(), [&](const driver::ProjectionWeights& w) { return w.from == column; });
  REQUIRE(it != all.end());
  return *it;
}

double weight_of(const driver::ProjectionWeights& w, std::uint32_t source, std::uint32_t target) {
  for (const driver::Synapse& s : w.synapses)
    if (s.source == source && s.target == target) return s.weight;
  FAIL("no synapse " << source << " -> " << target);
  return 0;
}

// Region R on two nodes, a and b: its `columns` and `projections` as YAML list items.
topology::Topology two_node_topology(const std::string& columns, const std::string& projections) {
  const std::string yaml = R"(
cluster: {name: t, key_file: none.key, seed: 3}
nodes:
  - {id: a, host: 127.0.0.1, router_port: 1, pub_port: 2, modules: [cortex7, mesh]}
  - {id: b, host: 127.0.0.1, router_port: 3, pub_port: 4, modules: [cortex7, mesh]}
regions:
  - name: R
    columns:
)" + columns + "projections:\n" + projections;
  auto t = topology::load_string(yaml, "t.yaml", std::filesystem::temp_directory_path(), {.check_key_file = false});
  REQUIRE(t);
  return std::move(*t);
}

std::unique_ptr<driver::EngineDriver> default_driver() {
  auto t = topology::load_file(std::string(P3P_SOURCE_DIR) + "/topology/default.yaml", {.check_key_file = false});
  REQUIRE(t);
  return must(driver::EngineDriver::create(*t));
}

}  // namespace

TEST_CASE("the script drives the in-process engine: spikes where currents went, plastic weights move", "[driver]") {
  auto d = default_driver();
  const ScriptTrace t = run_script(*d);
  CHECK(t.stops == std::vector<std::int64_t>{6, 15, 40, 52, 64, 80, 92});
  CHECK(t.windows[0].per_column.at("col_A1") > 0);
  CHECK(t.windows[1].per_column.at("col_B1") > 0);  // the relay fired on the next node's column
  CHECK(t.windows[3].total == t.windows[0].total + t.windows[1].total + t.windows[2].total +
                                  must(d->spike_counts(15, 18)).total);
  CHECK(t.weights[0] != t.weights[1]);  // pattern_out_C's plastic input learned
  CHECK(t.raster_hash != 0);
  // The same script on a fresh driver sees the same: nothing depends on the clock or the run.
  auto again = default_driver();
  check_same(t, run_script(*again));
}

TEST_CASE("the in-process driver refuses bad calls with the codes of the real cluster and changes nothing", "[driver]") {
  auto d = default_driver();
  REQUIRE(d->advance_to(5));
  const auto code = [](const auto& r) { return r ? std::string("ok") : std::string(to_string(r.error().code)); };
  const std::vector<driver::Current> past{{"col_A1", 0, 4, 1.0}};
  CHECK(code(d->schedule(past)) == "bad_args");
  const std::vector<driver::Current> nowhere{{"col_Z9", 0, 9, 1.0}};
  CHECK(code(d->schedule(nowhere)) == "unknown_column");
  const std::vector<driver::Current> no_neuron{{"col_A1", 4, 9, 1.0}};  // cortex7 columns have 4 neurons
  CHECK(code(d->schedule(no_neuron)) == "bad_args");
  const std::vector<driver::Current> huge{{"col_A1", 0, 9, 2e6}};
  CHECK(code(d->schedule(huge)) == "bad_args");
  // One bad current among good ones: none is scheduled.
  const std::vector<driver::Current> mixed{{"col_A1", 0, 6, 5.0}, {"col_A1", 0, 2, 5.0}};
  CHECK(code(d->schedule(mixed)) == "bad_args");
  CHECK(code(d->advance_to(5)) == "bad_args");
  CHECK(code(d->spike_counts(0, 3)) == "bad_args");  // 3 is no stop
  CHECK(code(d->set_reward(0.5, 2)) == "bad_args");
  CHECK(code(d->set_reward(5000, 6)) == "bad_args");
  const std::int64_t before = d->tick();
  CHECK(code(d->set_reward(0.5, before + 2, "Region_Nowhere")) == "unknown_region");
  CHECK(d->tick() == before);  // refused before the cluster moved
  CHECK(code(d->weights("nope")) == "unknown_column");
  REQUIRE(d->advance_to(8));
  CHECK(must(d->spike_counts(5, 8)).per_column.at("col_A1") == 0);  // nothing was scheduled
  CHECK(d->tick() == 8);
}

TEST_CASE("the in-process driver stops at the cluster's epoch boundaries", "[driver]") {
  // Every projection crossing nodes has delay >= 2 here: the cluster moves in epochs of 2 ticks.
  const auto t = two_node_topology(R"(
      - {id: c0, node: a, preset: cortex7}
      - {id: c1, node: b, preset: cortex7}
)", R"(
  - {from: c0, to: c1, rule: one_to_one, weight: 0.6, delay: 2}
)");
  auto d = must(driver::EngineDriver::create(t));
  CHECK(must(d->advance_to(3)) == 4);
  CHECK(d->tick() == 4);
  CHECK(must(d->advance_to(6)) == 6);
}

TEST_CASE("the in-process driver writes weights exactly and resets restore what was built", "[driver]") {
  auto d = default_driver();
  const ScriptTrace t = run_script(*d);
  auto fresh = default_driver();
  // Written exactly, and only what was named.
  CHECK(weight_of(from(t.weights[3], "pattern_hidden_B"), 0, 0) == 1.5);
  CHECK(weight_of(from(t.weights[3], "pattern_hidden_B"), 2, 1) == 0.5);
  CHECK(weight_of(from(t.weights[4], "mem_in_A"), 0, 0) == 0.9);
  CHECK(weight_of(from(t.weights[4], "mem_in_A"), 1, 1) == 0.2);
  CHECK(weight_of(from(t.weights[4], "mem_in_A"), 2, 2) == 1.5);  // not written (a frozen relay)
  CHECK(t.windows[4].per_column.at("mem_assoc_B") > 0);
  // A reset without weights keeps them (gain dopamine: nothing is pending); one with weights brings back the built ones.
  CHECK(t.weights[5] == t.weights[6]);
  CHECK(t.weights[6] != t.weights[0]);
  CHECK(t.weights[7] == t.weights[0]);
  CHECK(t.weights[8] == must(fresh->weights("mem_assoc_B")));
  CHECK(t.weights[4] != t.weights[8]);
  CHECK(t.weights[9] == must(fresh->weights("cart_actor_B")));
  CHECK(t.weights[2] != t.weights[9]);  // cart_actor_B had learned before its reset
  // Normalised: every neuron's incoming weights from pattern_hidden_B sum to 1.2; the other projections stay.
  std::map<std::uint32_t, double> sums;
  for (const driver::Synapse& s : from(t.weights[10], "pattern_hidden_B").synapses) sums[s.target] += s.weight;
  REQUIRE(sums.size() == 16);
  for (const auto& [target, sum] : sums) CHECK(sum == Approx(1.2).margin(1e-12));
  CHECK(t.weights[10] != t.weights[7]);
  for (const driver::ProjectionWeights& w : t.weights[10])
    if (w.from != "pattern_hidden_B") CHECK(w == from(t.weights[7], w.from));
}

TEST_CASE("after a reset with weights the in-process driver gives the spikes of a freshly built engine at that tick", "[driver]") {
  // The noise is keyed by the tick, so "freshly built" means standing at the same tick with nothing ever
  // happened: a fresh driver run to that tick without input (the default network makes no spike on its
  // own) and reset, which only brings its potentials back from where the baseline took them.
  auto used = default_driver();
  (void)run_script(*used);
  must(used->advance_to(140));
  must(used->set_reward(0.0, 150));
  REQUIRE(must(used->spike_counts(140, 150)).total == 0);  // nothing in flight (the largest delay is 3)
  auto fresh = default_driver();
  must(fresh->advance_to(150));
  REQUIRE(must(fresh->spike_counts(0, 150)).total == 0);
  // The script's last reset with weights left pattern_out_C as built: write one, so the reset below has
  // something to bring back.
  must(used->set_weights("pattern_out_C", "pattern_hidden_B", std::vector<driver::Synapse>{{0, 0, 1.0}}));
  REQUIRE(must(used->weights("pattern_out_C")) != must(fresh->weights("pattern_out_C")));
  for (auto* d : {used.get(), fresh.get()})
    for (const char* region : {"Region_AB", "Region_BC", "Region_Pattern", "Region_Osc", "Region_Memory", "Region_Cart",
                               "Region_Flock", "Region_Seq", "Region_Anomaly"})
      must(d->reset_region(region, true));
  std::vector<driver::Current> currents;
  for (std::int64_t k = 0; k < 20; ++k) {
    currents.push_back({"pattern_sens_A", static_cast<std::uint32_t>(k % 4), 150 + k, 1.3});
    currents.push_back({"mem_in_A", static_cast<std::uint32_t>(k % 3), 151 + k, 1.2});
    currents.push_back({"seq_embed_A", 0, 152 + k, 1.1});
  }
  for (auto* d : {used.get(), fresh.get()}) {
    must(d->schedule(currents));
    must(d->advance_to(200));
  }
  const auto a = must(used->spike_counts(150, 200));
  const auto b = must(fresh->spike_counts(150, 200));
  CHECK(a.total > 0);
  CHECK(a.per_neuron == b.per_neuron);
  for (const char* column : {"pattern_hidden_B", "pattern_out_C", "mem_assoc_B", "seq_hidden_B", "seq_out_C"})
    CHECK(must(used->weights(column)) == must(fresh->weights(column)));
}

TEST_CASE("the in-process driver refuses bad weight writes and resets with the real cluster's codes, changing nothing", "[driver]") {
  auto d = default_driver();
  must(d->advance_to(10));
  const auto relay = must(d->weights("col_B1"));
  const auto hidden = must(d->weights("pattern_out_C"));
  CHECK(refusals(*d) == kRefusalCodes);
  CHECK(must(d->weights("col_B1")) == relay);
  CHECK(must(d->weights("pattern_out_C")) == hidden);
  CHECK(must(d->advance_to(20)) == 20);
  CHECK(must(d->spike_counts(10, 20)).total == 0);
}

TEST_CASE("exclude_same_group reaches the engine for constant and drawn weights, as many synapses as the summary counts", "[driver]") {
  const auto t = two_node_topology(R"(
      - {id: c0, node: a, size: 8}
      - {id: c1, node: b, size: 6}
)", R"(
  - {from: c0, to: c1, rule: all_to_all, weight: 0.1, exclude_same_group: 2, plastic: true}
  - {from: c1, to: c1, rule: all_to_all, weight: {uniform: [0.1, 0.2]}, exclude_same_group: 3, delay: 2}
)");
  auto d = must(driver::EngineDriver::create(t));
  const auto onto = must(d->weights("c1"));
  for (const auto& [column, group, index] : {std::tuple{"c0", 2U, 0}, std::tuple{"c1", 3U, 1}}) {
    const driver::ProjectionWeights& w = from(onto, column);
    CHECK(w.synapses.size() == topology::projection_synapses(t.projections[static_cast<std::size_t>(index)],
                                                             column == std::string("c0") ? 8 : 6, 6).count);
    for (const driver::Synapse& s : w.synapses) CHECK(s.source / group != s.target / group);
  }
  CHECK(from(onto, "c0").synapses.size() == 48 - 12);
  CHECK(from(onto, "c1").synapses.size() == 36 - 18);
}

TEST_CASE("blocks reach the engine for constant and drawn weights, as many synapses as the summary counts", "[driver]") {
  const auto t = two_node_topology(R"(
      - {id: c0, node: a, size: 12}
      - {id: c1, node: b, size: 6}
)", R"(
  - {from: c0, to: c1, rule: all_to_all, weight: {uniform: [0.0, 0.3]}, blocks: 3, plastic: true}
  - {from: c1, to: c1, rule: all_to_all, weight: -0.3, blocks: 3, exclude_same_group: 1}
)");
  auto d = must(driver::EngineDriver::create(t));
  const auto onto = must(d->weights("c1"));
  const driver::ProjectionWeights& drawn = from(onto, "c0");
  CHECK(drawn.synapses.size() == topology::projection_synapses(t.projections[0], 12, 6).count);
  CHECK(drawn.synapses.size() == 24);
  for (const driver::Synapse& s : drawn.synapses) CHECK(s.source / 4 == s.target / 2);
  const driver::ProjectionWeights& inhibition = from(onto, "c1");
  CHECK(inhibition.synapses.size() == topology::projection_synapses(t.projections[1], 6, 6).count);
  CHECK(inhibition.synapses.size() == 6);
  for (const driver::Synapse& s : inhibition.synapses) CHECK((s.source / 2 == s.target / 2 && s.source != s.target));
}

TEST_CASE("after a reset with a noise seed the in-process driver's spikes do not depend on the tick it came at", "[driver]") {
  auto early = default_driver();
  auto late = default_driver();
  must(early->advance_to(30));
  must(late->advance_to(97));
  const auto a = seeded_run(*early, 7);
  std::uint64_t spikes = 0;
  for (const auto& tick : a)
    for (const auto& [column, counts] : tick)
      for (const std::uint64_t n : counts) spikes += n;
  CHECK(spikes > 20);
  CHECK(seeded_run(*late, 7) == a);
  auto other_seed = default_driver();
  must(other_seed->advance_to(30));
  CHECK(seeded_run(*other_seed, 8) != a);  // the noise decides some of those spikes
}

TEST_CASE("a driver watching columns counts only them from its next stop on, and every column again when told", "[driver]") {
  auto d = default_driver();
  std::vector<driver::Current> drive;
  for (std::int64_t tick = 0; tick < 8; ++tick) drive.push_back({"col_A1", 0, tick, 1.5});
  must(d->schedule(drive));
  must(d->advance_to(3));
  CHECK(d->watch({"col_A1", "col_Z9"}).error().code == ErrorCode::unknown_column);
  must(d->watch({"col_B1", "col_A1", "col_A1"}));
  must(d->advance_to(8));
  const auto watched = must(d->spike_counts(3, 8));
  CHECK(watched.per_neuron.size() == 2);
  CHECK(watched.per_column.contains("col_A1"));
  CHECK(watched.per_column.at("col_B1") > 0);  // the relay still fires: only the counting changed
  // A window from before the watch counts the columns both its ends have.
  const auto across = must(d->spike_counts(0, 8));
  CHECK(across.per_neuron.size() == 2);
  CHECK(across.per_column.at("col_A1") > 0);
  must(d->watch({}));
  must(d->advance_to(10));
  CHECK(must(d->spike_counts(8, 10)).per_neuron.size() == 2);  // the stop at 8 had only the two
  must(d->advance_to(12));
  CHECK(must(d->spike_counts(10, 12)).per_neuron.size() > 20);  // every column again
}
