#pragma once
// Topology -> cortex::NetworkSpec. Every node builds the SAME spec from the same file and the engine keeps
// only what that node owns, so global neuron ids and projection keys agree across the cluster:
//   populations  = the columns in file order (region by region), node = the node's index in `nodes:`
//   projections  = first each column's internal (preset) synapses as an explicit_list, in column order,
//                  then the topology's projections in file order
//   plasticity   = cluster default (STDP and dopamine) for internal synapses of plastic columns; each
//                  projection's merged settings (its own dopamine mode, tau_c, tau_d, eta) for plastic projections
// Weight distributions (uniform, normal) are drawn here into explicit lists, over the very pairs the engine
// generates for the rule (every rule but list), so a loaded topology always translates.
#include <string>
#include <string_view>
#include <vector>

#include "common/expected.hpp"
#include "nodes/cortex/spec.hpp"
#include "topology/topology.hpp"

namespace p3p::mesocortex {

struct Translation {
  cortex::NetworkSpec spec;
  std::vector<std::string> column_ids;           // population index -> column id
};

// Index of node `id` in the topology's node list, or -1.
int node_index(const topology::Topology& t, std::string_view id);

Expected<Translation, std::string> build_network_spec(const topology::Topology& t);

}  // namespace p3p::mesocortex
