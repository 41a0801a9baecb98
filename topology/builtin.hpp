#pragma once
// Definitions every topology has without writing them: the "default" neuron parameter set and the "cortex7"
// column preset (the original P3P core, docs/original.md). A file may override either by name.
#include "topology/topology.hpp"

namespace p3p::topology {

inline constexpr std::string_view kDefaultParamsName = "default";
inline constexpr std::string_view kCortex7PresetName = "cortex7";

NeuronParams builtin_default_params();
// 4 neurons, thresholds 1.0/1.2/1.3/1.5, the ten synapses in the original's creation order.
Preset builtin_cortex7_preset();

}  // namespace p3p::topology
