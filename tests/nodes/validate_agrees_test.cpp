// `p3pctl validate` and the node must agree on every topology: what the loader accepts, the node translates
// (mesocortex::build_network_spec) and every node's engine builds, with the same code p3p-node runs. The
// topology files of the repository and a matrix of every rule with every weight form are run through both.
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "nodes/cortex/engine.hpp"
#include "nodes/mesocortex/network_spec.hpp"
#include "topology/loader.hpp"

using namespace p3p;

namespace {

topology::LoadOptions without_key() {
  topology::LoadOptions o;
  o.check_key_file = false;
  return o;
}

// Empty when the node would run what validate accepted; else why not.
std::string node_refusal(const topology::Topology& t) {
  auto tr = mesocortex::build_network_spec(t);
  if (!tr) return "translation: " + tr.error();
  for (std::size_t i = 0; i < t.nodes.size(); ++i)
    if (auto e = cortex::Engine::create(tr->spec, {static_cast<int>(i), 1}); !e)
      return "engine of " + t.nodes[i].id + ": " + e.error().message;
  return {};
}

std::vector<std::filesystem::path> repository_topologies() {
  std::vector<std::filesystem::path> out;
  const std::filesystem::path root(P3P_SOURCE_DIR);
  for (const char* dir : {"topology", "fuzz/corpus/topology_yaml", "fuzz/regressions/topology_yaml"})
    for (const auto& entry : std::filesystem::directory_iterator(root / dir))
      if (entry.path().extension() == ".yaml") out.push_back(entry.path());
  return out;
}

// Two nodes, a 12-neuron column on each; one projection from nA's column to nB's.
std::string two_columns(const std::string& projection) {
  return R"(cluster: {name: t, key_file: k.key}
nodes:
  - {id: nA, host: 127.0.0.1, router_port: 21001, pub_port: 21101, modules: [cortex7, mesh]}
  - {id: nB, host: 127.0.0.1, router_port: 21002, pub_port: 21102, modules: [cortex7, mesh]}
regions:
  - {name: R, columns: [{id: a, node: nA, size: 12}, {id: b, node: nB, size: 12}]}
projections:
  - {from: a, to: b, )" + projection + "}\n";
}

struct Built {
  topology::Topology topo;
  cortex::Engine engine;  // node nB's, which holds the projection
};

Built build_on_b(const std::string& projection) {
  auto t = topology::load_string(two_columns(projection), "t.yaml", "/", without_key());
  if (!t) FAIL(topology::to_string(t.error()));
  auto tr = mesocortex::build_network_spec(*t);
  if (!tr) FAIL(tr.error());
  auto e = cortex::Engine::create(tr->spec, {1, 1});
  if (!e) FAIL(e.error().message);
  return {std::move(*t), std::move(*e)};
}

using Pairs = std::multiset<std::pair<std::uint32_t, std::uint32_t>>;
Pairs pairs_of(const cortex::Engine& e) {
  Pairs out;
  for (const cortex::SynapseView& s : e.synapses(0)) out.insert({s.source, s.target});
  return out;
}

std::vector<double> weights_of(const cortex::Engine& e) {
  std::vector<double> out;
  for (const cortex::SynapseView& s : e.synapses(0)) out.push_back(s.weight);
  return out;
}

}  // namespace

TEST_CASE("every topology file validate accepts, every node builds") {
  const auto files = repository_topologies();
  REQUIRE(files.size() >= 4);
  std::size_t accepted = 0;
  for (const auto& path : files) {
    INFO(path.string());
    auto t = topology::load_file(path, without_key());
    if (!t) continue;  // the node loads with the same loader: it refuses the same file with the same errors
    ++accepted;
    CHECK(node_refusal(*t) == "");
  }
  CHECK(accepted >= 2);  // default.yaml and the fuzz corpus' copies of it
}

TEST_CASE("every rule with every weight form: validate accepts it exactly when every node builds it") {
  const std::vector<std::string> rules = {"rule: all_to_all",        "rule: one_to_one",
                                          "rule: fixed_indegree, k: 5", "rule: fixed_indegree, k: 5, replace: false",
                                          "rule: probability, p: 0.4",  "rule: all_to_all, blocks: 3"};
  const std::vector<std::string> weights = {"weight: 0.3", "weight: -0.2", "weight: {uniform: [0.1, 0.4]}",
                                            "weight: {normal: {mean: 0.2, sd: 0.05}}"};
  const std::vector<std::string> extras = {"", ", exclude_same_group: 2", ", plastic: true",
                                           ", plastic: true, plasticity: {dopamine: eligibility}"};
  std::size_t accepted = 0;
  for (const auto& rule : rules)
    for (const auto& weight : weights)
      for (const auto& extra : extras) {
        const std::string text = two_columns(rule + ", " + weight + extra);
        INFO(text);
        auto t = topology::load_string(text, "t.yaml", "/", without_key());
        REQUIRE(t);  // each of these is a valid topology
        ++accepted;
        CHECK(node_refusal(*t) == "");
      }
  CHECK(accepted == rules.size() * weights.size() * extras.size());
  // What validate refuses never reaches a node: a distribution on a list, exclude_same_group on a list.
  CHECK_FALSE(topology::load_string(two_columns("rule: list, weight: {uniform: [0.1, 0.2]}, synapses: []"), "t.yaml",
                                    "/", without_key()));
}

TEST_CASE("a weight distribution keeps the rule's synapses and draws each weight from it") {
  for (const std::string rule : {"rule: fixed_indegree, k: 5", "rule: fixed_indegree, k: 5, replace: false",
                                 "rule: probability, p: 0.4", "rule: fixed_indegree, k: 5, exclude_same_group: 3"}) {
    INFO(rule);
    const Built constant = build_on_b(rule + ", weight: 0.3");
    const Built uniform = build_on_b(rule + ", weight: {uniform: [0.1, 0.4]}");
    CHECK(pairs_of(uniform.engine) == pairs_of(constant.engine));  // the same pairs as with a constant weight
    std::set<double> distinct;
    for (const cortex::SynapseView& s : uniform.engine.synapses(0)) {
      CHECK(s.weight >= 0.1);
      CHECK(s.weight <= 0.4);
      distinct.insert(s.weight);
    }
    CHECK(distinct.size() > uniform.engine.synapses(0).size() / 2);  // drawn, not one value
    const Built again = build_on_b(rule + ", weight: {uniform: [0.1, 0.4]}");
    CHECK(weights_of(again.engine) == weights_of(uniform.engine));  // the same draws on every node and run
  }
}
