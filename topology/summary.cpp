#include "topology/summary.hpp"

#include <algorithm>
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

// Pairs (i, j) with i / n == j / n: groups below min(from, to) / n are full on both sides, the next one
// holds the smaller side's remainder.
std::uint64_t same_group_pairs(std::uint64_t from, std::uint64_t to, std::uint64_t n) {
  const std::uint64_t small = std::min(from, to), large = std::max(from, to);
  const std::uint64_t full = small / n;
  return full * n * n + (small % n) * std::min(n, large - full * n);
}

// all_to_all in G blocks: each target hears its block's sources, less those of its own group among them.
std::uint64_t block_pairs(std::uint64_t from, std::uint64_t to, std::uint64_t n, std::uint64_t g) {
  const std::uint64_t bs = from / g, bt = to / g;
  if (n == 0) return bs * to;
  std::uint64_t kept = 0;
  for (std::uint64_t t = 0; t < to; ++t) {
    const std::uint64_t lo = t / bt * bs, hi = lo + bs;
    const std::uint64_t glo = std::max(lo, t / n * n), ghi = std::min(hi, t / n * n + n);
    kept += bs - (ghi > glo ? ghi - glo : 0);
  }
  return kept;
}

}  // namespace

SynapseCount projection_synapses(const Projection& p, std::uint32_t from_size, std::uint32_t to_size) {
  const std::uint64_t from = from_size, to = to_size;
  const std::uint64_t n = p.exclude_same_group;
  const std::uint64_t excluded = n == 0 ? 0 : same_group_pairs(from, to, n);
  switch (p.rule) {
    case ConnectRule::all_to_all:
      if (p.blocks > 0 && from % p.blocks == 0 && to % p.blocks == 0) return {block_pairs(from, to, n, p.blocks), false};
      return {from * to - excluded, false};
    case ConnectRule::one_to_one:
      return {n == 0 ? to : 0, false};
    case ConnectRule::fixed_indegree: {
      if (n == 0) return {std::uint64_t{p.k} * to, false};
      // Draws landing in the target's own group are dropped: k * (1 - its group's share of the sources) each.
      const double kept = static_cast<double>(to) - static_cast<double>(excluded) / static_cast<double>(from);
      return {static_cast<std::uint64_t>(std::llround(p.k * kept)), true};
    }
    case ConnectRule::probability:
      return {static_cast<std::uint64_t>(std::llround(p.p * static_cast<double>(from * to - excluded))), true};
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
