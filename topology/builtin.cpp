#include "topology/builtin.hpp"

namespace p3p::topology {

NeuronParams builtin_default_params() { return NeuronParams{}; }

Preset builtin_cortex7_preset() {
  Preset p;
  p.size = 4;
  p.params = std::string(kDefaultParamsName);
  p.thresholds = {1.0, 1.2, 1.3, 1.5};
  p.plastic = true;
  // Creation order matters: it is the order spikes are propagated and plasticity applied (docs/original.md, "The core").
  p.synapses = {
      {0, 1, 0.6},  {1, 2, 0.5},  {2, 3, 0.4},                 // forward chain
      {1, 0, 0.2},  {2, 1, 0.15}, {3, 2, 0.1},                 // feedback
      {0, 0, 0.05}, {1, 1, 0.05}, {2, 2, 0.05}, {3, 3, 0.05},  // self-loops
  };
  return p;
}

}  // namespace p3p::topology
