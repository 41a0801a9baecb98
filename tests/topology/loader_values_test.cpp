// What a valid file loads into: defaults, built-ins and overrides, resolved paths, jobs, weights, summary, hash.
#include "test_support.hpp"
#include "topology/builtin.hpp"
#include "topology/hash.hpp"
#include "topology/summary.hpp"

namespace p3p::topology::test {

TEST_CASE("defaults apply when optional keys and sections are absent") {
  Fixture f;
  const Topology t = f.load_ok(kHeader + R"(    columns:
      - {id: c1, node: nA, preset: cortex7}
)");
  CHECK(t.cluster.seed == 1);
  CHECK(t.cluster.tick_ms == 0);
  CHECK(t.cluster.heartbeat_timeout_ms == 2000);
  CHECK(t.cluster.replay_window_ms == 30000);
  CHECK(t.plasticity.rule == PlasticityRule::pair);
  CHECK(t.plasticity.dopamine == DopamineMode::gain);
  CHECK(t.plasticity.w_max == 2.0);
  CHECK(t.nodes[0].threads == 1);
  CHECK_FALSE(t.nodes[0].metrics_port.has_value());
  CHECK_FALSE(t.control.has_value());
  CHECK(t.persistence.keep == 0);
  CHECK(t.jobs.empty());
  CHECK(t.neuron_params.count("default") == 1);
  CHECK(t.presets.count("cortex7") == 1);
}

TEST_CASE("a column's role is read as written and is empty when absent") {
  Fixture f;
  const Topology t = f.load_ok(kHeader + R"(    columns:
      - {id: c1, node: nA, preset: cortex7, role: input}
      - {id: c2, node: nA, preset: cortex7}
)");
  CHECK(t.regions[0].columns[0].role == "input");
  CHECK(t.regions[0].columns[1].role.empty());
}

TEST_CASE("relative paths resolve against the topology directory, absolute ones are kept") {
  Fixture f;
  TempDir elsewhere;
  elsewhere.write("abs.key", "x");
  const std::string abs_key = (elsewhere.path() / "abs.key").string();
  const Topology t = f.load_ok("cluster: {name: t, key_file: '" + abs_key + R"('}
nodes:
  - {id: nA, host: 127.0.0.1, router_port: 20001, pub_port: 20101, modules: [cortex7]}
regions:
  - name: R
    columns:
      - {id: c1, node: nA, preset: cortex7}
persistence: {snapshot_dir: data/../snaps, keep: 3}
metrics: {dump_path: out/m.json}
results: {dir: runs/../res}
)");
  CHECK(t.cluster.key_file == abs_key);
  CHECK(t.persistence.snapshot_dir == f.dir.path() / "snaps");
  CHECK(t.persistence.keep == 3);
  CHECK(t.metrics.dump_path == f.dir.path() / "out" / "m.json");
  CHECK(t.results.dir == f.dir.path() / "res");
  CHECK(t.base_dir == f.dir.path());
  CHECK(t.cluster.key_file.is_absolute());
}

TEST_CASE("the built-in cortex7 preset and default parameters match the original core") {
  const Preset c7 = builtin_cortex7_preset();
  CHECK(c7.size == 4);
  CHECK(c7.thresholds == std::vector<double>{1.0, 1.2, 1.3, 1.5});
  REQUIRE(c7.synapses.size() == 10);
  const std::vector<std::tuple<int, int, double>> expected = {{0, 1, 0.6},  {1, 2, 0.5}, {2, 3, 0.4},  {1, 0, 0.2},
                                                              {2, 1, 0.15}, {3, 2, 0.1}, {0, 0, 0.05}, {1, 1, 0.05},
                                                              {2, 2, 0.05}, {3, 3, 0.05}};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    CHECK(c7.synapses[i].pre == static_cast<std::uint32_t>(std::get<0>(expected[i])));
    CHECK(c7.synapses[i].post == static_cast<std::uint32_t>(std::get<1>(expected[i])));
    CHECK(c7.synapses[i].weight == std::get<2>(expected[i]));
  }
  const NeuronParams d = builtin_default_params();
  CHECK(d.leak == 0.95);
  CHECK(d.baseline == 0.01);
  CHECK(d.noise == 0.005);
  CHECK(d.threshold == 1.0);
  CHECK(d.reset == 0.0);
  CHECK_FALSE(d.v_min.has_value());
}

