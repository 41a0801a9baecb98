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
  // Hashed lookups: a topology may have 10^5 columns and as many projections (a search per projection was
  // quadratic).
  std::unordered_map<std::string_view, NodeSummary*> nodes;
  s.per_node.reserve(t.nodes.size());
  for (const Node& n : t.nodes) nodes.emplace(n.id, &s.per_node.emplace_back(NodeSummary{n.id, 0, 0, {}}));
  auto node_entry = [&nodes](const std::string& id) {
    auto it = nodes.find(id);
    return it == nodes.end() ? nullptr : it->second;
  };
  std::unordered_map<std::string_view, const Column*> columns;
  for (const Column* c : all_columns(t)) {
    columns.emplace(c->id, c);
    ++s.columns;
    s.neurons += c->size;
    const SynapseCount internal{c->synapses.size(), false};
    add(s.synapses, internal);
    if (NodeSummary* n = node_entry(c->node)) {
      ++n->columns;
      n->neurons += c->size;
      add(n->synapses, internal);
    }
  }
  for (const Projection& p : t.projections) {
    auto from = columns.find(p.from);
    auto to = columns.find(p.to);
    if (from == columns.end() || to == columns.end()) continue;  // cannot happen for a loaded topology
    const SynapseCount c = projection_synapses(p, from->second->size, to->second->size);
    add(s.synapses, c);
    if (NodeSummary* n = node_entry(to->second->node)) add(n->synapses, c);
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
