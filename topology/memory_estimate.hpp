#pragma once
// How much memory each node will need for its part of the network, estimated from the topology alone (no
// engine is built): what `p3pctl validate` prints per node and checks against the machine, and the figure
// a node logs when it cannot allocate. Counts the engine's storage exactly as Engine::memory_bytes() does
// (random rules at their expected synapse count), plus the explicit synapse lists and per-neuron counters
// the node keeps around it; not the process's fixed cost (code, thread stacks, socket buffers).
#include <cstdint>
#include <string>
#include <vector>

#include "topology/topology.hpp"

namespace p3p::topology {

struct NodeMemory {
  std::string id;
  std::uint64_t neuron_bytes = 0;   // its columns' neuron state and delay rings
  std::uint64_t synapse_bytes = 0;  // the synapses it holds, their row indices, traces and thread splits
  std::uint64_t other_bytes = 0;    // explicit synapse lists (every node holds all of them), counters
  std::uint64_t engine_bytes() const { return neuron_bytes + synapse_bytes; }  // = Engine::memory_bytes()
  std::uint64_t total_bytes() const;
};

// One entry per node, in the file's order. Sums saturate at 2^64 - 1 instead of wrapping.
std::vector<NodeMemory> estimate_memory(const Topology& t);

// "1.5 GiB", "12.0 MiB", "900 B": for messages and tables.
std::string format_bytes(std::uint64_t bytes);

}  // namespace p3p::topology
