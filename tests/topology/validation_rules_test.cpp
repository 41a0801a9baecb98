// Validation of values against the model: sizes, thresholds, synapse indices, projection rules, plasticity,
// module names.
#include "test_support.hpp"

namespace p3p::topology::test {

TEST_CASE("column sizes must be positive and agree with the preset") {
  Fixture f;
  const Errors e = f.load_errors(kHeader + R"(    columns:
      - {id: c1, node: nA, size: 0}
      - {id: c2, node: nA, size: -4}
      - {id: c3, node: nA, preset: cortex7, size: 5}
      - {id: c4, node: nA}
presets:
  empty: {size: 0}
)");
  REQUIRE(e.size() == 5);
  CHECK(e[0].line == 8);
  CHECK(e[0].column == 34);
  CHECK(e[0].message == "regions[0].columns[0].size: expected an integer >= 1, got '0'");
  CHECK(e[1].line == 9);
  CHECK(e[1].message == "regions[0].columns[1].size: expected an integer >= 1, got '-4'");
  CHECK(e[2].line == 10);
  CHECK(e[2].column == 51);
  CHECK(e[2].message.find("regions[0].columns[2].size: size 5 differs from size 4 of preset 'cortex7'") == 0);
  CHECK(e[3].line == 11);
  CHECK(e[3].message == "regions[0].columns[3]: a column needs 'preset' or 'size'");
  CHECK(e[4].line == 13);
  CHECK(e[4].message == "presets.empty.size: expected an integer >= 1, got '0'");
}

TEST_CASE("preset thresholds need one value per neuron") {
  Fixture f;
  const Errors e = f.load_errors(kHeader + R"(    columns:
      - {id: c1, node: nA, preset: p}
presets:
  p:
    size: 3
    thresholds: [1.0, 1.1]
)");
  require_single_error(e, 12, 17, "presets.p.thresholds: expected 3 thresholds (one per neuron), got 2");
}

TEST_CASE("explicit synapse indices must be inside the column") {
  Fixture f;
  const Errors e = f.load_errors(kHeader + R"(    columns:
      - {id: c1, node: nA, preset: p}
      - {id: c2, node: nB, size: 2}
presets:
  p:
    size: 3
    synapses:
      - {pre: 0, post: 1, weight: 0.5}
      - {pre: 3, post: 1, weight: 0.5}
      - {pre: 0, post: 1, weight: 0.2}
projections:
  - from: c1
    to: c2
    rule: list
    synapses: [{pre: 2, post: 2, weight: 0.1}]
)");
  REQUIRE(e.size() == 3);
  CHECK(e[0].line == 15);
  CHECK(e[0].column == 15);
  CHECK(e[0].message ==
        "presets.p.synapses[1].pre: neuron index 3 is out of range for the source column of 3 neurons (0..2)");
  CHECK(e[1].line == 16);
  CHECK(e[1].message == "presets.p.synapses[2]: duplicate synapse 0 -> 1");
  CHECK(e[2].line == 21);
  CHECK(e[2].message ==
        "projections[0].synapses[0].post: neuron index 2 is out of range for the target column of 2 neurons (0..1)");
}

TEST_CASE("projection delay must be at least one tick") {
  Fixture f;
  const Errors e = f.load_errors(kHeader + R"(    columns:
      - {id: c1, node: nA, preset: cortex7}
      - {id: c2, node: nB, preset: cortex7}
projections:
  - from: c1
    to: c2
    rule: all_to_all
    weight: 0.3
    delay: 0
)");
  require_single_error(e, 15, 12, "projections[0].delay: expected an integer >= 1, got '0'");
}

TEST_CASE("one_to_one needs equal sizes, fixed_indegree k >= 1 and <= source size, p in [0, 1]") {
  Fixture f;
  const Errors e = f.load_errors(kHeader + R"(    columns:
      - {id: c4, node: nA, preset: cortex7}
      - {id: c5, node: nB, size: 5}
projections:
  - {from: c4, to: c5, rule: one_to_one, weight: 0.3}
  - {from: c4, to: c5, rule: fixed_indegree, k: 0, weight: 0.3}
  - {from: c4, to: c5, rule: fixed_indegree, k: 5, weight: 0.3}
  - {from: c4, to: c5, rule: probability, p: 1.5, weight: 0.3}
  - {from: c4, to: c5, rule: probability, weight: 0.3}
)");
  REQUIRE(e.size() == 5);
  CHECK(e[0].line == 11);
  CHECK(e[0].column == 30);
  CHECK(e[0].message ==
        "projections[0].rule: one_to_one needs columns of equal size, but 'c4' has 4 neurons and 'c5' has 5");
  CHECK(e[1].line == 12);
  CHECK(e[1].message == "projections[1].k: expected an integer >= 1, got '0'");
  CHECK(e[2].line == 13);
  CHECK(e[2].message == "projections[2].k: 5 exceeds the 4 neurons of source column 'c4'");
  CHECK(e[3].line == 14);
  CHECK(e[3].column == 46);
  CHECK(e[3].message == "projections[3].p: expected a number between 0 and 1, got '1.5'");
  CHECK(e[4].line == 15);
  CHECK(e[4].message == "projections[4]: missing required key 'p'");
}

TEST_CASE("keys of another rule, a missing weight and unknown rule names") {
  Fixture f;
  const Errors e = f.load_errors(kHeader + R"(    columns:
      - {id: c1, node: nA, preset: cortex7}
projections:
  - {from: c1, to: c1, rule: all_to_all, k: 2, weight: 0.3}
  - {from: c1, to: c1, rule: list, weight: 0.3, synapses: []}
  - {from: c1, to: c1, rule: one_to_one}
  - {from: c1, to: c1, rule: all2all, weight: 0.3}
  - {from: c1, to: c1, rule: probability, p: 0.5, replace: false, weight: 0.3}
)");
  REQUIRE(e.size() == 5);
  CHECK(e[0].line == 10);
  CHECK(e[0].message == "projections[0].k: 'k' applies only to rule fixed_indegree");
  CHECK(e[1].line == 11);
  CHECK(e[1].message == "projections[1].weight: rule list takes no 'weight'; each synapse has its own");
  CHECK(e[2].line == 12);
  CHECK(e[2].message == "projections[2]: missing required key 'weight'");
  CHECK(e[3].line == 13);
  CHECK(e[3].message.find("projections[3].rule: unknown connection rule 'all2all'; expected one of: 'all_to_all'") ==
        0);
  CHECK(e[4].line == 14);
  CHECK(e[4].message == "projections[4].replace: 'replace' applies only to rule fixed_indegree");
}

TEST_CASE("weight distributions: uniform bounds in order, normal sd >= 0, one form only") {
  Fixture f;
  const Errors e = f.load_errors(kHeader + R"(    columns:
      - {id: c1, node: nA, preset: cortex7}
projections:
  - {from: c1, to: c1, rule: all_to_all, weight: {uniform: [0.5, 0.1]}}
  - {from: c1, to: c1, rule: all_to_all, weight: {normal: {mean: 0.3, sd: -1}}}
  - {from: c1, to: c1, rule: all_to_all, weight: {uniform: [0.1]}}
  - {from: c1, to: c1, rule: all_to_all, weight: {uniform: [0, 1], normal: {mean: 0, sd: 1}}}
  - {from: c1, to: c1, rule: all_to_all, weight: {gauss: 1}}
)");
  REQUIRE(e.size() == 5);
  CHECK(e[0].line == 10);
  CHECK(e[0].message == "projections[0].weight.uniform: lo (0.5) must not exceed hi (0.1)");
  CHECK(e[1].line == 11);
  CHECK(e[1].message == "projections[1].weight.normal.sd: expected a number >= 0, got '-1'");
  CHECK(e[2].line == 12);
  CHECK(e[2].message == "projections[2].weight.uniform: expected a list [lo, hi] of 2 numbers, got 1");
  CHECK(e[3].line == 13);
  CHECK(e[3].message == "projections[3].weight: give either 'uniform' or 'normal', not both");
  CHECK(e[4].line == 14);
  CHECK(e[4].message.find("unknown key 'gauss' in projections[4].weight") == 0);
}

TEST_CASE("plasticity: w_min <= w_max (also after a projection's override), known rule and dopamine mode, eta >= 0") {
  Fixture f;
  const Errors e = f.load_errors(kHeader + R"(    columns:
      - {id: c1, node: nA, preset: cortex7}
plasticity:
  rule: hebb
  w_min: 3
  dopamine: gian
  tau_c: 0
  eta: -1
projections:
  - {from: c1, to: c1, rule: all_to_all, weight: 0.3, plasticity: {w_max: -3}}
)");
  REQUIRE(e.size() == 6);
  CHECK(e[0].line == 10);
  CHECK(e[0].message == "plasticity.rule: unknown plasticity rule 'hebb'; expected one of: 'pair', 'legacy', 'none'");
  CHECK(e[1].line == 11);
  CHECK(e[1].column == 10);
  CHECK(e[1].message == "plasticity: w_min (3) must not exceed w_max (2)");
  CHECK(e[2].line == 12);
  CHECK(e[2].message == "plasticity.dopamine: unknown dopamine mode 'gian'; did you mean 'gain'?");
  CHECK(e[3].line == 13);
  CHECK(e[3].message == "plasticity.tau_c: expected a number > 0, got '0'");
  CHECK(e[4].line == 14);
  CHECK(e[4].message == "plasticity.eta: expected a number >= 0, got '-1'");
  CHECK(e[5].line == 16);
  CHECK(e[5].message == "projections[0].plasticity: w_min (3) must not exceed w_max (-3)");
}

TEST_CASE("neuron parameters: leak in [0, 1], noise >= 0, reset below threshold") {
  Fixture f;
  const Errors e = f.load_errors(kHeader + R"(    columns:
      - {id: c1, node: nA, size: 2, params: odd}
neuron_params:
  odd: {leak: 1.5, noise: -0.1, threshold: 0.5, reset: 0.5}
)");
  REQUIRE(e.size() == 3);
  CHECK(e[0].message == "neuron_params.odd.leak: expected a number between 0 and 1, got '1.5'");
  CHECK(e[1].message == "neuron_params.odd.noise: expected a number >= 0, got '-0.1'");
  CHECK(e[2].message == "neuron_params.odd: reset (0.5) must be below threshold (0.5)");
  for (const Error& err : e) CHECK(err.line == 10);
}

TEST_CASE("unknown and repeated module names") {
  Fixture f;
  const Errors e = f.load_errors(R"(cluster: {name: t, key_file: k.key}
nodes:
  - id: nA
    host: 127.0.0.1
    router_port: 20001
    pub_port: 20101
    modules: [logger, cortex, mesh, mesh, persist]
regions:
  - name: R
    columns:
      - {id: c1, node: nA, preset: cortex7}
)");
  REQUIRE(e.size() == 3);
  CHECK(e[0].line == 7);
  CHECK(e[0].column == 23);
  CHECK(e[0].message == "nodes[0].modules[1]: unknown module 'cortex'; did you mean 'cortex7'?");
  CHECK(e[1].column == 37);
  CHECK(e[1].message == "nodes[0].modules[3]: module 'mesh' is listed twice");
  CHECK(e[2].column == 43);
  CHECK(e[2].message.find("nodes[0].modules[4]: unknown module 'persist'") == 0);
}

TEST_CASE("jobs: known type, unique id, command jobs name their command") {
  Fixture f;
  const Errors e = f.load_errors(kHeader + R"(    columns:
      - {id: c1, node: nA, preset: cortex7}
jobs:
  - {id: j1, type: run_demo}
  - {id: j1, type: snapshot}
  - {id: j2, type: command, args: {epochs: 3}}
  - {id: j3, type: command, repeat: 0}
)");
  REQUIRE(e.size() == 5);
  CHECK(e[0].line == 10);
  CHECK(e[0].message.find("jobs[0].type: unknown job type 'run_demo'") == 0);
  CHECK(e[1].line == 11);
  CHECK(e[1].message == "duplicate job id 'j1' (first defined at line 10)");
  CHECK(e[2].line == 12);
  CHECK(e[2].message == "jobs[2].args: missing required key 'cmd' (the command to run)");
  CHECK(e[3].line == 13);
  CHECK(e[3].column == 5);  // no args at all: reported at the job
  CHECK(e[3].message == "jobs[3]: a job of type command needs args.cmd (the command to run)");
  CHECK(e[4].line == 13);
  CHECK(e[4].message == "jobs[3].repeat: expected an integer >= 1, got '0'");
}

}  // namespace p3p::topology::test
