#include "topology/memory_estimate.hpp"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <string_view>
#include <unordered_map>

#include "topology/engine_sizes.hpp"
#include "topology/summary.hpp"

namespace p3p::topology {
namespace {

namespace sz = engine_sizes;
constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();

// A topology may ask for more than 2^64 bytes (two columns of 4e9 neurons, all to all): saturate, since
// "more than any machine has" is the answer either way.
std::uint64_t mul(std::uint64_t a, std::uint64_t b) {
  std::uint64_t r = 0;
  return __builtin_mul_overflow(a, b, &r) ? kMax : r;
}
std::uint64_t add(std::uint64_t a, std::uint64_t b) { return a > kMax - b ? kMax : a + b; }
void grow(std::uint64_t& into, std::uint64_t by) { into = add(into, by); }

// One set of synapses the engine builds, as the node's network spec has it (nodes/mesocortex/network_spec.cpp):
// a column's internal synapses or a projection.
struct SynapseSet {
  std::uint32_t source_size = 0;
  std::uint32_t target_size = 0;
  std::uint64_t count = 0;
  bool explicit_list = false;  // a list, or a weight distribution drawn into one
  bool plastic = false;        // learns (plastic and a rule other than none)
  std::uint32_t delay = 1;
  bool eligibility = false;    // plastic with eligibility-trace dopamine
};

std::uint64_t split_bytes(const SynapseSet& s, std::uint32_t threads) {
  return threads > 1 ? mul(mul(threads + 1ULL, s.source_size), sz::kSplitEntry) : 0;
}

std::uint64_t static_bytes(const SynapseSet& s) {
  std::uint64_t b = mul(s.count, sz::kStaticSynapse + (s.explicit_list ? sz::kExplicitWeight : 0));
  grow(b, mul(s.source_size + 1ULL, sz::kRowIndex));
  if (!s.explicit_list) grow(b, mul(s.source_size, sz::kSourceWeight));
  return b;
}

std::uint64_t plastic_bytes(const SynapseSet& s) {
  std::uint64_t b = mul(s.count, sz::kPlasticSynapse + (s.eligibility ? sz::kEligibility : 0));
  grow(b, mul(s.source_size + 1ULL + s.target_size + 1ULL, sz::kRowIndex));
  grow(b, mul(s.source_size + 0ULL + s.target_size, sz::kTrace));
  return b;
}

SynapseSet projection_set(const Projection& p, const Column& from, const Column& to) {
  SynapseSet s{from.size, to.size, projection_synapses(p, from.size, to.size).count, false,
               p.plastic && p.plasticity.rule != PlasticityRule::none, p.delay};
  s.eligibility = s.plastic && p.plasticity.dopamine == DopamineMode::eligibility;
  s.explicit_list = p.rule == ConnectRule::list || p.weight.kind != WeightSpec::Kind::constant;
  return s;
}

struct Estimator {
  const Topology& t;
  std::vector<NodeMemory> out;
  std::unordered_map<std::string_view, std::size_t> node_of;  // node id -> index in out
  std::vector<std::uint64_t> slots;                            // ring slots per column (all_columns order)
  std::uint64_t spec_synapses = 0;                             // explicit, cluster-wide

  explicit Estimator(const Topology& topo) : t(topo) {
    for (const Node& n : t.nodes) {
      node_of.emplace(n.id, out.size());
      out.push_back(NodeMemory{n.id, 0, 0, 0});
    }
  }

  // The synapses live with their target column's node.
  void hold(const SynapseSet& s, std::size_t target_column, const Column& target) {
    if (s.explicit_list) grow(spec_synapses, s.count);
    auto it = node_of.find(target.node);
    if (it == node_of.end()) return;
    slots[target_column] = std::max<std::uint64_t>(slots[target_column], s.delay + 1ULL);
    const Node& node = t.nodes[it->second];
    NodeMemory& m = out[it->second];
    grow(m.synapse_bytes, s.plastic ? plastic_bytes(s) : static_bytes(s));
    grow(m.synapse_bytes, split_bytes(s, node.threads));
  }

  void run() {
    const auto columns = all_columns(t);
    slots.assign(columns.size(), 1);
    for (std::size_t i = 0; i < columns.size(); ++i) {
      const Column& c = *columns[i];
      if (c.synapses().empty()) continue;
      const bool plastic = c.plastic && t.plasticity.rule != PlasticityRule::none;
      hold(SynapseSet{c.size, c.size, c.synapses().size(), true, plastic, 1,
                      plastic && t.plasticity.dopamine == DopamineMode::eligibility},
           i, c);
    }
    std::uint64_t listed = 0;  // topology::Synapse entries the node's Topology keeps (columns share their preset's)
    for (const auto& [name, preset] : t.presets) listed += preset.synapses.size();
    for (const Projection& p : t.projections) {
      if (p.from_index >= columns.size() || p.to_index >= columns.size()) continue;  // not for a loaded topology
      hold(projection_set(p, *columns[p.from_index], *columns[p.to_index]), p.to_index, *columns[p.to_index]);
      listed += p.synapses.size();
    }
    for (std::size_t i = 0; i < columns.size(); ++i) add_neurons(*columns[i], slots[i]);
    const std::uint64_t shared = add(mul(mul(spec_synapses, sz::kSpecSynapse), sz::kSpecCopies),
                                     mul(listed, sizeof(Synapse)));
    for (NodeMemory& m : out) grow(m.other_bytes, shared);
  }

  void add_neurons(const Column& c, std::uint64_t column_slots) {
    auto it = node_of.find(c.node);
    if (it == node_of.end()) return;
    NodeMemory& m = out[it->second];
    grow(m.neuron_bytes, mul(c.size, sz::kNeuronState + mul(column_slots, sz::kRingSlot)));
    // The runtime's per-neuron spike counters (8 bytes) and the engine's worker scratch (4 bytes).
    grow(m.other_bytes, mul(c.size, 12));
  }
};

}  // namespace

std::uint64_t NodeMemory::total_bytes() const { return add(add(neuron_bytes, synapse_bytes), other_bytes); }

std::vector<NodeMemory> estimate_memory(const Topology& t) {
  Estimator e(t);
  e.run();
  return std::move(e.out);
}

std::string format_bytes(std::uint64_t bytes) {
  static constexpr std::string_view kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  if (bytes < 1024) return std::to_string(bytes) + " B";
  double v = static_cast<double>(bytes);
  std::size_t unit = 0;
  while (v >= 1024.0 && unit + 1 < std::size(kUnits)) {
    v /= 1024.0;
    ++unit;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f %s", v, kUnits[unit].data());
  return buf;
}

}  // namespace p3p::topology
