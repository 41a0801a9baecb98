// Pair STDP: signs and magnitudes, clipping, normalisation, trial reset, gain-mode dopamine.
#include <cmath>

#include "tests/cortex/helpers.hpp"

using namespace p3p::cortex;
using namespace p3p::cortex::test;

namespace {

// Two pre neurons (pop 0) -> one post neuron (pop 1), plastic pair rule, w = 0.1 (too weak to fire it).
NetworkSpec pair_net(StdpParams stdp = {StdpRule::pair}, int delay = 1) {
  NetworkSpec n;
  n.populations.push_back(quiet_population(2, 0.5));
  n.populations.push_back(quiet_population(1, 1.0));
  ProjectionSpec p = link(0, 1, {{0, 0, 0.1}, {1, 0, 0.1}}, delay);
  p.stdp = stdp;
  n.projections.push_back(p);
  return n;
}

// Makes neuron `n` of population `pop` fire at tick `t` (by a strong injection), running up to it.
void fire_at(Engine& e, std::uint32_t pop, std::uint32_t n, std::int64_t t) {
  REQUIRE(e.inject(pop, n, 2.0, t));
}

double w(const Engine& e, std::uint32_t src) { return e.weight(0, src, 0).value(); }

}  // namespace

TEST_CASE("pre before post potentiates by A+ exp(-dt/tau+)") {
  for (int dt : {0, 1, 5, 17}) {
    Engine e = make_engine(pair_net());
    fire_at(e, 0, 0, 2);
    fire_at(e, 1, 0, 2 + dt);
    e.run(3 + dt);
    e.settle();  // the post spike's boundary
    CHECK(w(e, 0) == Approx(0.1 + 0.01 * std::exp(-dt / 20.0)).margin(1e-9));
    CHECK(w(e, 1) == Approx(0.1).margin(1e-15));  // its pre never fired
  }
}

TEST_CASE("post before pre depresses by A- exp(-dt/tau-)") {
  for (int dt : {1, 4, 30}) {
    StdpParams s{StdpRule::pair};
    s.tau_minus = 10.0;
    Engine e = make_engine(pair_net(s));
    fire_at(e, 1, 0, 3);
    fire_at(e, 0, 0, 3 + dt);
    e.run(4 + dt);
    e.settle();
    CHECK(w(e, 0) == Approx(0.1 - 0.012 * std::exp(-dt / 10.0)).margin(1e-9));
  }
}

TEST_CASE("STDP timing counts from the arrival with longer delays and A- = 0 disables depression") {
  StdpParams s{StdpRule::pair};
  s.a_minus = 0.0;
  Engine e = make_engine(pair_net(s, 3));
  fire_at(e, 1, 0, 1);  // post first: would depress, but A- = 0
  fire_at(e, 0, 0, 2);  // pre at 2, arrives (tested) at 5
  fire_at(e, 1, 0, 9);  // post at 9: 9 - (2 + 3 - 1) = 5 ticks after arrival
  e.run(10);
  e.settle();
  CHECK(w(e, 0) == Approx(0.1 + 0.01 * std::exp(-5 / 20.0)).margin(1e-9));
}

TEST_CASE("weights are clipped to w_min and w_max") {
  StdpParams s{StdpRule::pair};
  s.a_plus = 0.5;
  s.a_minus = 0.5;
  s.w_max = 0.3;
  s.w_min = -0.05;
  Engine e = make_engine(pair_net(s));
  fire_at(e, 0, 0, 0);
  fire_at(e, 1, 0, 1);
  e.run(2);
  e.settle();
  CHECK(w(e, 0) == 0.3);
  fire_at(e, 0, 0, 3);  // right after a post spike: depression 0.5 * exp(-2/20) -> clipped at w_min
  e.run(3);
  e.settle();
  CHECK(w(e, 0) == -0.05);
}

TEST_CASE("gain mode scales dw by max of 0 and 1 + 2 reward") {
  for (const double reward : {-0.5, 0.0, 1.0}) {
    Engine e = make_engine(pair_net());
    e.reward(reward);
    fire_at(e, 0, 0, 0);
    fire_at(e, 1, 0, 4);
    e.run(5);
    e.settle();
    const double gain = std::max(0.0, 1.0 + 2.0 * reward);
    CHECK(w(e, 0) == Approx(0.1 + gain * 0.01 * std::exp(-4 / 20.0)).margin(1e-9));
  }
}

