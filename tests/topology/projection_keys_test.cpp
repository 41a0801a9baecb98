// Projection keys for experiments: exclude_same_group (and the synapse counts it changes).
#include "tests/topology/test_support.hpp"
#include "topology/summary.hpp"

using namespace p3p::topology;
using namespace p3p::topology::test;

TEST_CASE("exclude_same_group is read, defaults to 0 and changes the summary's synapse counts") {
  Fixture f;
  const Topology t = f.load_ok(kHeader + R"(    columns:
      - {id: a, node: nA, size: 10}
      - {id: b, node: nB, size: 7}
projections:
  - {from: a, to: b, rule: all_to_all, weight: 0.1, exclude_same_group: 3}
  - {from: a, to: a, rule: all_to_all, weight: 0.1, exclude_same_group: 1}
  - {from: b, to: b, rule: one_to_one, weight: 0.1, exclude_same_group: 2}
  - {from: a, to: b, rule: all_to_all, weight: 0.1}
)");
  REQUIRE(t.projections.size() == 4);
  CHECK(t.projections[0].exclude_same_group == 3);
  CHECK(t.projections[3].exclude_same_group == 0);
  // a (10) -> b (7) in groups of 3: groups 0 and 1 full (9 + 9 pairs), group 2 has b's neuron 6 and a's 6..8 (3).
  CHECK(projection_synapses(t.projections[0], 10, 7).count == 70 - 21);
  CHECK(projection_synapses(t.projections[1], 10, 10).count == 90);  // no self-synapses
  CHECK(projection_synapses(t.projections[2], 7, 7).count == 0);     // every one_to_one pair is in its own group
  CHECK(projection_synapses(t.projections[3], 10, 7).count == 70);
}

TEST_CASE("exclude_same_group must be an integer >= 1 and is refused on a list") {
  Fixture f;
  const Errors e = f.load_errors(kHeader + R"(    columns:
      - {id: c1, node: nA, size: 4}
projections:
  - {from: c1, to: c1, rule: all_to_all, weight: 0.3, exclude_same_group: 0}
  - {from: c1, to: c1, rule: all_to_all, weight: 0.3, exclude_same_group: two}
  - {from: c1, to: c1, rule: list, synapses: [{pre: 0, post: 1, weight: 1}], exclude_same_group: 1}
)");
  REQUIRE(e.size() == 3);
  CHECK(e[0].line == 10);
  CHECK(e[0].message == "projections[0].exclude_same_group: expected an integer >= 1, got '0'");
  CHECK(e[1].line == 11);
  CHECK(e[1].message.find("projections[1].exclude_same_group: expected an integer >= 1") == 0);
  CHECK(e[2].line == 12);
  CHECK(e[2].message == "projections[2].exclude_same_group: rule list takes no 'exclude_same_group'; leave the pairs out of the list");
}

TEST_CASE("transmit is read, defaults to true and false needs a plastic projection") {
  Fixture f;
  const Topology t = f.load_ok(kHeader + R"(    columns:
      - {id: a, node: nA, size: 4}
projections:
  - {from: a, to: a, rule: all_to_all, weight: 0.1, plastic: true, transmit: false}
  - {from: a, to: a, rule: all_to_all, weight: 0.1, plastic: true}
)");
  CHECK_FALSE(t.projections[0].transmit);
  CHECK(t.projections[1].transmit);
  const Errors e = f.load_errors(kHeader + R"(    columns:
      - {id: a, node: nA, size: 4}
projections:
  - {from: a, to: a, rule: all_to_all, weight: 0.1, transmit: false}
  - {from: a, to: a, rule: all_to_all, weight: 0.1, plastic: true, plasticity: {rule: none}, transmit: false}
  - {from: a, to: a, rule: all_to_all, weight: 0.1, plastic: true, transmit: no-thanks}
)");
  REQUIRE(e.size() == 3);
  CHECK(e[0].line == 10);
  CHECK(e[0].message == "projections[0].transmit: false applies only to a plastic projection (plastic: true and a learning rule)");
  CHECK(e[1].line == 11);
  CHECK(e[1].message.find("projections[1].transmit: false applies only") == 0);
  CHECK(e[2].line == 12);
  CHECK(e[2].message.find("projections[2].transmit: expected") == 0);
}

TEST_CASE("a plastic projection may have a_plus = a_minus = 0 (frozen, its weights written from outside)") {
  Fixture f;
  const Topology t = f.load_ok(kHeader + R"(    columns:
      - {id: a, node: nA, size: 4}
projections:
  - {from: a, to: a, rule: all_to_all, weight: 0.1, plastic: true, plasticity: {a_plus: 0, a_minus: 0}}
)");
  CHECK(t.projections[0].plastic);
  CHECK(t.projections[0].plasticity.rule == PlasticityRule::pair);
  CHECK(t.projections[0].plasticity.a_plus == 0.0);
  CHECK(t.projections[0].plasticity.a_minus == 0.0);
}

TEST_CASE("blocks is read, defaults to 0 and counts only the pairs inside one block (with exclude_same_group too)") {
  Fixture f;
  const Topology t = f.load_ok(kHeader + R"(    columns:
      - {id: in, node: nA, size: 12}
      - {id: out, node: nB, size: 6}
projections:
  - {from: in, to: out, rule: all_to_all, weight: 0.1, blocks: 3}
  - {from: out, to: out, rule: all_to_all, weight: -0.3, blocks: 3, exclude_same_group: 1}
  - {from: in, to: out, rule: all_to_all, weight: {uniform: [0, 0.3]}}
)");
  REQUIRE(t.projections.size() == 3);
  CHECK(t.projections[0].blocks == 3);
  CHECK(t.projections[2].blocks == 0);
  CHECK(projection_synapses(t.projections[0], 12, 6).count == 3 * 4 * 2);  // 3 blocks of 4 sources x 2 targets
  CHECK(projection_synapses(t.projections[1], 6, 6).count == 3 * 2);       // in each block of 2: both pairs but self
  CHECK(projection_synapses(t.projections[2], 12, 6).count == 72);
}

TEST_CASE("blocks must be an integer >= 1, on all_to_all, dividing both columns") {
  Fixture f;
  const Errors e = f.load_errors(kHeader + R"(    columns:
      - {id: a, node: nA, size: 6}
      - {id: b, node: nA, size: 4}
projections:
  - {from: a, to: a, rule: all_to_all, weight: 0.3, blocks: 0}
  - {from: a, to: a, rule: one_to_one, weight: 0.3, blocks: 2}
  - {from: a, to: b, rule: all_to_all, weight: 0.3, blocks: 3}
  - {from: a, to: b, rule: all_to_all, weight: 0.3, blocks: 2}
)");
  REQUIRE(e.size() == 3);
  CHECK(e[0].line == 11);
  CHECK(e[0].message == "projections[0].blocks: expected an integer >= 1, got '0'");
  CHECK(e[1].line == 12);
  CHECK(e[1].message == "projections[1].blocks: 'blocks' applies only to rule all_to_all");
  CHECK(e[2].line == 13);
  CHECK(e[2].message == "projections[2].blocks: column 'b' has 4 neurons, not a multiple of 3 blocks");
}
