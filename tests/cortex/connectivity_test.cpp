// Connection rules: counts, reproducibility and independence from partitioning.
#include <set>

#include "tests/cortex/helpers.hpp"

using namespace p3p::cortex;
using namespace p3p::cortex::test;

namespace {
NetworkSpec two_pops(ConnectionRule rule, std::uint32_t ns, std::uint32_t nt) {
  NetworkSpec n;
  n.seed = 42;
  n.populations.push_back(quiet_population(ns));
  n.populations.push_back(quiet_population(nt));
  ProjectionSpec p;
  p.source = 0;
  p.target = 1;
  p.rule = rule;
  p.weight = 0.1;
  n.projections.push_back(p);
  return n;
}
using Pairs = std::multiset<std::pair<std::uint32_t, std::uint32_t>>;
Pairs pairs(const Engine& e, std::uint32_t proj) {
  Pairs out;
  for (const SynapseView& s : e.synapses(proj)) out.insert({s.source, s.target});
  return out;
}
}  // namespace

TEST_CASE("all_to_all and one_to_one build the right synapses") {
  Engine a = make_engine(two_pops(ConnectionRule::all_to_all, 7, 5));
  CHECK(a.synapse_count() == 35);
  const Pairs all = pairs(a, 0);
  CHECK(std::set<std::pair<std::uint32_t, std::uint32_t>>(all.begin(), all.end()).size() == 35);
  Engine o = make_engine(two_pops(ConnectionRule::one_to_one, 6, 6));
  CHECK(pairs(o, 0) == Pairs{{0, 0}, {1, 1}, {2, 2}, {3, 3}, {4, 4}, {5, 5}});
  CHECK_FALSE(Engine::create(two_pops(ConnectionRule::one_to_one, 6, 5)));
}

TEST_CASE("fixed_indegree gives every target exactly K sources reproducibly") {
  NetworkSpec n = two_pops(ConnectionRule::fixed_indegree, 50, 40);
  n.projections[0].in_degree = 9;
  Engine a = make_engine(n);
  CHECK(a.synapse_count() == 360);
  std::vector<int> indeg(40, 0);
  for (const SynapseView& s : a.synapses(0)) ++indeg[s.target];
  for (const int k : indeg) CHECK(k == 9);
  CHECK(pairs(make_engine(n), 0) == pairs(a, 0));
  n.seed = 43;
  CHECK(pairs(make_engine(n), 0) != pairs(a, 0));
}

TEST_CASE("fixed_indegree with replacement may repeat a pair, without it every target has K distinct sources") {
  NetworkSpec n = two_pops(ConnectionRule::fixed_indegree, 20, 40);
  n.projections[0].in_degree = 10;
  auto repeated_pairs = [](const Pairs& p) {
    return p.size() - std::set<std::pair<std::uint32_t, std::uint32_t>>(p.begin(), p.end()).size();
  };
  CHECK(repeated_pairs(pairs(make_engine(n), 0)) > 0);  // 10 of 20 with replacement: repeats are near certain
  n.projections[0].replace = false;
  Engine a = make_engine(n);
  const Pairs drawn = pairs(a, 0);
  CHECK(drawn.size() == 400);
  CHECK(repeated_pairs(drawn) == 0);
  std::vector<int> indeg(40, 0);
  for (const auto& [s, t] : drawn) ++indeg[t];
  for (const int k : indeg) CHECK(k == 10);
  std::set<std::uint32_t> sources;  // the draws cover the source column, not a fixed subset of it
  for (const auto& [s, t] : drawn) sources.insert(s);
  CHECK(sources.size() == 20);
  n.populations[0].node = 1;  // partition-independent like the draws with replacement
  CHECK(pairs(make_engine(n, {0, 1}), 0) == drawn);
  n.projections[0].in_degree = 20;  // all of them
  n.populations[0].node = 0;
  CHECK(pairs(make_engine(n), 0).size() == 800);
  CHECK(repeated_pairs(pairs(make_engine(n), 0)) == 0);
  n.projections[0].in_degree = 21;  // more distinct sources than the column has
  CHECK_FALSE(Engine::create(n));
}

TEST_CASE("probability rule has the expected count and is partition-independent") {
  NetworkSpec n = two_pops(ConnectionRule::probability, 200, 150);
  n.projections[0].probability = 0.1;
  Engine a = make_engine(n);
  const double expected = 200 * 150 * 0.1;
  CHECK(std::abs(static_cast<double>(a.synapse_count()) - expected) < 4 * std::sqrt(expected));
  // The same network with the source population on another node: the target's node builds the same synapses.
  NetworkSpec split = n;
  split.populations[0].node = 1;
  Engine b = make_engine(split, {0, 1});
  CHECK(pairs(b, 0) == pairs(a, 0));
  n.projections[0].probability = 1.0;
  CHECK(make_engine(n).synapse_count() == 30000);
  n.projections[0].probability = 0.0;
  CHECK(make_engine(n).synapse_count() == 0);
}

TEST_CASE("fixed_indegree is partition-independent") {
  NetworkSpec n = two_pops(ConnectionRule::fixed_indegree, 30, 20);
  n.projections[0].in_degree = 4;
  Engine a = make_engine(n);
  n.populations[0].node = 3;
  Engine b = make_engine(n, {0, 2});
  CHECK(pairs(b, 0) == pairs(a, 0));
  Engine c = make_engine(n, {3, 1});  // the source's node holds no synapses of this projection
  CHECK(c.synapse_count() == 0);
}

