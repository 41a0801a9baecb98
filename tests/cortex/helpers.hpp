#pragma once
// Small builders and runners shared by the cortex tests.
#include <algorithm>
#include <catch2/catch.hpp>
#include <functional>
#include <map>
#include <vector>

#include "nodes/cortex/engine.hpp"
#include "nodes/cortex/raster_hash.hpp"

namespace p3p::cortex::test {

// A quiet population: no leak, no baseline, no noise, so membrane values are easy to compute by hand.
inline PopulationSpec quiet_population(std::uint32_t size, double threshold = 1.0) {
  PopulationSpec p;
  p.name = "quiet";
  p.size = size;
  p.params.leak = 1.0;
  p.params.baseline = 0.0;
  p.params.noise = 0.0;
  p.params.threshold = threshold;
  return p;
}

inline ProjectionSpec link(std::uint32_t src, std::uint32_t tgt, std::vector<ExplicitSynapse> syn, int delay = 1) {
  ProjectionSpec p;
  p.source = src;
  p.target = tgt;
  p.rule = ConnectionRule::explicit_list;
  p.synapses = std::move(syn);
  p.delay = delay;
  return p;
}

inline PopulationSpec active(std::uint32_t size, int node) {
  PopulationSpec p;
  p.name = "active";
  p.size = size;
  p.params.baseline = 0.06;
  p.params.v_init_max = 1.0;
  p.node = node;
  return p;
}

inline ProjectionSpec proj(std::uint32_t s, std::uint32_t t, ConnectionRule rule, double w, int delay, bool plastic) {
  ProjectionSpec p;
  p.source = s;
  p.target = t;
  p.rule = rule;
  p.weight = w;
  p.in_degree = 8;
  p.probability = 0.05;
  p.delay = delay;
  if (plastic) p.stdp.rule = StdpRule::pair;
  return p;
}

// Three self-active columns (baseline 0.06: they fire without input), excitatory and inhibitory, static
// and plastic, several delays; `nodes` spreads them.
inline NetworkSpec mixed(int nodes, DopamineMode mode = DopamineMode::gain) {
  NetworkSpec n;
  n.seed = 99;
  n.dopamine.mode = mode;
  n.dopamine.tau_c = 30;
  n.populations = {active(120, 0), active(90, 1 % nodes), active(60, 2 % nodes)};
  n.projections = {proj(0, 1, ConnectionRule::fixed_indegree, 0.05, 2, true),
                   proj(1, 0, ConnectionRule::probability, -0.08, 3, false),
                   proj(1, 2, ConnectionRule::fixed_indegree, 0.06, 2, false),
                   proj(2, 0, ConnectionRule::fixed_indegree, 0.04, 4, true),
                   proj(0, 0, ConnectionRule::fixed_indegree, 0.03, 1, false),
                   proj(2, 2, ConnectionRule::probability, -0.05, 1, true)};
  return n;
}

// mixed() with a dopamine mode per plastic projection: 0 -> 1 gain (the network's), 2 -> 0 eligibility
// with constants of its own (rebasing inside a run), 2 -> 2 off.
inline NetworkSpec mixed_modes(int nodes) {
  NetworkSpec n = mixed(nodes, DopamineMode::gain);
  n.projections[3].dopamine = DopamineParams{DopamineMode::eligibility, 25, 40, 0.05};
  n.projections[5].dopamine = DopamineParams{DopamineMode::off, 1000, 200, 0.01};
  return n;
}

// Rewards every projection with `all`, then those onto population `target` (where local) with `one`.
inline void reward_some(Engine& e, double all, std::uint32_t target, double one) {
  e.reward(all);
  std::vector<std::uint32_t> local;
  if (e.is_local(target)) local.push_back(target);
  REQUIRE(e.reward(one, local));
}

inline Engine make_engine(const NetworkSpec& spec, EngineOptions options = {}) {
  auto e = Engine::create(spec, options);
  if (!e) FAIL("engine: " << e.error().message);
  return std::move(*e);
}

// Ticks at which global neuron `id` spiked while running `ticks` ticks.
inline std::vector<std::int64_t> spike_ticks(Engine& e, std::int64_t ticks, std::uint64_t id) {
  std::vector<std::int64_t> out;
  for (std::int64_t i = 0; i < ticks; ++i)
    for (const Spike& s : e.step())
      if (s.neuron == id) out.push_back(s.tick);
  return out;
}

inline std::uint64_t hash_of(std::vector<Spike> spikes) {
  std::sort(spikes.begin(), spikes.end(),
            [](const Spike& a, const Spike& b) { return a.tick != b.tick ? a.tick < b.tick : a.neuron < b.neuron; });
  RasterHash h;
  h.add(spikes);
  return h.value();
}

// Runs a network on one engine per node (nodes 0..nodes-1) in lockstep epochs of min_cross_delay ticks,
// exchanging spikes through the distribution API; returns all spikes. `prepare` is applied to every
// engine before the first tick.
inline std::vector<Spike> run_split(const NetworkSpec& spec, int nodes, std::int64_t ticks, unsigned threads = 1,
                                    const std::function<void(Engine&)>& prepare = {}) {
  std::vector<Engine> engines;
  for (int n = 0; n < nodes; ++n) engines.push_back(make_engine(spec, {n, threads}));
  if (prepare)
    for (Engine& e : engines) prepare(e);
  const std::int64_t epoch = engines[0].min_cross_delay().value_or(ticks);
  std::vector<Spike> all;
  for (std::int64_t t = 0; t < ticks; t += epoch) {
    std::vector<std::vector<Spike>> produced(engines.size());
    for (std::size_t n = 0; n < engines.size(); ++n)
      for (std::int64_t k = 0; k < std::min(epoch, ticks - t); ++k) {
        const auto s = engines[n].step();
        produced[n].insert(produced[n].end(), s.begin(), s.end());
      }
    for (std::size_t from = 0; from < engines.size(); ++from) {
      all.insert(all.end(), produced[from].begin(), produced[from].end());
      for (std::size_t to = 0; to < engines.size(); ++to) {
        if (to == from) continue;
        const auto batch = spikes_for_node(engines[from], produced[from], static_cast<int>(to));
        auto r = engines[to].deliver_remote_spikes(batch);
        if (!r) FAIL("deliver: " << r.error().message);
      }
    }
  }
  return all;
}

inline std::vector<Spike> run_all(Engine& e, std::int64_t ticks) {
  std::vector<Spike> all;
  e.run(ticks, [&](std::span<const Spike> s) { all.insert(all.end(), s.begin(), s.end()); });
  return all;
}

}  // namespace p3p::cortex::test
