// The in-process driver: the script's effects are real (spikes, learning), its checks refuse bad calls the
// way the real cluster's do, and it stops where the cluster's lockstep epochs would.
#include "driver/engine_driver.hpp"
#include "tests/driver/driver_script.hpp"
#include "topology/loader.hpp"

using namespace p3p;
using namespace p3p::test;

namespace {

std::unique_ptr<driver::EngineDriver> default_driver() {
  auto t = topology::load_file(std::string(P3P_SOURCE_DIR) + "/topology/default.yaml", {.check_key_file = false});
  REQUIRE(t);
  return must(driver::EngineDriver::create(*t));
}

}  // namespace

TEST_CASE("the script drives the in-process engine: spikes where currents went, plastic weights move", "[driver]") {
  auto d = default_driver();
  const ScriptTrace t = run_script(*d);
  CHECK(t.stops == std::vector<std::int64_t>{6, 15, 40});
  CHECK(t.windows[0].per_column.at("col_A1") > 0);
  CHECK(t.windows[1].per_column.at("col_B1") > 0);  // the relay fired on the next node's column
  CHECK(t.windows[3].total == t.windows[0].total + t.windows[1].total + t.windows[2].total +
                                  must(d->spike_counts(15, 18)).total);
  CHECK(t.weights[0] != t.weights[1]);  // pattern_hidden_B's plastic input learned
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
  CHECK(code(d->weights("nope")) == "unknown_column");
  REQUIRE(d->advance_to(8));
  CHECK(must(d->spike_counts(5, 8)).per_column.at("col_A1") == 0);  // nothing was scheduled
  CHECK(d->tick() == 8);
}

TEST_CASE("the in-process driver stops at the cluster's epoch boundaries", "[driver]") {
  // Every projection crossing nodes has delay >= 2 here: the cluster moves in epochs of 2 ticks.
  const std::string yaml = R"(
cluster: {name: t, key_file: none.key, seed: 3}
nodes:
  - {id: a, host: 127.0.0.1, router_port: 1, pub_port: 2, modules: [cortex7, mesh]}
  - {id: b, host: 127.0.0.1, router_port: 3, pub_port: 4, modules: [cortex7, mesh]}
regions:
  - name: R
    columns:
      - {id: c0, node: a, preset: cortex7}
      - {id: c1, node: b, preset: cortex7}
projections:
  - {from: c0, to: c1, rule: one_to_one, weight: 0.6, delay: 2}
)";
  auto t = topology::load_string(yaml, "t.yaml", std::filesystem::temp_directory_path(), {.check_key_file = false});
  REQUIRE(t);
  auto d = must(driver::EngineDriver::create(*t));
  CHECK(must(d->advance_to(3)) == 4);
  CHECK(d->tick() == 4);
  CHECK(must(d->advance_to(6)) == 6);
}
