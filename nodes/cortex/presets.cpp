#include "nodes/cortex/presets.hpp"

namespace p3p::cortex {

PopulationSpec cortex7_population(double noise) {
  PopulationSpec p;
  p.name = "cortex7";
  p.size = 4;
  p.params.noise = noise;
  p.thresholds = {1.0, 1.2, 1.3, 1.5};
  return p;
}

ProjectionSpec cortex7_projection(std::uint32_t population) {
  ProjectionSpec p;
  p.source = population;
  p.target = population;
  p.rule = ConnectionRule::explicit_list;
  p.synapses = {{0, 1, 0.6},  {1, 2, 0.5},  {2, 3, 0.4},  {1, 0, 0.2},  {2, 1, 0.15},
                {3, 2, 0.1},  {0, 0, 0.05}, {1, 1, 0.05}, {2, 2, 0.05}, {3, 3, 0.05}};
  p.delay = 1;
  p.stdp.rule = StdpRule::legacy;  // a_plus 0.01, a_minus 0.012, tau 20, clip [-2, 2] (the defaults)
  return p;
}

NetworkSpec cortex7_network(std::uint64_t seed, double noise) {
  NetworkSpec n;
  n.seed = seed;
  n.populations.push_back(cortex7_population(noise));
  n.projections.push_back(cortex7_projection(0));
  return n;
}

namespace {

PopulationSpec reference_population(std::string name, std::uint32_t size) {
  PopulationSpec pop;
  pop.name = std::move(name);
  pop.size = size;
  pop.params.leak = 0.95;
  pop.params.baseline = 0.06;
  pop.params.noise = 0.005;
  pop.params.threshold = 1.0;
  pop.params.reset = 0.0;
  pop.params.v_init_min = 0.0;
  pop.params.v_init_max = 1.0;
  return pop;
}

// Fixed in-degree K from `count` sources whose global indices (in the N) start at `first`.
ProjectionSpec reference_projection(const ReferenceParams& r, std::uint32_t source, std::uint32_t target,
                                    std::uint32_t first, std::uint32_t count, std::uint32_t in_degree) {
  ProjectionSpec p;
  p.source = source;
  p.target = target;
  p.rule = ConnectionRule::fixed_indegree;
  p.in_degree = in_degree;
  const auto excitatory = static_cast<std::uint32_t>(0.8 * r.neurons);
  p.source_weights.resize(count);
  for (std::uint32_t i = 0; i < count; ++i) p.source_weights[i] = first + i < excitatory ? 0.02 : -4.5 * 0.02;
  p.delay = 1;
  if (r.plastic) p.stdp = StdpParams{StdpRule::pair, 0.01, 0.012, 20.0, 20.0, -2.0, 2.0};
  return p;
}

}  // namespace

std::vector<std::uint32_t> even_split(std::uint32_t total, std::uint32_t parts) {
  std::vector<std::uint32_t> sizes(parts, parts ? total / parts : 0);
  for (std::uint32_t i = 0; parts && i < total % parts; ++i) ++sizes[i];
  return sizes;
}

NetworkSpec reference_network(const ReferenceParams& r) {
  NetworkSpec n;
  n.seed = r.seed;
  n.populations.push_back(reference_population("reference", r.neurons));
  n.projections.push_back(reference_projection(r, 0, 0, 0, r.neurons, r.in_degree));
  return n;
}

NetworkSpec reference_network_blocks(const ReferenceParams& r, const std::vector<int>& block_nodes) {
  const auto blocks = static_cast<std::uint32_t>(block_nodes.size());
  const auto sizes = even_split(r.neurons, blocks);
  const auto degrees = even_split(r.in_degree, blocks);
  NetworkSpec n;
  n.seed = r.seed;
  std::vector<std::uint32_t> first(blocks, 0);
  for (std::uint32_t b = 0; b < blocks; ++b) {
    if (b > 0) first[b] = first[b - 1] + sizes[b - 1];
    auto pop = reference_population("block" + std::to_string(b), sizes[b]);
    pop.node = block_nodes[b];
    n.populations.push_back(std::move(pop));
  }
  for (std::uint32_t t = 0; t < blocks; ++t)
    for (std::uint32_t s = 0; s < blocks; ++s)
      if (degrees[s] > 0) n.projections.push_back(reference_projection(r, s, t, first[s], sizes[s], degrees[s]));
  return n;
}

}  // namespace p3p::cortex