TEST_CASE("explicit lists keep their weights and per-source weights apply to every outgoing synapse") {
  NetworkSpec n;
  n.populations.push_back(quiet_population(3));
  n.projections.push_back(link(0, 0, {{2, 0, 0.25}, {0, 1, -0.5}, {1, 1, 0.125}}));
  ProjectionSpec ps;
  ps.rule = ConnectionRule::all_to_all;
  ps.source_weights = {0.5, -1.0, 0.25};
  n.projections.push_back(ps);
  Engine e = make_engine(n);
  CHECK(e.weight(0, 2, 0).value() == 0.25);
  CHECK(e.weight(0, 0, 1).value() == -0.5);
  CHECK_FALSE(e.weight(0, 1, 0));
  for (const SynapseView& s : e.synapses(1)) CHECK(s.weight == ps.source_weights[s.source]);
  n.projections[0].synapses.push_back({5, 0, 1.0});
  CHECK_FALSE(Engine::create(n));
}

TEST_CASE("exclude_same_group leaves out exactly the pairs inside one group, for every generated rule") {
  for (const ConnectionRule rule : {ConnectionRule::all_to_all, ConnectionRule::one_to_one, ConnectionRule::probability,
                                    ConnectionRule::fixed_indegree}) {
    NetworkSpec n = two_pops(rule, 12, 12);
    n.projections[0].probability = 0.5;
    n.projections[0].in_degree = 6;
    const Pairs all = pairs(make_engine(n), 0);
    n.projections[0].exclude_same_group = 3;
    const Pairs kept = pairs(make_engine(n), 0);
    Pairs expected;
    for (const auto& [s, t] : all)
      if (s / 3 != t / 3) expected.insert({s, t});
    CHECK(kept == expected);
    CHECK(kept.size() < all.size());  // every rule here generated some pairs inside a group
  }
}

TEST_CASE("exclude_same_group 1 on a column onto itself removes the self-synapses only") {
  NetworkSpec n;
  n.populations.push_back(quiet_population(5));
  ProjectionSpec p;
  p.rule = ConnectionRule::all_to_all;
  p.weight = 0.1;
  p.exclude_same_group = 1;
  n.projections.push_back(p);
  const Pairs kept = pairs(make_engine(n), 0);
  CHECK(kept.size() == 20);
  for (const auto& [s, t] : kept) CHECK(s != t);
}

TEST_CASE("exclude_same_group gives the same synapses with the source on another node") {
  NetworkSpec n = two_pops(ConnectionRule::fixed_indegree, 30, 20);
  n.projections[0].in_degree = 8;
  n.projections[0].exclude_same_group = 10;
  n.projections[0].stdp.rule = StdpRule::pair;
  const Pairs whole = pairs(make_engine(n), 0);
  n.populations[0].node = 1;
  CHECK(pairs(make_engine(n, {0, 1}), 0) == whole);
  for (const auto& [s, t] : whole) CHECK(s / 10 != t / 10);
}

TEST_CASE("exclude_same_group on an explicit list is refused") {
  NetworkSpec n;
  n.populations.push_back(quiet_population(3));
  n.projections.push_back(link(0, 0, {{0, 1, 0.5}}));
  n.projections[0].exclude_same_group = 1;
  auto e = Engine::create(n);
  REQUIRE_FALSE(e);
  CHECK(e.error().message.find("exclude_same_group") != std::string::npos);
}

TEST_CASE("blocks connects only pairs inside one block, also with exclude_same_group, and on a split network") {
  NetworkSpec n = two_pops(ConnectionRule::all_to_all, 12, 6);
  const Pairs all = pairs(make_engine(n), 0);
  n.projections[0].blocks = 3;
  n.projections[0].stdp.rule = StdpRule::pair;
  const Pairs kept = pairs(make_engine(n), 0);
  Pairs expected;
  for (const auto& [s, t] : all)
    if (s / 4 == t / 2) expected.insert({s, t});
  CHECK(kept == expected);
  CHECK(kept.size() == 24);
  n.populations[0].node = 1;
  CHECK(pairs(make_engine(n, {0, 1}), 0) == kept);
  NetworkSpec self;
  self.populations.push_back(quiet_population(8));
  ProjectionSpec p;
  p.rule = ConnectionRule::all_to_all;
  p.weight = -0.3;
  p.blocks = 2;
  p.exclude_same_group = 2;
  self.projections.push_back(p);
  const Pairs inhibition = pairs(make_engine(self), 0);
  CHECK(inhibition == Pairs{{0, 2}, {0, 3}, {1, 2}, {1, 3}, {2, 0}, {2, 1}, {3, 0}, {3, 1},
                            {4, 6}, {4, 7}, {5, 6}, {5, 7}, {6, 4}, {6, 5}, {7, 4}, {7, 5}});
}

TEST_CASE("blocks on a rule but all_to_all, or not dividing a population, is refused") {
  NetworkSpec n = two_pops(ConnectionRule::one_to_one, 6, 6);
  n.projections[0].blocks = 2;
  auto e = Engine::create(n);
  REQUIRE_FALSE(e);
  CHECK(e.error().message.find("blocks") != std::string::npos);
  n = two_pops(ConnectionRule::all_to_all, 6, 4);
  n.projections[0].blocks = 3;
  CHECK_FALSE(Engine::create(n));
  n.projections[0].blocks = 2;
  CHECK(Engine::create(n));
}
