// Dopamine per projection: each plastic projection learns in its own mode (gain, eligibility, off) with
// its own constants, a reward can go to the projections onto chosen populations only, and a reset of
// populations starts their projections' learning afresh.
#include <cmath>

#include "tests/cortex/helpers.hpp"

using namespace p3p::cortex;
using namespace p3p::cortex::test;

namespace {

DopamineParams mode_of(DopamineMode mode, double tau_c = 1000, double tau_d = 200, double eta = 0.5) {
  return DopamineParams{mode, tau_c, tau_d, eta};
}

// One quiet pre population (2 neurons) onto one quiet post population (1 neuron) per entry of `modes`,
// each through its own plastic explicit projection (synapses 0 -> 0 and 1 -> 0, weight 0.1). An entry
// without a value takes the network's dopamine, `network`.
NetworkSpec fan_out(const std::vector<std::optional<DopamineParams>>& modes, DopamineParams network = {}) {
  NetworkSpec n;
  n.dopamine = network;
  n.populations.push_back(quiet_population(2, 0.5));
  for (std::uint32_t j = 0; j < modes.size(); ++j) {
    n.populations.push_back(quiet_population(1, 1.0));
    ProjectionSpec p = link(0, j + 1, {{0, 0, 0.1}, {1, 0, 0.1}});
    p.stdp.rule = StdpRule::pair;
    p.dopamine = modes[j];
    n.projections.push_back(p);
  }
  return n;
}

// Pre 0 fires at `at`, every post at `at` + 5: the pair potentiates 0 -> 0 (eligibility: c = A+ e^-5/20).
void pair_at(Engine& e, std::int64_t at) {
  REQUIRE(e.inject(0, 0, 2.0, at));
  for (std::uint32_t p = 1; p < e.spec().populations.size(); ++p) REQUIRE(e.inject(p, 0, 2.0, at + 5));
}

// Pairs at tick 0, a reward at tick 100, then runs to tick 400.
void protocol(Engine& e, double reward) {
  pair_at(e, 0);
  e.run(100);
  e.reward(reward);
  e.run(300);
}

// eta * sum_{k=from}^{to-1} c0 ac^(k-6) * r ad^(k-from): the eligibility weight change (dopamine_test.cpp).
double eligibility_dw(const DopamineParams& d, double r, std::int64_t from, std::int64_t to) {
  const double c0 = 0.01 * std::exp(-5 / 20.0);
  double s = 0;
  for (std::int64_t k = from; k < to; ++k) s += c0 * std::exp(-(k - 6) / d.tau_c) * r * std::exp(-(k - from) / d.tau_d);
  return d.eta * s;
}

std::vector<std::uint32_t> only(std::uint32_t p) { return {p}; }

}  // namespace

TEST_CASE("each plastic projection learns in its own dopamine mode, as in a network of that mode alone") {
  const std::vector<DopamineParams> modes{mode_of(DopamineMode::gain), mode_of(DopamineMode::eligibility),
                                          mode_of(DopamineMode::off)};
  Engine mixed = make_engine(fan_out({modes[0], modes[1], modes[2]}));
  protocol(mixed, 1.0);
  for (std::uint32_t j = 0; j < modes.size(); ++j) {
    INFO("projection " << j);
    Engine alone = make_engine(fan_out({std::nullopt}, modes[j]));  // the network's own mode
    protocol(alone, 1.0);
    CHECK(mixed.weight(j, 0, 0).value() == alone.weight(0, 0, 0).value());
    CHECK(mixed.weight(j, 1, 0).value() == alone.weight(0, 1, 0).value());
  }
  // And the modes really differ: gain tripled the pair's STDP after the reward came... before it, the
  // pairing (tick 6) was at level 0: plain STDP, like off; eligibility learned from the reward alone.
  const double off = mixed.weight(2, 0, 0).value() - 0.1;
  CHECK(off == Approx(0.01 * std::exp(-5 / 20.0)));
  CHECK(mixed.weight(0, 0, 0).value() - 0.1 == Approx(off));
  CHECK(mixed.weight(1, 0, 0).value() - 0.1 == Approx(eligibility_dw(modes[1], 1.0, 100, 400)).epsilon(1e-9));
  CHECK(mixed.reward_level(0) == 1.0);
  CHECK(mixed.reward_level(1) == 0.0);  // not a gain projection
  CHECK(mixed.dopamine(1) > 0.2);
  CHECK(mixed.dopamine(0) == 0.0);  // not an eligibility projection
  CHECK(mixed.reward_level(2) == 0.0);
  CHECK(mixed.dopamine(2) == 0.0);
}

TEST_CASE("gain mode: a projection's STDP is scaled by its own reward level; off ignores rewards") {
  Engine e = make_engine(fan_out({mode_of(DopamineMode::gain), mode_of(DopamineMode::off)}));
  e.reward(1.0);
  pair_at(e, 0);
  e.run(20);
  const double plain = 0.01 * std::exp(-5 / 20.0);
  CHECK(e.weight(0, 0, 0).value() - 0.1 == Approx(3 * plain));  // max(0, 1 + 2 * 1)
  CHECK(e.weight(1, 0, 0).value() - 0.1 == Approx(plain));
}

TEST_CASE("each eligibility projection has its own tau_c, tau_d and eta, and its own dopamine") {
  const DopamineParams a = mode_of(DopamineMode::eligibility, 1000, 200, 0.5);
  const DopamineParams b = mode_of(DopamineMode::eligibility, 40, 30, 2.0);  // rebases every 160 ticks
  Engine e = make_engine(fan_out({a, b}));
  protocol(e, 1.0);
  CHECK(e.weight(0, 0, 0).value() - 0.1 == Approx(eligibility_dw(a, 1.0, 100, 400)).epsilon(1e-9));
  CHECK(e.weight(1, 0, 0).value() - 0.1 == Approx(eligibility_dw(b, 1.0, 100, 400)).epsilon(1e-9));
  // Each decays with its own tau_d: 300 ticks after the reward.
  CHECK(e.dopamine(0) == Approx(std::exp(-299 / 200.0)));
  CHECK(e.dopamine(1) == Approx(std::exp(-299 / 30.0)));
}

