#pragma once
// Synapse generation by rule. Every synapse a target receives is a pure function of
// (seed, projection key, target's GLOBAL id [, source's global id]), so a node that holds only some
// columns builds exactly the synapses the single-engine network has for them. The generator is run twice
// by the builders (count, then fill), which avoids temporaries the size of the synapse set.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "nodes/cortex/keyed_random.hpp"
#include "nodes/cortex/spec.hpp"

namespace p3p::cortex {

struct ConnectivityContext {
  const ProjectionSpec* spec = nullptr;
  std::uint64_t seed = 0;
  std::uint64_t key = 0;
  std::uint64_t source_base = 0;  // global id of source neuron 0
  std::uint64_t target_base = 0;
  std::uint32_t source_size = 0;
  std::uint32_t target_size = 0;
};

// k distinct sources out of n for one target (Floyd's algorithm: k keyed draws, no rejection loop),
// ascending. Keyed by the target like the draws with replacement, so any node draws the same set.
class DistinctDraw {
 public:
  explicit DistinctDraw(std::uint32_t n) : taken_(n, false) {}

  const std::vector<std::uint32_t>& draw(std::uint64_t target_key, std::uint32_t k, std::uint32_t n) {
    for (std::uint32_t s : chosen_) taken_[s] = false;
    chosen_.clear();
    k = std::min(k, n);
    for (std::uint32_t j = n - k; j < n; ++j) {
      const std::uint32_t r = bounded(mix64(target_key ^ mix64(j + 1ULL)), j + 1);
      const std::uint32_t s = taken_[r] ? j : r;
      taken_[s] = true;
      chosen_.push_back(s);
    }
    std::sort(chosen_.begin(), chosen_.end());
    return chosen_;
  }

 private:
  std::vector<bool> taken_;
  std::vector<std::uint32_t> chosen_;
};

// Explicit lists sorted by (target, source), keeping list order among duplicates.
std::vector<ExplicitSynapse> sorted_explicit(const std::vector<ExplicitSynapse>& list);

// Calls f(target, source, weight) for every synapse, targets ascending; within one target the order is
// fixed by the rule (ascending source, or draw order for fixed_indegree).
template <class F>
void for_each_synapse(const ConnectivityContext& c, const std::vector<ExplicitSynapse>& sorted_list,
                      F&& emit) {
  const ProjectionSpec& p = *c.spec;
  // The exclusion is a filter on what the rule generates, so the draws (and every other synapse) are the
  // same with and without it: a split of columns over nodes cannot change which pairs are left out.
  const std::uint32_t group = p.rule == ConnectionRule::explicit_list ? 0 : p.exclude_same_group;
  // Blocks (all_to_all only, checked when the engine is built): source block s / bs must be target block t / bt.
  const std::uint32_t bs = p.blocks == 0 ? 0 : std::max<std::uint32_t>(1, c.source_size / p.blocks);
  const std::uint32_t bt = p.blocks == 0 ? 0 : std::max<std::uint32_t>(1, c.target_size / p.blocks);
  auto f = [&](std::uint32_t t, std::uint32_t s, double w) {
    if ((group == 0 || s / group != t / group) && (bs == 0 || s / bs == t / bt)) emit(t, s, w);
  };
  auto weight_of = [&p](std::uint32_t s) { return p.source_weights.empty() ? p.weight : p.source_weights[s]; };
  const auto stream = static_cast<std::uint64_t>(Stream::connect);
  switch (p.rule) {
    case ConnectionRule::all_to_all:
      for (std::uint32_t t = 0; t < c.target_size; ++t)
        for (std::uint32_t s = 0; s < c.source_size; ++s) f(t, s, weight_of(s));
      break;
    case ConnectionRule::one_to_one:
      for (std::uint32_t t = 0; t < c.target_size; ++t) f(t, t, weight_of(t));
      break;
    case ConnectionRule::fixed_indegree: {
      DistinctDraw distinct(p.replace ? 0 : c.source_size);
      for (std::uint32_t t = 0; t < c.target_size; ++t) {
        const std::uint64_t tk = key_hash(c.seed, stream, c.key, c.target_base + t);
        if (!p.replace) {
          for (std::uint32_t s : distinct.draw(tk, p.in_degree, c.source_size)) f(t, s, weight_of(s));
          continue;
        }
        for (std::uint32_t k = 0; k < p.in_degree; ++k) {
          const std::uint32_t s = bounded(mix64(tk + (k + 1ULL) * kGolden), c.source_size);
          f(t, s, weight_of(s));
        }
      }
      break;
    }
    case ConnectionRule::probability: {
      // p == 1 must give every pair; compare the top 53 bits against p * 2^53.
      const double scaled = std::clamp(p.probability, 0.0, 1.0) * 0x1.0p53;
      for (std::uint32_t t = 0; t < c.target_size; ++t) {
        const std::uint64_t tk = key_hash(c.seed, stream, c.key, c.target_base + t);
        for (std::uint32_t s = 0; s < c.source_size; ++s) {
          const std::uint64_t h = mix64(tk + (c.source_base + s + 1) * kGolden);
          if (static_cast<double>(h >> 11) < scaled) f(t, s, weight_of(s));
        }
      }
      break;
    }
    case ConnectionRule::explicit_list:
      for (const ExplicitSynapse& e : sorted_list) f(e.target, e.source, e.weight);
      break;
  }
}

}  // namespace p3p::cortex
