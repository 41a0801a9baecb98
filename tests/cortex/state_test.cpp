// Export -> import -> continue gives the same spikes as never stopping.
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
