// Neuron update, threshold/reset edge cases, floor, thresholds and injection semantics.
#include "tests/cortex/helpers.hpp"

using namespace p3p::cortex;
using namespace p3p::cortex::test;

TEST_CASE("neuron update matches hand-computed values") {
  NetworkSpec n;
  PopulationSpec p = quiet_population(2, 10.0);
  p.params.leak = 0.9;
  p.params.baseline = 0.1;
  n.populations.push_back(p);
  Engine e = make_engine(n);
  REQUIRE(e.inject(0, 1, 0.5));
  e.step();  // v0 = 0*0.9 + 0.1; v1 = (0 + 0.5)*0.9 + 0.1
  CHECK(e.potentials(0)[0] == Approx(0.1).margin(1e-12));
  CHECK(e.potentials(0)[1] == Approx(0.55).margin(1e-12));
  e.step();
  CHECK(e.potentials(0)[0] == Approx(0.19).margin(1e-12));
  CHECK(e.potentials(0)[1] == Approx(0.595).margin(1e-12));
}

TEST_CASE("a neuron exactly at threshold spikes and resets but just below does not") {
  NetworkSpec n;
  PopulationSpec p = quiet_population(2, 0.5);
  p.params.reset = -0.25;
  n.populations.push_back(p);
  Engine e = make_engine(n);
  REQUIRE(e.inject(0, 0, 0.5));
  REQUIRE(e.inject(0, 1, 0.5 - 1e-9));
  const auto s = e.step();
  REQUIRE(s.size() == 1);
  CHECK(s[0].neuron == 0);
  CHECK(s[0].tick == 0);
  CHECK(e.potentials(0)[0] == -0.25);
  CHECK(e.potentials(0)[1] == Approx(0.5 - 1e-9).margin(1e-12));
}

TEST_CASE("v_min floors the membrane") {
  NetworkSpec n;
  PopulationSpec p = quiet_population(2);
  p.params.v_min = -0.3;
  n.populations.push_back(p);
  Engine e = make_engine(n);
  REQUIRE(e.inject(0, 0, -1.0));
  REQUIRE(e.inject(0, 1, -0.2));
  e.step();
  CHECK(e.potentials(0)[0] == -0.3);
  CHECK(e.potentials(0)[1] == Approx(-0.2).margin(1e-12));
}

TEST_CASE("per-neuron thresholds can be lowered and restored at run time") {
  NetworkSpec n;
  PopulationSpec p = quiet_population(3);
  p.thresholds = {1.0, 2.0, 3.0};
  n.populations.push_back(p);
  Engine e = make_engine(n);
  REQUIRE(e.set_thresholds(0, 0.4));  // debug_low_thresholds
  for (std::uint32_t i = 0; i < 3; ++i) REQUIRE(e.inject(0, i, 0.45));
  CHECK(e.step().size() == 3);
  REQUIRE(e.restore_thresholds(0));
  CHECK(e.thresholds(0)[2] == 3.0);
  REQUIRE(e.set_threshold(0, 1, 0.1));
  REQUIRE(e.inject(0, 1, 0.2));
  const auto s = e.step();
  REQUIRE(s.size() == 1);
  CHECK(s[0].neuron == 1);
  CHECK_FALSE(e.set_threshold(0, 7, 1.0));
}

TEST_CASE("injection is leaked in its own tick like the original inject") {
  NetworkSpec n;
  PopulationSpec p = quiet_population(1, 5.0);
  p.params.leak = 0.95;
  p.params.baseline = 0.01;
  n.populations.push_back(p);
  Engine e = make_engine(n);
  REQUIRE(e.inject(0, 0, 0.7));
  e.step();
  CHECK(e.potentials(0)[0] == Approx(0.7 * 0.95 + 0.01).margin(1e-12));
  REQUIRE(e.inject(0, 0, 0.3, 3));  // a future tick
  e.step();
  e.step();
  const double v2 = (0.675 * 0.95 + 0.01) * 0.95 + 0.01;
  CHECK(e.potentials(0)[0] == Approx(v2).margin(1e-12));
  e.step();
  CHECK(e.potentials(0)[0] == Approx((v2 + 0.3) * 0.95 + 0.01).margin(1e-12));
  CHECK_FALSE(e.inject(0, 0, 1.0, 1));  // the past
  CHECK_FALSE(e.inject(0, 3, 1.0));
}

TEST_CASE("stimulate spreads pattern_len repetitions over consecutive ticks") {
  NetworkSpec n;
  n.populations.push_back(quiet_population(2, 0.5));
  Engine e = make_engine(n);
  const PatternItem pattern[] = {{0, 0.6}, {1, 0.6}};
  auto span = e.stimulate(0, pattern, 2);
  REQUIRE(span);
  CHECK(*span == 4);
  std::vector<std::uint64_t> order;
  for (int t = 0; t < 5; ++t)
    for (const Spike& s : e.step()) order.push_back(s.neuron);
  CHECK(order == std::vector<std::uint64_t>{0, 1, 0, 1});
}

TEST_CASE("noise is uniform within plus or minus noise") {
  NetworkSpec n;
  PopulationSpec p = quiet_population(2000, 100.0);
  p.params.leak = 0.0;
  p.params.noise = 0.005;
  n.populations.push_back(p);
  Engine e = make_engine(n);
  e.step();
  double lo = 1, hi = -1, sum = 0;
  for (const double v : e.potentials(0)) {
    lo = std::min(lo, v);
    hi = std::max(hi, v);
    sum += v;
  }
  CHECK(lo >= -0.005);
  CHECK(hi < 0.005);
  CHECK(lo < -0.0049);
  CHECK(hi > 0.0049);
  CHECK(std::abs(sum / 2000) < 0.0005);
}