TEST_CASE("trial reset clears the traces") {
  Engine e = make_engine(pair_net());
  fire_at(e, 0, 0, 0);
  fire_at(e, 1, 0, 5);
  e.run(3);
  e.reset_trial();
  e.run(3);
  e.settle();
  CHECK(w(e, 0) == 0.1);  // the pre trace was cleared before the post spike
}

TEST_CASE("normalisation rescales each target's incoming plastic weights to the set sum") {
  NetworkSpec n;
  PopulationSpec src = quiet_population(4, 0.5);
  n.populations.push_back(src);
  n.populations.push_back(quiet_population(2, 100.0));
  ProjectionSpec p;
  p.source = 0;
  p.target = 1;
  p.rule = ConnectionRule::explicit_list;
  p.synapses = {{0, 0, 0.1}, {1, 0, 0.3}, {2, 0, 0.2}, {0, 1, 0.5}, {3, 1, 0.25}};
  p.stdp.rule = StdpRule::pair;
  p.normalise = {true, 1.5, 4};
  n.projections.push_back(p);
  Engine e = make_engine(n);
  REQUIRE_FALSE(e.normalise(0, std::nan("")));
  REQUIRE(e.normalise(0, 1.5));
  auto sums = [&e] {
    std::vector<double> s(2, 0.0);
    for (const SynapseView& v : e.synapses(0)) s[v.target] += v.weight;
    return s;
  };
  CHECK(sums()[0] == Approx(1.5).margin(1e-12));
  CHECK(sums()[1] == Approx(1.5).margin(1e-12));
  CHECK(e.weight(0, 1, 0).value() == Approx(0.75).margin(1e-12));
  // Periodic: learning moves the sums, the boundary of tick 8 restores them.
  REQUIRE(e.inject(0, 0, 1.0, 1));
  REQUIRE(e.inject(1, 0, 200.0, 2));
  e.run(3);
  e.settle();
  CHECK(sums()[0] != Approx(1.5).margin(1e-6));
  e.run(5);
  e.settle();
  CHECK(e.tick() == 8);
  CHECK(sums()[0] == Approx(1.5).margin(1e-12));
}

TEST_CASE("a plastic projection with transmit false learns as it would transmitting but delivers nothing") {
  // Pre 0 fires at 2 and 9, post at 4 (pre before post: potentiation) and 8 (post before pre: depression).
  auto run = [](bool transmit, std::vector<double>& v_after_arrival) {
    NetworkSpec n = pair_net();
    n.projections[0].transmit = transmit;
    Engine e = make_engine(n);
    fire_at(e, 0, 0, 2);
    fire_at(e, 1, 0, 4);
    fire_at(e, 1, 0, 8);
    fire_at(e, 0, 0, 9);
    e.run(4);  // the spike of tick 2 arrives after the threshold test of tick 2 (delay 1): v of tick 3 holds it
    v_after_arrival.assign(e.potentials(1).begin(), e.potentials(1).end());
    e.run(8);
    e.settle();
    return std::pair{w(e, 0), w(e, 1)};
  };
  std::vector<double> v_on, v_off;
  const auto on = run(true, v_on);
  const auto off = run(false, v_off);
  CHECK(v_on[0] == Approx(0.1).margin(1e-12));  // quiet neuron: no leak, no baseline - only the synapse moves it
  CHECK(v_off[0] == 0.0);
  CHECK(off == on);
  CHECK(off.first != 0.1);   // it learned
  CHECK(off.second == 0.1);  // pre 1 never fired
}

TEST_CASE("transmit false is refused on a static projection") {
  NetworkSpec n = pair_net(StdpParams{StdpRule::none});
  n.projections[0].transmit = false;
  auto e = Engine::create(n);
  REQUIRE_FALSE(e);
  CHECK(e.error().message.find("transmit") != std::string::npos);
}
