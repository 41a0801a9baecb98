// The shipped topology/default.yaml: the original three-node cluster with its nine regions.
#include <algorithm>
#include <map>
#include <set>
#include <vector>

#include "test_support.hpp"
#include "topology/builtin.hpp"
#include "topology/hash.hpp"
#include "topology/summary.hpp"

namespace p3p::topology::test {
namespace {

const std::filesystem::path kDefault = std::filesystem::path(P3P_SOURCE_DIR) / "topology" / "default.yaml";

// default.yaml next to a dummy cluster.key in a temp dir (the real key is never shipped).
struct DefaultFixture {
  TempDir dir;
  std::filesystem::path file = dir.path() / "default.yaml";
  DefaultFixture() {
    std::filesystem::copy_file(kDefault, file);
    dir.write("cluster.key", std::string(32, 'k'));
  }
  Topology load() const {
    auto r = load_file(file);
    if (!r) FAIL(to_string(r.error()));
    return std::move(r).value();
  }
};

}  // namespace

TEST_CASE("default topology loads with 3 nodes, 9 regions, 29 columns, 2364 neurons") {
  DefaultFixture f;
  const Topology t = f.load();
  const Summary s = summary(t);
  CHECK(s.nodes == 3);
  CHECK(s.regions == 9);
  CHECK(s.columns == 29);
  CHECK(s.neurons == 2364);  // 6 cortex7 columns of 4; the experiments' regions: Pattern 80, Osc 340, Memory 192, Cart 424, Flock 720, Seq 480, Anomaly 112
  CHECK(t.cluster.name == "p3p-default");
  CHECK(t.cluster.key_file == f.dir.path() / "cluster.key");
  CHECK(t.persistence.snapshot_dir == f.dir.path() / "snapshots");
  CHECK(t.metrics.dump_path == f.dir.path() / "metrics_dump_core.json");
  CHECK(t.results.dir == f.dir.path() / "results");  // beside the topology by default
  CHECK(t.source == f.file);
}

TEST_CASE("default topology has the original's regions and columns in order (docs/original.md)") {
  DefaultFixture f;
  const Topology t = f.load();
  const std::vector<std::pair<std::string, std::vector<std::string>>> expected = {
      {"Region_AB", {"col_A1", "col_B1"}},
      {"Region_BC", {"col_B2", "col_C1"}},
      {"Region_Pattern", {"pattern_sens_A", "pattern_hidden_B", "pattern_out_C"}},
      {"Region_Osc", {"osc_exc_A", "osc_inh_B", "osc_exc_C"}},
      {"Region_Memory", {"mem_in_A", "mem_assoc_B", "mem_out_C"}},
      {"Region_Cart", {"cart_sens_B", "cart_actor_B", "cart_sens_C", "cart_critic_C"}},
      {"Region_Flock", {"flock_A1", "flock_A2", "flock_B1", "flock_B2", "flock_C1", "flock_C2"}},
      {"Region_Seq", {"seq_embed_A", "seq_hidden_B", "seq_out_C"}},
      {"Region_Anomaly", {"anom_norm_A", "anom_detect_B", "anom_alert_C"}},
  };
  REQUIRE(t.regions.size() == expected.size());
  const std::map<char, std::string> node_of_suffix = {{'A', "nodeA"}, {'B', "nodeB"}, {'C', "nodeC"}};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const Region& r = t.regions[i];
    CHECK(r.name == expected[i].first);
    REQUIRE(r.columns.size() == expected[i].second.size());
    for (std::size_t j = 0; j < r.columns.size(); ++j) {
      const Column& c = r.columns[j];
      CHECK(c.id == expected[i].second[j]);
      CHECK(c.region == r.name);
      // The experiments' regions are sized for them (topology/default.yaml); the others keep the core.
      if (!c.preset.empty()) {
        CHECK(c.preset == "cortex7");
        CHECK(c.size == 4);
      }
      // Every original column id ends in (or has before its last digit) the letter of its node.
      const std::string& id = c.id;
      const char letter = std::isdigit(static_cast<unsigned char>(id.back())) ? id[id.size() - 2] : id.back();
      CHECK(c.node == node_of_suffix.at(letter));
    }
  }
}

TEST_CASE("default topology nodes, ports and modules match the original cluster") {
  DefaultFixture f;
  const Topology t = f.load();
  REQUIRE(t.nodes.size() == 3);
  const std::vector<std::string> ids = {"nodeA", "nodeB", "nodeC"};
  for (std::size_t i = 0; i < 3; ++i) {
    const Node& n = t.nodes[i];
    CHECK(n.id == ids[i]);
    CHECK(n.host == "127.0.0.1");
    CHECK(n.router_port == 10001 + i);
    CHECK(n.pub_port == 10101 + i);
    CHECK(n.metrics_port == std::optional<std::uint16_t>(static_cast<std::uint16_t>(9464 + i)));
  }
  CHECK(t.nodes[0].modules.size() == 10);
  CHECK(t.nodes[0].runs(Module::control_port));
  CHECK(t.nodes[0].runs(Module::scheduler));
  for (int i : {1, 2}) {
    CHECK(t.nodes[static_cast<std::size_t>(i)].modules ==
          std::vector<Module>{Module::logger, Module::echo, Module::cortex7, Module::mesh});
  }
  REQUIRE(t.control.has_value());
  CHECK(t.control->node == "nodeA");
  CHECK(t.control->port == 10080);
  CHECK_FALSE(t.control->token.has_value());
  CHECK(t.jobs.empty());  // the original's warm-up job is `p3pctl demo` (scripts/run.sh), run on request
}

