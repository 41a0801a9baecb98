#include "nodes/cortex/static_synapses.hpp"

#include <algorithm>

#include "nodes/cortex/fixed_point.hpp"

namespace p3p::cortex {

std::vector<ExplicitSynapse> sorted_explicit(const std::vector<ExplicitSynapse>& list) {
  std::vector<ExplicitSynapse> out = list;
  std::stable_sort(out.begin(), out.end(), [](const ExplicitSynapse& a, const ExplicitSynapse& b) {
    return a.target != b.target ? a.target < b.target : a.source < b.source;
  });
  return out;
}

void StaticSynapses::build(const ConnectivityContext& ctx) {
  const ProjectionSpec& p = *ctx.spec;
  const bool per_synapse = p.rule == ConnectionRule::explicit_list;
  const std::vector<ExplicitSynapse> list = per_synapse ? sorted_explicit(p.synapses) : std::vector<ExplicitSynapse>{};
  // Pass 1: row lengths. Pass 2: fill (targets arrive ascending, so rows come out sorted).
  row_.assign(ctx.source_size + 1ULL, 0);
  for_each_synapse(ctx, list, [&](std::uint32_t, std::uint32_t s, double) { ++row_[s + 1ULL]; });
  for (std::size_t i = 1; i < row_.size(); ++i) row_[i] += row_[i - 1];
  target_.assign(row_.back(), 0);
  if (per_synapse) synapse_weight_.assign(row_.back(), 0);
  std::vector<std::uint64_t> fill(row_.begin(), row_.end() - 1);
  for_each_synapse(ctx, list, [&](std::uint32_t t, std::uint32_t s, double w) {
    const std::uint64_t at = fill[s]++;
    target_[at] = t;
    if (per_synapse) synapse_weight_[at] = to_fixed(w);
  });
  if (!per_synapse) {
    source_weight_.resize(ctx.source_size);
    for (std::uint32_t s = 0; s < ctx.source_size; ++s)
      source_weight_[s] = to_fixed(p.source_weights.empty() ? p.weight : p.source_weights[s]);
  }
}

void StaticSynapses::prepare_parts(const std::vector<std::uint32_t>& bounds) {
  parts_ = static_cast<unsigned>(bounds.size() - 1);
  split_.clear();
  if (parts_ <= 1) return;
  const std::uint32_t ns = source_count();
  split_.resize(static_cast<std::size_t>(parts_ + 1) * ns);
  for (std::uint32_t s = 0; s < ns; ++s) {
    const auto b = target_.begin() + static_cast<std::ptrdiff_t>(row_[s]);
    const auto e = target_.begin() + static_cast<std::ptrdiff_t>(row_[s + 1]);
    for (unsigned q = 0; q <= parts_; ++q)
      split_[static_cast<std::size_t>(q) * ns + s] = static_cast<std::uint32_t>(std::lower_bound(b, e, bounds[q]) - b);
  }
}

void StaticSynapses::deliver(std::span<const std::uint32_t> sources, std::int64_t* acc, unsigned part) const {
  const std::uint32_t ns = source_count();
  const std::uint32_t* tgt = target_.data();
  for (std::size_t k = 0; k < sources.size(); ++k) {
    // Rows of spiking sources are scattered over a large array: fetch a few rows ahead.
    if (k + kRowsAhead < sources.size()) prefetch_row(sources[k + kRowsAhead], part);
    const std::uint32_t s = sources[k];
    std::uint64_t b = row_[s];
    std::uint64_t e = row_[s + 1];
    if (parts_ > 1) {
      e = b + split_[static_cast<std::size_t>(part + 1) * ns + s];
      b += split_[static_cast<std::size_t>(part) * ns + s];
    }
    if (synapse_weight_.empty()) {
      const std::int64_t w = source_weight_[s];
      for (std::uint64_t i = b; i < e; ++i) acc[tgt[i]] += w;
    } else {
      for (std::uint64_t i = b; i < e; ++i) acc[tgt[i]] += synapse_weight_[i];
    }
  }
}

double StaticSynapses::weight(std::uint64_t synapse, std::uint32_t source) const {
  return from_fixed(synapse_weight_.empty() ? source_weight_[source] : synapse_weight_[synapse]);
}

std::uint64_t StaticSynapses::memory_bytes() const {
  return row_.size() * 8 + target_.size() * 4 + source_weight_.size() * 8 + synapse_weight_.size() * 8 +
         split_.size() * 4;
}

}  // namespace p3p::cortex