TEST_CASE("a reward to target populations reaches only the projections onto them") {
  const DopamineParams elig = mode_of(DopamineMode::eligibility);
  Engine e = make_engine(fan_out({mode_of(DopamineMode::gain), mode_of(DopamineMode::gain), elig, elig}));
  pair_at(e, 0);
  e.run(100);
  REQUIRE(e.reward(1.0, only(1)));  // projection 0 (gain)
  REQUIRE(e.reward(-1.0, only(3)));  // projection 2 (eligibility)
  e.run(300);
  CHECK(e.reward_level(0) == 1.0);
  CHECK(e.reward_level(1) == 0.0);
  CHECK(e.dopamine(2) < -0.2);
  CHECK(e.dopamine(3) == 0.0);
  CHECK(e.weight(2, 0, 0).value() - 0.1 == Approx(eligibility_dw(elig, -1.0, 100, 400)).epsilon(1e-9));
  CHECK(e.weight(3, 0, 0).value() == 0.1);  // paired, but no dopamine reached it
  // A reward to every projection reaches both kinds.
  e.reward(0.5);
  e.step();
  CHECK(e.reward_level(1) == 0.5);
  CHECK(e.dopamine(3) == 0.5);
}

TEST_CASE("a reward to a remote or unknown population is refused and changes nothing") {
  NetworkSpec n = fan_out({mode_of(DopamineMode::gain), mode_of(DopamineMode::gain)});
  n.populations[2].node = 1;
  Engine e = make_engine(n);
  const std::vector<std::uint32_t> remote{1, 2}, unknown{1, 7};
  CHECK(e.reward(1.0, remote).error().code == ErrorCode::invalid_argument);
  CHECK(e.reward(1.0, unknown).error().code == ErrorCode::invalid_argument);
  CHECK(e.reward_level(0) == 0.0);
  REQUIRE(e.reward(1.0, std::vector<std::uint32_t>{}));  // no target: nothing rewarded
  CHECK(e.reward_level(0) == 0.0);
  REQUIRE(e.reward(1.0, only(1)));
  CHECK(e.reward_level(0) == 1.0);
}

TEST_CASE("a reset zeroes the reward level, dopamine and eligibility of the projections onto the reset populations only") {
  const DopamineParams elig = mode_of(DopamineMode::eligibility);
  // Populations 1, 2 (gain, eligibility) are reset; 3, 4 (gain, eligibility) are not.
  auto run_to_reset = [&](bool history) {
    Engine e = make_engine(fan_out({mode_of(DopamineMode::gain), elig, mode_of(DopamineMode::gain), elig}));
    if (history) {  // a previous trial: paired, rewarded
      pair_at(e, 0);
      e.run(50);
      e.reward(1.0);
    }
    e.run(300 - e.tick());
    const std::vector<std::uint32_t> trial{1, 2};
    REQUIRE(e.reset(trial, false));
    return e;
  };
  Engine used = run_to_reset(true);
  CHECK(used.reward_level(0) == 0.0);
  CHECK(used.dopamine(1) == 0.0);
  CHECK(used.reward_level(2) == 1.0);  // not reset: kept
  CHECK(used.dopamine(3) > 0.1);
  // The next trial learns as if the previous one had never been: same pairing, same reward, same weights.
  Engine fresh = run_to_reset(false);
  for (Engine* e : {&used, &fresh}) {
    const double w0 = e->weight(0, 0, 0).value(), w1 = e->weight(1, 0, 0).value();
    pair_at(*e, 300);
    e->run(50);
    REQUIRE(e->reward(0.5, only(1)));
    REQUIRE(e->reward(0.5, only(2)));
    e->run(200);
    CHECK(e->weight(0, 0, 0).value() != w0);
    CHECK(e->weight(1, 0, 0).value() != w1);
  }
  const double learned_before = used.weight(1, 0, 0).value() - fresh.weight(1, 0, 0).value();  // from trial 1
  CHECK(used.weight(0, 0, 0).value() - fresh.weight(0, 0, 0).value() == Approx(0.01 * std::exp(-5 / 20.0)));
  CHECK(learned_before == Approx(eligibility_dw(elig, 1.0, 50, 300)).epsilon(1e-9));
  CHECK(used.dopamine(1) == fresh.dopamine(1));
  CHECK(used.reward_level(0) == fresh.reward_level(0));
}

TEST_CASE("after a reset, eligibility learning depends on the ticks since it, not on the tick it happened at") {
  // Rebases every 160 ticks: resets at different phases of that period must still learn alike.
  const DopamineParams elig = mode_of(DopamineMode::eligibility, 40, 30, 2.0);
  auto trial_after_reset_at = [&](std::int64_t at) {
    Engine e = make_engine(fan_out({elig}));
    e.run(at);
    const std::vector<std::uint32_t> all{0, 1};
    REQUIRE(e.reset(all, true));
    pair_at(e, at);
    e.run(30);
    e.reward(1.0);
    e.run(200);
    return e.weight(0, 0, 0).value();
  };
  const double w = trial_after_reset_at(100);
  CHECK(w > 0.1);
  CHECK(trial_after_reset_at(157) == w);
  CHECK(trial_after_reset_at(1001) == w);
}
