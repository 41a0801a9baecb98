// Export -> import -> continue gives the same spikes as never stopping.
#include <cmath>

#include "tests/cortex/helpers.hpp"

using namespace p3p::cortex;
using namespace p3p::cortex::test;

namespace {

NetworkSpec network(DopamineMode mode) {
  NetworkSpec n;
  n.seed = 11;
  n.dopamine.mode = mode;
  n.dopamine.tau_c = 25;  // rebases inside the run
  PopulationSpec p;
  p.size = 200;
  p.params.baseline = 0.06;
  p.params.v_init_max = 1.0;
  n.populations = {p};
  ProjectionSpec a;
  a.rule = ConnectionRule::fixed_indegree;
  a.in_degree = 10;
  a.weight = 0.05;
  a.delay = 3;
  a.stdp.rule = StdpRule::pair;
  ProjectionSpec b = a;
  b.weight = -0.1;
  b.delay = 5;
  b.stdp.rule = StdpRule::none;
  n.projections = {a, b};
  return n;
}

}  // namespace

TEST_CASE("export then import into a fresh engine and continue gives the same spikes") {
  for (const DopamineMode mode : {DopamineMode::gain, DopamineMode::eligibility}) {
    const NetworkSpec n = network(mode);
    Engine ref = make_engine(n);
    ref.reward(0.5);
    REQUIRE(ref.inject(0, 7, 0.9, 150));
    const auto first = run_all(ref, 120);
    const EngineState state = ref.export_state();
    const auto rest = run_all(ref, 200);
    CHECK(rest.size() > 300);

    Engine copy = make_engine(n, {0, 2});
    REQUIRE(copy.import_state(state));
    CHECK(copy.tick() == 120);
    CHECK(run_all(copy, 200) == rest);
    CHECK(copy.weight(0, ref.synapses(0)[5].source, ref.synapses(0)[5].target).value() ==
          ref.synapses(0)[5].weight);
  }
}

TEST_CASE("import rejects a state of another network and leaves the engine unchanged") {
  Engine a = make_engine(network(DopamineMode::gain));
  a.run(10);
  EngineState s = a.export_state();
  s.populations[0].v.pop_back();
  Engine b = make_engine(network(DopamineMode::gain));
  auto r = b.import_state(s);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == ErrorCode::state_mismatch);
  CHECK(b.tick() == 0);
}

namespace {

bool same_weights(const std::vector<SynapseView>& a, const std::vector<SynapseView>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const SynapseView& x, const SynapseView& y) {
    return x.source == y.source && x.target == y.target && x.weight == y.weight;
  });
}

}  // namespace

TEST_CASE("export then import keeps each projection's reward level, dopamine and eligibility clock") {
  const NetworkSpec n = mixed_modes(1);  // gain, eligibility (rebasing every 100 ticks) and off projections
  Engine ref = make_engine(n);
  reward_some(ref, 0.6, 0, 0.8);
  const auto first = run_all(ref, 130);
  const EngineState state = ref.export_state();
  CHECK(state.projections[0].reward_level == 0.6);
  CHECK(state.projections[3].dopamine.base == 100);
  reward_some(ref, -0.2, 1, 0.3);
  const auto rest = run_all(ref, 200);

  Engine copy = make_engine(n, {0, 2});
  REQUIRE(copy.import_state(state));
  CHECK(copy.reward_level(0) == 0.6);
  reward_some(copy, -0.2, 1, 0.3);
  CHECK(run_all(copy, 200) == rest);
  for (const std::uint32_t j : {0U, 3U, 5U}) CHECK(same_weights(copy.synapses(j), ref.synapses(j)));
  CHECK(copy.dopamine(3) == ref.dopamine(3));
  CHECK(copy.reward_level(0) == ref.reward_level(0));
}

TEST_CASE("import refuses an eligibility clock that does not fit the tick and leaves the engine unchanged") {
  const NetworkSpec n = mixed_modes(1);
  Engine a = make_engine(n);
  a.run(30);
  const EngineState good = a.export_state();
  Engine b = make_engine(n);
  REQUIRE(b.import_state(good));
  auto refused = [&](const EngineState& s) {
    Engine e = make_engine(n);
    auto r = e.import_state(s);
    return !r && r.error().code == ErrorCode::state_mismatch && e.tick() == 0;
  };
  EngineState short_history = good;
  short_history.projections[3].dopamine.history.pop_back();  // a touch at tick 30 would read past it
  CHECK(refused(short_history));
  EngineState future_base = good;
  future_base.projections[3].dopamine.base = 31;
  CHECK(refused(future_base));
  EngineState nan_dopamine = good;
  nan_dopamine.projections[3].dopamine.dopamine = std::nan("");
  CHECK(refused(nan_dopamine));
  EngineState late_offset = good;
  REQUIRE_FALSE(late_offset.projections[3].eligibility_offsets.empty());
  late_offset.projections[3].eligibility_offsets[0] = 31;
  CHECK(refused(late_offset));
  EngineState nan_level = good;
  nan_level.projections[0].reward_level = std::nan("");
  CHECK(refused(nan_level));
}
