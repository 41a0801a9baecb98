// Whatever the engine is given - huge, infinite or NaN currents, rewards and thresholds - its state stays
// finite: bad values are refused or clamped at the boundary (engine.hpp), sums saturate.
#include <cmath>
#include <limits>
#include <string>

#include "tests/cortex/helpers.hpp"

using namespace p3p::cortex;
using namespace p3p::cortex::test;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Two pre neurons -> one post neuron through a plastic projection; `mode` gain or eligibility.
NetworkSpec plastic_net(DopamineMode mode) {
  NetworkSpec n;
  n.populations.push_back(quiet_population(2, 0.5));
  n.populations.push_back(quiet_population(1, 1.0));
  ProjectionSpec p = link(0, 1, {{0, 0, 0.1}, {1, 0, 0.1}});
  p.stdp.rule = StdpRule::pair;
  n.projections.push_back(p);
  n.dopamine.mode = mode;
  return n;
}

void require_finite(const Engine& e) {
  for (std::uint32_t p = 0; p < 2; ++p) {
    for (double v : e.potentials(p)) REQUIRE(std::isfinite(v));
    for (double t : e.thresholds(p)) REQUIRE(std::isfinite(t));
  }
  for (const SynapseView& s : e.synapses(0)) REQUIRE(std::isfinite(s.weight));
  REQUIRE(std::isfinite(e.reward_level(0)));
  REQUIRE(std::isfinite(e.dopamine(0)));
}

}  // namespace

TEST_CASE("non-finite currents and thresholds are refused and change nothing") {
  Engine e = make_engine(plastic_net(DopamineMode::gain));
  for (double bad : {kInf, -kInf, kNaN}) {
    CHECK_FALSE(e.inject(0, 0, bad, 1));
    const std::vector<PatternItem> pattern{{0, 1.0}, {1, bad}};
    CHECK_FALSE(e.stimulate(1, pattern, 1, 1));
    CHECK_FALSE(e.set_thresholds(1, bad));
    CHECK_FALSE(e.set_threshold(0, 1, bad));
  }
  e.run(5);
  CHECK(e.thresholds(1)[0] == 1.0);
  CHECK(e.pending_input(1, 0) == 0.0);
  require_finite(e);
}

TEST_CASE("huge currents saturate: many into one tick neither overflow nor leave the state non-finite") {
  Engine e = make_engine(plastic_net(DopamineMode::gain));
  for (int i = 0; i < 100; ++i) {
    REQUIRE(e.inject(1, 0, 1e308, 3));
    REQUIRE(e.inject(0, 0, std::numeric_limits<double>::max(), 3));
    REQUIRE(e.inject(0, 1, -1e308, 3));
  }
  e.run(3);
  e.settle();
  CHECK(e.pending_input(1, 0) > 1e6);   // clamped and saturated, still the right sign
  CHECK(e.pending_input(0, 1) < -1e6);
  e.run(20);
  require_finite(e);
}

TEST_CASE("a reward of any size leaves every weight, trace and potential finite, in every dopamine mode") {
  for (DopamineMode mode : {DopamineMode::gain, DopamineMode::eligibility, DopamineMode::off}) {
    Engine e = make_engine(plastic_net(mode));
    const bool gain = mode == DopamineMode::gain;
    // Pre and post fire again and again: every pairing updates the weights under that reward.
    for (std::int64_t t = 0; t < 200; t += 4) {
      REQUIRE(e.inject(0, 0, 2.0, t));
      REQUIRE(e.inject(0, 1, 2.0, t + 1));
      REQUIRE(e.inject(1, 0, 5.0, t + 2));
    }
    e.reward(1e308);
    CHECK(e.reward_level(0) == (gain ? kMaxReward : 0.0));  // clamped
    e.reward(kNaN);
    CHECK(e.reward_level(0) == (gain ? kMaxReward : 0.0));  // ignored
    e.reward(-kInf);
    CHECK(e.reward_level(0) == (gain ? -kMaxReward : 0.0));
    const std::vector<std::uint32_t> target{1};
    REQUIRE(e.reward(kInf, target));
    CHECK(e.reward_level(0) == (gain ? kMaxReward : 0.0));
    e.step();  // eligibility: the events 1000 - 1000 + 1000 (NaN ignored) become the dopamine
    CHECK(e.dopamine(0) == (mode == DopamineMode::eligibility ? kMaxReward : 0.0));
    e.run(209);
    e.settle();
    require_finite(e);
    for (const SynapseView& s : e.synapses(0)) {
      CHECK(s.weight <= 2.0);  // the rule's clip [-2, 2]
      CHECK(s.weight >= -2.0);
    }
  }
}

TEST_CASE("a neuron index out of range is refused with the column's valid range, and changes nothing") {
  NetworkSpec n = plastic_net(DopamineMode::gain);
  n.populations[0].name = "pre";
  n.populations[1].name = "post";
  Engine e = make_engine(n);
  auto message = [](const auto& r) { return r ? std::string("accepted") : r.error().message; };
  CHECK(message(e.inject(0, 2, 1.0, 1)) == "neuron 2 is out of range: column 'pre' has neurons 0 to 1");
  const std::vector<PatternItem> pattern{{0, 1.0}, {7, 1.0}};
  CHECK(message(e.stimulate(0, pattern, 1, 1)) == "pattern neuron 7 is out of range: column 'pre' has neurons 0 to 1");
  CHECK(message(e.inject_all(1, pattern, 1)) == "item neuron 7 is out of range: column 'post' has neurons 0 to 0");
  CHECK(message(e.set_threshold(1, 4, 2.0)) == "neuron 4 is out of range: column 'post' has neurons 0 to 0");
  const std::vector<SynapseView> bad_source{{5, 0, 0.2}};
  CHECK(message(e.set_weights(0, bad_source)) == "source neuron 5 is out of range: column 'pre' has neurons 0 to 1");
  const std::vector<SynapseView> bad_target{{1, 3, 0.2}};
  CHECK(message(e.set_weights(0, bad_target)) == "target neuron 3 is out of range: column 'post' has neurons 0 to 0");
  e.run(3);
  CHECK(e.pending_input(0, 0) == 0.0);
  CHECK(e.thresholds(1)[0] == 1.0);
  for (const SynapseView& s : e.synapses(0)) CHECK(s.weight == 0.1);
}