TEST_CASE("default topology: columns per node 8/11/10 and hand-counted synapses") {
  DefaultFixture f;
  const Summary s = summary(f.load());
  REQUIRE(s.per_node.size() == 3);
  // Internal: 6 cortex7 columns x 10 synapses; the rest are projections onto each node's columns
  // (default.yaml), the experiments' regions by far the most. Region_Cart: 162 x 20 + 20 x 10 on nodeB,
  // 162 x 80 on nodeC; Region_Flock: onto each node's turn column 8 boids x 20 x 10 learning synapses and
  // 8 x 50 inhibitory ones; Region_Anomaly: 96 x 8 input -> detector on nodeB, 8 detector -> alert on nodeC.
  CHECK(s.per_node[0].columns == 8);
  CHECK(s.per_node[1].columns == 11);
  CHECK(s.per_node[2].columns == 10);
  CHECK(s.per_node[0].neurons == 4 + 32 + 160 + 64 + 160 + 240 + 96);
  CHECK(s.per_node[1].neurons == 8 + 32 + 20 + 64 + 160 + 162 + 20 + 240 + 8);
  CHECK(s.per_node[2].neurons == 4 + 16 + 160 + 64 + 160 + 162 + 80 + 240 + 8);
  CHECK(s.per_node[0].synapses.count == 29210);
  CHECK(s.per_node[1].synapses.count == 65752);
  CHECK(s.per_node[2].synapses.count == 43110);
  CHECK(s.synapses.count == 138072);
  CHECK_FALSE(s.synapses.expected);
}

TEST_CASE("default topology: every region spans nodes through its projections") {
  DefaultFixture f;
  const Topology t = f.load();
  for (const Region& r : t.regions) {
    INFO(r.name);
    std::set<std::string> region_nodes, linked_nodes, linked_columns;
    for (const Column& c : r.columns) region_nodes.insert(c.node);
    for (const Projection& p : t.projections) {
      const Column* from = find_column(t, p.from);
      const Column* to = find_column(t, p.to);
      REQUIRE(from);
      REQUIRE(to);
      if (from->region != r.name) continue;
      CHECK(to->region == r.name);  // regions are wired internally only
      if (from == to) continue;     // a column onto itself (lateral inhibition) stays on its node
      // Region_Cart's place cells sit beside what they feed (a copy on each node): through a projection one
      // environment step long the actor and the critic would answer the previous step, which costs most
      // of the learning (default.yaml).
      if (r.name == "Region_Cart") continue;
      CHECK(from->node != to->node);
      linked_nodes.insert({from->node, to->node});
      linked_columns.insert({from->id, to->id});
    }
    if (r.name == "Region_Cart") continue;
    CHECK(linked_nodes == region_nodes);
    CHECK(linked_columns.size() == r.columns.size());
  }
}

TEST_CASE("default topology: cortex7 columns carry the original core") {
  DefaultFixture f;
  const Topology t = f.load();
  const Column* c = find_column(t, "col_A1");
  REQUIRE(c);
  const Preset c7 = builtin_cortex7_preset();
  CHECK(std::ranges::equal(c->thresholds(), c7.thresholds));
  REQUIRE(c->synapses().size() == 10);
  CHECK(c->synapses()[0].pre == 0);
  CHECK(c->synapses()[0].post == 1);
  CHECK(c->synapses()[0].weight == 0.6);
  CHECK(c->synapses()[5].pre == 3);
  CHECK(c->synapses()[5].post == 2);
  CHECK(c->synapses()[5].weight == 0.1);
  CHECK(c->params.leak == 0.95);
  CHECK(c->plastic);
  // Global neuron ids follow file order: col_A1 0..3, col_B1 4..7, ..., pattern_sens_A 16..47, ..., anom_alert_C 2356..2363.
  CHECK(c->first_neuron == 0);
  CHECK(find_column(t, "col_B1")->first_neuron == 4);
  CHECK(find_column(t, "pattern_sens_A")->first_neuron == 16);
  CHECK(find_column(t, "anom_alert_C")->first_neuron == 2356);
}

TEST_CASE("default topology hash is FNV-1a of the file bytes") {
  DefaultFixture f;
  const Topology t = f.load();
  auto h = hash_file(f.file);
  REQUIRE(h);
  CHECK(t.source_hash == *h);
  CHECK(hash_hex(t.source_hash).size() == 16);
}

}  // namespace p3p::topology::test
