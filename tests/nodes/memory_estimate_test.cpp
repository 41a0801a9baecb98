// The topology's memory estimate against the engine it estimates: topology/engine_sizes.hpp repeats the
// engine's per-element sizes (the topology library cannot include the engine), so this builds real engines
// from topologies using every kind of storage and checks the estimate equals what they report.
#include <catch2/catch.hpp>

#include "nodes/cortex/engine.hpp"
#include "nodes/mesocortex/network_spec.hpp"
#include "tests/support/temp_dir.hpp"
#include "topology/engine_sizes.hpp"
#include "topology/loader.hpp"
#include "topology/memory_estimate.hpp"

using namespace p3p;

namespace {

// Two nodes; static, explicit, drawn, plastic and delayed projections, some crossing nodes; the columns'
// cortex7 synapses are plastic explicit lists. `threads` on nodeB exercises the per-thread row splits.
// One plastic projection has a dopamine mode of its own (`other`): its eligibility storage follows it.
std::string mixed_topology(const std::string& dopamine, const std::string& other, int threads) {
  return R"(cluster: {name: t, key_file: k.key}
plasticity: {dopamine: )" + dopamine + R"(}
nodes:
  - {id: nA, host: 127.0.0.1, router_port: 20001, pub_port: 20101, modules: [cortex7, mesh]}
  - {id: nB, host: 127.0.0.1, router_port: 20002, pub_port: 20102, modules: [cortex7, mesh], threads: )" +
         std::to_string(threads) + R"(}
regions:
  - name: R
    columns:
      - {id: a, node: nA, preset: cortex7}
      - {id: b, node: nB, size: 50}
      - {id: c, node: nB, size: 50}
      - {id: d, node: nA, size: 20}
projections:
  - {from: a, to: b, rule: all_to_all, weight: 0.1}
  - {from: b, to: c, rule: fixed_indegree, k: 7, weight: 0.2, delay: 3}
  - {from: c, to: b, rule: one_to_one, weight: 0.3}
  - {from: b, to: c, rule: one_to_one, weight: {uniform: [0.1, 0.2]}}
  - {from: c, to: d, rule: all_to_all, weight: {normal: {mean: 0.1, sd: 0.01}}, delay: 5}
  - {from: b, to: c, rule: fixed_indegree, k: 6, replace: false, weight: {uniform: [0.1, 0.2]}}
  - {from: c, to: b, rule: fixed_indegree, k: 5, weight: {normal: {mean: 0.1, sd: 0.01}}, plastic: true}
  - {from: d, to: d, rule: list, synapses: [{pre: 0, post: 1, weight: 0.5}, {pre: 3, post: 2, weight: 0.5}]}
  - {from: b, to: b, rule: all_to_all, weight: 0.05, plastic: true}
  - {from: d, to: b, rule: fixed_indegree, k: 4, weight: 0.1, plastic: true, delay: 2}
  - {from: a, to: d, rule: list, plastic: true, synapses: [{pre: 0, post: 0, weight: 0.1}]}
  - {from: c, to: c, rule: fixed_indegree, k: 3, weight: 0.1, plastic: true, plasticity: {dopamine: )" + other + R"(}}
)";
}

void check_against_engines(const std::string& yaml) {
  test::TempDir dir;
  dir.write("k.key", std::string(32, 'k'));
  auto t = topology::load_string(yaml, "t.yaml", dir.path());
  if (!t) FAIL(topology::to_string(t.error()));
  auto tr = mesocortex::build_network_spec(*t);
  REQUIRE(tr);
  const auto estimate = topology::estimate_memory(*t);
  REQUIRE(estimate.size() == t->nodes.size());
  for (std::size_t i = 0; i < t->nodes.size(); ++i) {
    auto engine = cortex::Engine::create(tr->spec, {static_cast<int>(i), t->nodes[i].threads});
    REQUIRE(engine);
    INFO("node " << t->nodes[i].id);
    CHECK(estimate[i].id == t->nodes[i].id);
    CHECK(estimate[i].engine_bytes() == engine->memory_bytes());
    CHECK(estimate[i].total_bytes() > estimate[i].engine_bytes());
  }
}

}  // namespace

TEST_CASE("the memory estimate equals what the engine reports for every kind of storage") {
  for (const std::string dopamine : {"gain", "eligibility"})
    for (int threads : {1, 3}) {
      const std::string other = dopamine == "gain" ? "eligibility" : "off";
      INFO(dopamine << " (one projection " << other << "), " << threads << " threads on nB");
      check_against_engines(mixed_topology(dopamine, other, threads));
    }
}

TEST_CASE("the spec synapse size is the engine's explicit synapse") {
  CHECK(sizeof(cortex::ExplicitSynapse) == topology::engine_sizes::kSpecSynapse);
}
