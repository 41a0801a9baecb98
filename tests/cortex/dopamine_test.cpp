// Eligibility-trace dopamine (Izhikevich 2007): delayed rewards teach the synapses that were paired.
#include <cmath>

#include "tests/cortex/helpers.hpp"

using namespace p3p::cortex;
using namespace p3p::cortex::test;

namespace {

NetworkSpec eligibility_net() {
  NetworkSpec n;
  n.populations.push_back(quiet_population(2, 0.5));
  n.populations.push_back(quiet_population(1, 1.0));
  ProjectionSpec p = link(0, 1, {{0, 0, 0.1}, {1, 0, 0.1}});
  p.stdp.rule = StdpRule::pair;
  n.projections.push_back(p);
  n.dopamine.mode = DopamineMode::eligibility;
  n.dopamine.tau_c = 1000;
  n.dopamine.tau_d = 200;
  n.dopamine.eta = 0.5;
  return n;
}

// Pre neuron 0 fires at tick 0, the post at tick 5: c = A+ exp(-5/20) from the boundary of tick 6.
Engine paired() {
  Engine e = make_engine(eligibility_net());
  REQUIRE(e.inject(0, 0, 2.0, 0));
  REQUIRE(e.inject(1, 0, 2.0, 5));
  e.run(6);
  return e;
}

// eta * sum_{k=from}^{to-1} c0 ac^(k-6) * r ad^(k-from)
double expected_dw(double r, std::int64_t from, std::int64_t to) {
  const double c0 = 0.01 * std::exp(-5 / 20.0);
  double s = 0;
  for (std::int64_t k = from; k < to; ++k) s += c0 * std::exp(-(k - 6) / 1000.0) * r * std::exp(-(k - from) / 200.0);
  return 0.5 * s;
}

}  // namespace

TEST_CASE("eligibility: a reward 300 ticks after pre->post potentiates that synapse only") {
  Engine e = paired();
  e.run(300);
  CHECK(e.weight(0, 0, 0).value() == 0.1);  // no dopamine yet: no change
  REQUIRE(e.tick() == 306);
  e.reward(1.0);
  e.run(500);
  const double dw = e.weight(0, 0, 0).value() - 0.1;
  CHECK(dw > 1e-4);
  CHECK(dw == Approx(expected_dw(1.0, 306, 806)).epsilon(1e-9));
  CHECK(e.weight(0, 1, 0).value() == 0.1);  // unpaired synapse untouched
}

TEST_CASE("eligibility: negative dopamine depresses the paired synapse") {
  Engine e = paired();
  e.run(300);
  e.reward(-1.0);
  e.run(200);
  const double dw = e.weight(0, 0, 0).value() - 0.1;
  CHECK(dw < -1e-4);
  CHECK(dw == Approx(expected_dw(-1.0, 306, 506)).epsilon(1e-9));
  CHECK(e.weight(0, 1, 0).value() == 0.1);
}

TEST_CASE("eligibility: lazy updates survive rebasing and match a reward long after") {
  NetworkSpec n = eligibility_net();
  n.dopamine.tau_c = 20;  // rebase every 80 ticks
  Engine e = make_engine(n);
  REQUIRE(e.inject(0, 0, 2.0, 0));
  REQUIRE(e.inject(1, 0, 2.0, 5));
  e.run(6 + 150);
  e.reward(2.0);
  e.run(300);
  const double c0 = 0.01 * std::exp(-5 / 20.0);
  double s = 0;
  for (std::int64_t k = 156; k < 456; ++k) s += c0 * std::exp(-(k - 6) / 20.0) * 2.0 * std::exp(-(k - 156) / 200.0);
  CHECK(e.weight(0, 0, 0).value() - 0.1 == Approx(0.5 * s).epsilon(1e-9));
}

TEST_CASE("trial reset clears eligibility and dopamine") {
  Engine e = paired();
  e.reset_trial();
  e.reward(1.0);
  e.run(100);
  CHECK(e.weight(0, 0, 0).value() == 0.1);
  CHECK(e.dopamine(0) > 0.5);
  e.reset_trial();
  CHECK(e.dopamine(0) == 0.0);
}