TEST_CASE("cortex7 and default can be overridden, and columns resolve presets and parameter sets") {
  Fixture f;
  const Topology t = f.load_ok(kHeader + R"(    columns:
      - {id: c1, node: nA, preset: cortex7}
      - {id: c2, node: nB, size: 3}
      - {id: c3, node: nB, size: 2, params: fast}
      - {id: c4, node: nA, preset: cortex7, params: fast}
neuron_params:
  default: {leak: 0.9}
  fast: {leak: 0.5, threshold: 0.8, v_min: -1}
presets:
  cortex7:
    size: 2
    params: fast
    thresholds: [0.7, 0.9]
    plastic: false
    synapses: [{pre: 0, post: 1, weight: 0.4}]
)");
  const Column* c1 = find_column(t, "c1");
  REQUIRE(c1);
  CHECK(c1->size == 2);
  CHECK(c1->params_name == "fast");
  CHECK(c1->params.leak == 0.5);
  CHECK(c1->threshold(1) == 0.9);
  CHECK_FALSE(c1->plastic);
  REQUIRE(c1->synapses().size() == 1);
  CHECK(c1->synapses()[0].weight == 0.4);
  const Column* c2 = find_column(t, "c2");
  CHECK(c2->preset.empty());
  CHECK(c2->params_name == "default");
  CHECK(c2->params.leak == 0.9);
  CHECK(c2->params.baseline == 0.01);  // keys not given keep the built-in default
  CHECK(c2->threshold(2) == 1.0);
  CHECK(c2->synapses().empty());
  const Column* c3 = find_column(t, "c3");
  CHECK(c3->params.v_min == std::optional<double>(-1.0));
  CHECK(c3->threshold(0) == 0.8);
  CHECK(find_column(t, "c4")->params_name == "fast");
  // Global neuron ids follow file order.
  CHECK(c1->first_neuron == 0);
  CHECK(c2->first_neuron == 2);
  CHECK(c3->first_neuron == 5);
  CHECK(find_column(t, "c4")->first_neuron == 7);
}

TEST_CASE("projections: rules, weight forms, delays and merged plasticity") {
  Fixture f;
  const Topology t = f.load_ok(kHeader + R"(    columns:
      - {id: a, node: nA, preset: cortex7}
      - {id: b, node: nB, preset: cortex7}
plasticity: {dopamine: gain, a_plus: 0.02}
projections:
  - {from: a, to: b, rule: all_to_all, weight: {uniform: [0.1, 0.3]}, delay: 3, plastic: true,
     plasticity: {dopamine: eligibility, tau_c: 500, eta: 0.25}}
  - {from: a, to: b, rule: fixed_indegree, k: 2, weight: {normal: {mean: 0.2, sd: 0.05}}}
  - {from: b, to: a, rule: probability, p: 0.25, weight: -0.4}
  - {from: b, to: a, rule: list, synapses: [{pre: 3, post: 0, weight: 1.5}], plastic: true, plasticity: {dopamine: off}}
  - {from: a, to: b, rule: fixed_indegree, k: 4, replace: false, weight: 0.1}
)");
  REQUIRE(t.projections.size() == 5);
  const Projection& p0 = t.projections[0];
  CHECK(p0.rule == ConnectRule::all_to_all);
  CHECK(p0.weight.kind == WeightSpec::Kind::uniform);
  CHECK(p0.weight.lo == 0.1);
  CHECK(p0.weight.hi == 0.3);
  CHECK(p0.delay == 3);
  CHECK(p0.plastic);
  CHECK(p0.plasticity.dopamine == DopamineMode::eligibility);
  CHECK(p0.plasticity.tau_c == 500);
  CHECK(p0.plasticity.eta == 0.25);
  CHECK(p0.plasticity.a_plus == 0.02);  // from the cluster default
  const Projection& p1 = t.projections[1];
  CHECK(p1.k == 2);
  CHECK(p1.weight.kind == WeightSpec::Kind::normal);
  CHECK(p1.weight.sd == 0.05);
  CHECK(p1.delay == 1);
  CHECK_FALSE(p1.plastic);
  CHECK(p1.plasticity.dopamine == DopamineMode::gain);
  CHECK(p1.plasticity.eta == 0.01);  // the default
  CHECK(t.projections[2].p == 0.25);
  CHECK(t.projections[2].weight.value == -0.4);
  REQUIRE(t.projections[3].synapses.size() == 1);
  CHECK(t.projections[3].synapses[0].pre == 3);
  CHECK(t.projections[3].plasticity.dopamine == DopamineMode::off);
  CHECK(p1.replace);  // fixed_indegree draws with replacement unless told otherwise
  CHECK_FALSE(t.projections[4].replace);
}

