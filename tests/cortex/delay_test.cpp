// Delay semantics (engine.hpp): a spike at t through delay D is leaked once and first tested at t + D.
#include "tests/cortex/helpers.hpp"

using namespace p3p::cortex;
using namespace p3p::cortex::test;

TEST_CASE("delays 1..D deliver at the right tick") {
  for (int d = 1; d <= 5; ++d) {
    NetworkSpec n;
    n.populations.push_back(quiet_population(1, 0.5));
    n.populations.push_back(quiet_population(1, 0.5));
    n.projections.push_back(link(0, 1, {{0, 0, 0.8}}, d));
    Engine e = make_engine(n);
    REQUIRE(e.inject(0, 0, 1.0));
    // Source fires at tick 0; the target must fire exactly at tick d, and its input must be in its
    // membrane (leaked once) at tick d, not before.
    std::vector<std::int64_t> fired;
    for (int t = 0; t <= d + 2; ++t) {
      for (const Spike& s : e.step())
        if (s.neuron == 1) fired.push_back(s.tick);
      if (t < d) CHECK(e.potentials(1)[0] == 0.0);
    }
    CHECK(fired == std::vector<std::int64_t>{d});
  }
}

TEST_CASE("input arriving at t + D is leaked once before its first threshold test") {
  NetworkSpec n;
  n.populations.push_back(quiet_population(1, 0.5));
  PopulationSpec t = quiet_population(1, 5.0);
  t.params.leak = 0.5;
  n.populations.push_back(t);
  n.projections.push_back(link(0, 1, {{0, 0, 0.8}}, 3));
  Engine e = make_engine(n);
  REQUIRE(e.inject(0, 0, 1.0));
  e.run(3);  // ticks 0, 1, 2
  CHECK(e.potentials(1)[0] == 0.0);
  e.settle();
  CHECK(e.pending_input(1, 0) == Approx(0.8).margin(1e-12));  // added after the threshold test of tick 2
  e.step();                                                   // tick 3
  CHECK(e.potentials(1)[0] == Approx(0.4).margin(1e-12));
}

TEST_CASE("a two-link loop with delay D each way oscillates with period 2D") {
  for (int d : {1, 2, 3, 7}) {
    NetworkSpec n;
    n.populations.push_back(quiet_population(1, 0.5));
    n.populations.push_back(quiet_population(1, 0.5));
    n.projections.push_back(link(0, 1, {{0, 0, 0.6}}, d));
    n.projections.push_back(link(1, 0, {{0, 0, 0.6}}, d));
    Engine e = make_engine(n);
    REQUIRE(e.inject(0, 0, 0.6));
    const auto a = spike_ticks(e, 8 * d + 1, 0);
    REQUIRE(a.size() >= 4);
    for (std::size_t i = 0; i < a.size(); ++i) CHECK(a[i] == static_cast<std::int64_t>(2 * d * i));
  }
}

TEST_CASE("delay must be at least one tick") {
  NetworkSpec n;
  n.populations.push_back(quiet_population(1));
  n.projections.push_back(link(0, 0, {{0, 0, 0.1}}, 0));
  auto e = Engine::create(n);
  REQUIRE_FALSE(e);
  CHECK(e.error().code == ErrorCode::invalid_spec);
}
