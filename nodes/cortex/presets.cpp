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

}  // namespace p3p::cortex
