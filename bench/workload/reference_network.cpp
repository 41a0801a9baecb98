#include "bench/workload/reference_network.hpp"

#include <string>

#include "common/even_split.hpp"

namespace p3p::bench {
namespace {

using namespace reference;

cortex::PopulationSpec reference_population(std::string name, std::uint32_t size) {
  cortex::PopulationSpec pop;
  pop.name = std::move(name);
  pop.size = size;
  pop.params.leak = kLeak;
  pop.params.baseline = kBaseline;
  pop.params.noise = kNoise;
  pop.params.threshold = kThreshold;
  pop.params.reset = kReset;
  pop.params.v_init_min = kVInitMin;
  pop.params.v_init_max = kVInitMax;
  return pop;
}

// Fixed in-degree K from `count` sources whose global indices (in the N) start at `first`.
cortex::ProjectionSpec reference_projection(const ReferenceParams& r, std::uint32_t source, std::uint32_t target,
                                            std::uint32_t first, std::uint32_t count, std::uint32_t in_degree) {
  cortex::ProjectionSpec p;
  p.source = source;
  p.target = target;
  p.rule = cortex::ConnectionRule::fixed_indegree;
  p.in_degree = in_degree;
  const auto excitatory = static_cast<std::uint32_t>(kExcitatoryFraction * r.neurons);
  p.source_weights.resize(count);
  for (std::uint32_t i = 0; i < count; ++i)
    p.source_weights[i] = first + i < excitatory ? kWeight : -kInhibitoryScale * kWeight;
  p.delay = kDelay;
  if (r.plastic)
    p.stdp = cortex::StdpParams{cortex::StdpRule::pair, kStdpAPlus, kStdpAMinus, kStdpTau, kStdpTau, kStdpWMin, kStdpWMax};
  return p;
}

}  // namespace

cortex::NetworkSpec reference_network(const ReferenceParams& r) {
  cortex::NetworkSpec n;
  n.seed = r.seed;
  n.populations.push_back(reference_population("reference", r.neurons));
  n.projections.push_back(reference_projection(r, 0, 0, 0, r.neurons, r.in_degree));
  return n;
}

cortex::NetworkSpec reference_network_blocks(const ReferenceParams& r, const std::vector<int>& block_nodes) {
  const auto blocks = static_cast<std::uint32_t>(block_nodes.size());
  const auto sizes = even_split(r.neurons, blocks);
  const auto degrees = even_split(r.in_degree, blocks);
  cortex::NetworkSpec n;
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

}  // namespace p3p::bench
