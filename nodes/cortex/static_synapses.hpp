#pragma once
// Static (non-plastic) synapses of one projection: CSR by source neuron, targets ascending within a row.
// A synapse costs 4 bytes (its target index): weights are per source neuron (uniform, or the
// projection's source_weights, e.g. excitatory/inhibitory) and kept once per source in fixed point; only
// explicit lists, whose weights differ per synapse, add an 8-byte fixed-point weight per synapse.
#include <cstdint>
#include <span>
#include <vector>

#include "nodes/cortex/connectivity.hpp"
#include "nodes/cortex/huge_page_allocator.hpp"

namespace p3p::cortex {

class StaticSynapses {
 public:
  void build(const ConnectivityContext& ctx);

  // Splits every row at the given target boundaries (parts + 1 ascending values, first 0, last = target
  // count) so that part p touches only targets in [bounds[p], bounds[p+1]) — threads never share a target.
  void prepare_parts(const std::vector<std::uint32_t>& bounds);

  // acc[target] += weight for each synapse of each listed source whose target lies in part `part`.
  void deliver(std::span<const std::uint32_t> sources, std::int64_t* acc, unsigned part) const;
  // All synapses of the listed sources, every part (remote delivery, single-threaded).
  void deliver_all(std::span<const std::uint32_t> sources, std::int64_t* acc) const {
    for (unsigned part = 0; part < parts_; ++part) deliver(sources, acc, part);
  }

  std::uint64_t size() const { return target_.size(); }
  std::uint32_t source_count() const { return static_cast<std::uint32_t>(row_.size() - 1); }
  std::span<const std::uint64_t> rows() const { return row_; }
  std::span<const std::uint32_t> targets() const { return target_; }
  double weight(std::uint64_t synapse, std::uint32_t source) const;
  std::uint64_t memory_bytes() const;

 private:
  // Inline on purpose (an out-of-line prefetch-only function is deleted by GCC as pure).
  [[gnu::always_inline]] void prefetch_row(std::uint32_t s, unsigned part) const {
    std::uint64_t b = row_[s];
    std::uint64_t e = row_[s + 1];
    if (parts_ > 1) {
      const std::size_t ns = row_.size() - 1;
      e = b + split_[(part + 1) * ns + s];
      b += split_[part * ns + s];
    }
    for (std::uint64_t i = b; i < e; i += 16) __builtin_prefetch(&target_[i]);  // 16 targets per line
  }
  static constexpr std::size_t kRowsAhead = 4;

  std::vector<std::uint64_t> row_;            // source_count + 1
  HugeVector<std::uint32_t> target_;          // per synapse
  std::vector<std::int64_t> source_weight_;   // per source (fixed point), when weights are per source
  std::vector<std::int64_t> synapse_weight_;  // per synapse (fixed point), explicit lists only
  std::vector<std::uint32_t> split_;          // (parts + 1) x source_count row offsets, parts > 1
  unsigned parts_ = 1;
};

}  // namespace p3p::cortex
