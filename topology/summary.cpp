#include "topology/summary.hpp"

#include <cmath>
#include <string_view>
#include <unordered_map>

namespace p3p::topology {
namespace {

void add(SynapseCount& into, const SynapseCount& c) {
  into.count += c.count;
  into.expected = into.expected || c.expected;
}

std::string format_count(const SynapseCount& c) {
  std::string out = c.expected ? "~" : "";
  out += std::to_string(c.count);
  return out;
}


}  // namespace

SynapseCount projection_synapses(const Projection& p, std::uint32_t from_size, std::uint32_t to_size) {
  const std::uint64_t from = from_size, to = to_size;
  switch (p.rule) {
    case ConnectRule::all_to_all:
      return {from * to, false};
    case ConnectRule::one_to_one:
      return {to, false};
    case ConnectRule::fixed_indegree:
      return {std::uint64_t{p.k} * to, false};
    case ConnectRule::probability:
      return {static_cast<std::uint64_t>(std::llround(p.p * static_cast<double>(from * to))), true};
    case ConnectRule::list:
      return {p.synapses.size(), false};
  }
  return {};
}

Summary summary(const Topology& t) {
  Summary s;
  s.nodes = t.nodes.size();
  s.regions = t.regions.size();
  // A topology may have 10^5 columns and as many projections: nodes are hashed, columns found by the
  // projections' indices (a search per projection was quadratic).
  std::unordered_map<std::string_view, NodeSummary*> nodes;
  s.per_node.reserve(t.nodes.size());
  for (const Node& n : t.nodes) nodes.emplace(n.id, &s.per_node.emplace_back(NodeSummary{n.id, 0, 0, {}}));
  auto node_entry = [&nodes](const std::string& id) {
    auto it = nodes.find(id);
    return it == nodes.end() ? nullptr : it->second;
  };
  const std::vector<const Column*> columns = all_columns(t);
  for (const Column* c : columns) {
    ++s.columns;
    s.neurons += c->size;
    const SynapseCount internal{c->synapses().size(), false};
    add(s.synapses, internal);
    if (NodeSummary* n = node_entry(c->node)) {
      ++n->columns;
      n->neurons += c->size;
      add(n->synapses, internal);
    }
  }
  for (const Projection& p : t.projections) {
    if (p.from_index >= columns.size() || p.to_index >= columns.size()) continue;  // not for a loaded topology
    const Column& to = *columns[p.to_index];
    const SynapseCount c = projection_synapses(p, columns[p.from_index]->size, to.size);
    add(s.synapses, c);
    if (NodeSummary* n = node_entry(to.node)) add(n->synapses, c);
  }
  return s;
}

std::string format_summary(const Summary& s) {
  std::string out = "nodes " + std::to_string(s.nodes) + ", regions " + std::to_string(s.regions) + ", columns " +
                    std::to_string(s.columns) + ", neurons " + std::to_string(s.neurons) + ", synapses " +
                    format_count(s.synapses) + "\n";
  for (const NodeSummary& n : s.per_node)
    out += "  " + n.id + ": columns " + std::to_string(n.columns) + ", neurons " + std::to_string(n.neurons) +
           ", synapses " + format_count(n.synapses) + "\n";
  if (s.synapses.expected) out += "(~ = expected count of a random rule)\n";
  return out;
}

}  // namespace p3p::topology
