#pragma once
// Sizes of a topology, per node and in total: what `p3pctl validate` prints and what a node should expect to
// allocate. A node stores the internal synapses of its columns and every projection synapse whose target
// column is on it (spikes travel to the synapse, not the other way).
#include <cstdint>
#include <string>
#include <vector>

#include "topology/topology.hpp"

namespace p3p::topology {

struct SynapseCount {
  std::uint64_t count = 0;
  bool expected = false;  // true when a rule is random (probability): count is p*|from|*|to|, rounded
};

struct NodeSummary {
  std::string id;
  std::uint64_t columns = 0;
  std::uint64_t neurons = 0;
  SynapseCount synapses;
};

struct Summary {
  std::uint64_t nodes = 0;
  std::uint64_t regions = 0;
  std::uint64_t columns = 0;
  std::uint64_t neurons = 0;
  SynapseCount synapses;
  std::vector<NodeSummary> per_node;  // in the file's node order
};

// Synapses one projection creates; from_size/to_size are the sizes of its columns.
SynapseCount projection_synapses(const Projection& p, std::uint32_t from_size, std::uint32_t to_size);
Summary summary(const Topology& t);
// Human-readable, one line for the totals and one per node; "~" marks expected counts.
std::string format_summary(const Summary& s);

}  // namespace p3p::topology