TEST_CASE("summary counts columns, neurons and synapses per node, probability as expected") {
  Fixture f;
  const Topology t = f.load_ok(kHeader + R"(    columns:
      - {id: a, node: nA, preset: cortex7}
      - {id: b, node: nB, size: 10}
      - {id: c, node: nB, size: 3}
projections:
  - {from: a, to: b, rule: all_to_all, weight: 0.1}
  - {from: b, to: a, rule: fixed_indegree, k: 3, weight: 0.1}
  - {from: b, to: c, rule: probability, p: 0.25, weight: 0.1}
  - {from: c, to: c, rule: one_to_one, weight: 0.1}
  - {from: c, to: a, rule: list, synapses: [{pre: 0, post: 0, weight: 1}, {pre: 1, post: 0, weight: 1}]}
)");
  const Summary s = summary(t);
  CHECK(s.nodes == 2);
  CHECK(s.regions == 1);
  CHECK(s.columns == 3);
  CHECK(s.neurons == 17);
  // nA: cortex7 internal 10 + fixed_indegree 3*4 = 12 + list 2                      = 24
  // nB: all_to_all 4*10 = 40 + probability round(0.25*10*3 = 7.5) = 8 + one_to_one 3  = 51
  REQUIRE(s.per_node.size() == 2);
  CHECK(s.per_node[0].columns == 1);
  CHECK(s.per_node[0].neurons == 4);
  CHECK(s.per_node[0].synapses.count == 24);
  CHECK_FALSE(s.per_node[0].synapses.expected);
  CHECK(s.per_node[1].columns == 2);
  CHECK(s.per_node[1].neurons == 13);
  CHECK(s.per_node[1].synapses.count == 51);
  CHECK(s.per_node[1].synapses.expected);
  CHECK(s.synapses.count == 75);
  CHECK(s.synapses.expected);
  const std::string text = format_summary(s);
  CHECK(text.find("nodes 2, regions 1, columns 3, neurons 17, synapses ~75") == 0);
  CHECK(text.find("  nA: columns 1, neurons 4, synapses 24\n") != std::string::npos);
  CHECK(text.find("  nB: columns 2, neurons 13, synapses ~51\n") != std::string::npos);
}

TEST_CASE("jobs become control commands with JSON arguments") {
  Fixture f;
  const Topology t = f.load_ok(kHeader + R"(    columns:
      - {id: c1, node: nA, preset: cortex7}
jobs:
  - {id: warm, type: control_run_demo, delay_s: 0.2, repeat: 2, interval_s: 0.5, args: {}}
  - {id: snap, type: snapshot, args: {reason: nightly}}
  - id: exp
    type: command
    args: {cmd: experiment_seq_gen, epochs: 3, rate: 0.5, quiet: true, tag: "7", list: [1, x], none: null}
)");
  REQUIRE(t.jobs.size() == 3);
  CHECK(t.jobs[0].type == JobType::control_run_demo);
  CHECK(t.jobs[0].command == "run_demo");
  CHECK(t.jobs[0].repeat == 2);
  CHECK(t.jobs[0].interval_s == 0.5);
  CHECK(t.jobs[0].args_json == "{}");
  CHECK(t.jobs[1].command == "snapshot");
  CHECK(t.jobs[1].args_json == R"({"reason":"nightly"})");
  CHECK(t.jobs[2].command == "experiment_seq_gen");
  CHECK(t.jobs[2].args_json == R"({"epochs":3,"rate":0.5,"quiet":true,"tag":"7","list":[1,"x"],"none":null})");
}

TEST_CASE("FNV-1a 64 known values and the stored source hash") {
  CHECK(fnv1a64("") == 0xcbf29ce484222325ULL);
  CHECK(fnv1a64("a") == 0xaf63dc4c8601ec8cULL);
  CHECK(fnv1a64("foobar") == 0x85944171f73967e8ULL);
  CHECK(hash_hex(0xaf63dc4c8601ec8cULL) == "af63dc4c8601ec8c");
  CHECK(hash_hex(1) == "0000000000000001");
  Fixture f;
  const std::string yaml = kHeader + "    columns:\n      - {id: c1, node: nA, preset: cortex7}\n";
  CHECK(f.load_ok(yaml).source_hash == fnv1a64(yaml));
  const auto file = f.dir.write("topo.yaml", yaml);
  auto loaded = load_file(file);
  REQUIRE(loaded);
  CHECK(loaded->source_hash == fnv1a64(yaml));
  CHECK(loaded->source == file);
  CHECK_FALSE(hash_file(f.dir.path() / "absent.yaml").has_value());
}

TEST_CASE("load_file reports an unreadable file without a position, and errors print as file:line:col") {
  Fixture f;
  auto r = load_file(f.dir.path() / "absent.yaml");
  REQUIRE_FALSE(r);
  REQUIRE(r.error().size() == 1);
  CHECK(r.error()[0].line == 0);
  CHECK(r.error()[0].to_string() == (f.dir.path() / "absent.yaml").string() + ": cannot read the topology file: No such file or directory");
  CHECK(Error{"a.yaml", 3, 7, "boom"}.to_string() == "a.yaml:3:7: boom");
  CHECK(Error{"a.yaml", 3, 0, "boom"}.to_string() == "a.yaml:3: boom");
  CHECK(to_string(Errors{{"a", 1, 2, "x"}, {"a", 3, 4, "y"}}) == "a:1:2: x\na:3:4: y\n");
}

TEST_CASE("enum names round-trip") {
  for (std::string_view n : module_names()) CHECK(to_string(*module_from_string(n)) == n);
  for (std::string_view n : connect_rule_names()) CHECK(to_string(*connect_rule_from_string(n)) == n);
  for (std::string_view n : plasticity_rule_names()) CHECK(to_string(*plasticity_rule_from_string(n)) == n);
  for (std::string_view n : dopamine_names()) CHECK(to_string(*dopamine_from_string(n)) == n);
  for (std::string_view n : job_type_names()) CHECK(to_string(*job_type_from_string(n)) == n);
  CHECK_FALSE(module_from_string("persist").has_value());
}

}  // namespace p3p::topology::test
