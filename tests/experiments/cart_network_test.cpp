// cart_balance's network as the default topology holds it, the currents of one step, the read-out, and the
// refusals of what it cannot run (before the cluster moves).
#include <catch2/catch.hpp>

#include <map>
#include <tuple>

#include "client/request.hpp"
#include "experiment_support.hpp"
#include "experiments/cart_network.hpp"

namespace p3p::experiments::cart {
namespace {

struct Placed {
  test::InProcessExperiment x;
  std::map<std::string, std::string> columns;
  explicit Placed(topology::Topology t = test::default_topology()) : x(std::move(t)) {
    for (const topology::Column& c : topology::find_region(x.topology, "Region_Cart")->columns) columns[c.role] = c.id;
    x.args = test::experiment_args("cart_balance", 1);
  }
  Run run() { return Run{*x.driver, x.topology, x.args, "Region_Cart", columns}; }
};

}  // namespace

TEST_CASE("the default Region_Cart: two copies of the place cells, actor halves of 10, 80 critic neurons with tonics in range") {
  Placed p;
  Run run = p.run();
  Random rng(5);
  const auto n = network(run, 0.3, 0.6, rng);
  REQUIRE(n.has_value());
  CHECK(n->place_cells == std::vector<std::string>{p.columns.at("actor_sensors"), p.columns.at("critic_sensors")});
  CHECK(n->actor == p.columns.at("actor"));
  CHECK(n->critic == p.columns.at("critic"));
  CHECK(n->per_side == 10);
  CHECK(n->critic_w_min == Approx(-0.25));
  REQUIRE(n->critic_tonic.size() == 80);
  for (const double c : n->critic_tonic) {
    CHECK(c >= 0.3);
    CHECK(c < 0.6);
  }
}

TEST_CASE("one step's currents: every tick, the box's place cells, each actor half its drive, divided by the leak") {
  Network n;
  n.place_cells = {"place_a", "place_c"};
  n.actor = "actor";
  n.critic = "critic";
  n.per_side = 2;
  n.actor_place_leak = n.critic_place_leak = n.actor_leak = n.critic_leak = 0.5;
  n.critic_tonic = {0.3, 0.4};
  const std::vector<driver::Current> c = step_currents(n, StepDrive{7, 0.1, 0.2, -0.25}, 100);
  REQUIRE(c.size() == static_cast<std::size_t>(kTicksPerStep) * (2 + 4 + 2));
  std::map<std::int64_t, int> per_tick;
  for (const driver::Current& x : c) {
    ++per_tick[x.tick];
    if (x.column == "place_a" || x.column == "place_c") {
      CHECK(x.neuron == 7);
      CHECK(x.current == Approx(2.0));
    } else if (x.column == "actor") {
      CHECK(x.current == Approx(x.neuron < 2 ? 0.2 : 0.4));
    } else {
      REQUIRE(x.column == "critic");
      CHECK(x.current == Approx((n.critic_tonic[x.neuron] - 0.25) * 2.0));
    }
  }
  CHECK(per_tick.size() == static_cast<std::size_t>(kTicksPerStep));
  CHECK(per_tick.begin()->first == 100);
  // No box: no place cell driven (the quiet calibration steps).
  CHECK(step_currents(n, StepDrive{-1, 0.0, 0.0, 0.0}, 0).size() == static_cast<std::size_t>(kTicksPerStep) * 6);
}

TEST_CASE("the read-out sums each actor half and the critic column") {
  Network n;
  n.actor = "actor";
  n.critic = "critic";
  n.per_side = 2;
  driver::SpikeCounts counts;
  counts.per_neuron["actor"] = {1, 2, 0, 4};
  counts.per_column["critic"] = 9;
  const StepSpikes s = read_step(n, counts);
  CHECK(s.left == 3);
  CHECK(s.right == 4);
  CHECK(s.critic == 9);
}

TEST_CASE("cart_balance refuses too few place cells, an odd actor or a missing projection, naming it, before the cluster moves") {
  for (const auto& [from, to, says] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"size: 162, role: actor_sensors", "size: 100, role: actor_sensors", "cart_sens_B needs 162"},
           {"size: 162, role: critic_sensors", "size: 161, role: critic_sensors", "cart_sens_C needs 162"},
           {"size: 20, role: actor", "size: 21, role: actor", "even number"},
           {"from: cart_sens_C\n    to: cart_critic_C", "from: cart_sens_B\n    to: cart_critic_C", "plastic projection cart_sens_C"}}) {
    INFO(to);
    test::InProcessExperiment x(test::topology_with(from, to));
    x.args = test::experiment_args("cart_balance", 1, {{"episodes", 1}, {"random_episodes", 1}});
    const std::int64_t before = x.driver->tick();
    const auto r = x.run("cart_balance");
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == ErrorCode::bad_args);
    CHECK_THAT(r.error().message, Catch::Contains(says));
    CHECK(x.driver->tick() == before);
  }
}

TEST_CASE("cart_balance's arguments out of range are bad_args naming the argument") {
  for (const auto& [name, value] : std::vector<std::pair<std::string, long long>>{
           {"episodes", 0}, {"steps_per_episode", 0}, {"random_episodes", 0}, {"episodes", 1000000}}) {
    INFO(name << " = " << value);
    auto r = control::make_request("experiment_cart_balance", {{name, value}});
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == ErrorCode::bad_args);
    CHECK_THAT(r.error().message, Catch::Contains(name));
  }
  CHECK(control::make_request("experiment_cart_balance", {{"episodes", 10}, {"seed", 3}}).has_value());
}

}  // namespace p3p::experiments::cart
