#pragma once
// Plastic synapses of one projection. Storage is target-major (each target's incoming synapses together:
// source index + double weight, 12 bytes) plus a forward index per source (4 bytes: target and slot within
// the target's row, packed), 16 bytes per synapse in total; eligibility mode adds c and its tick (12 bytes).
// STDP traces are per neuron, not per synapse: a pre trace per source (its arrivals at this projection)
// and a post trace per target, each +1 per spike and decayed by exp(-1/tau) per tick; that equals
// Brian2's per-synapse event-driven traces, which are identical for all synapses sharing a neuron.
//
// Order inside one tick boundary T (see engine.hpp for when boundaries run):
//   decay traces; pre arrivals (deliver w, then depression with the post trace); pre traces += 1;
//   post spikes of tick T-1 (post traces += 1, then potentiation with the pre traces).
// This is Brian2's on_pre-before-on_post order: a pre/post pair in one tick potentiates by A+.
#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

#include "nodes/cortex/connectivity.hpp"
#include "nodes/cortex/eligibility_clock.hpp"
#include "nodes/cortex/huge_page_allocator.hpp"

namespace p3p::cortex {

// What the kernels need to know about the boundary being processed.
struct BoundaryContext {
  std::int64_t tick = 0;                     // boundary T: input for tick T is being completed
  double gain = 1.0;                         // gain mode: dw multiplier max(0, 1 + 2 reward)
  const EligibilityClock* clock = nullptr;   // eligibility mode only
  double eta = 0.0;                          // eligibility learning rate
  const std::int64_t* last_spike = nullptr;  // target population's last spike ticks (legacy rule)
};

class PlasticSynapses {
 public:
  // Returns false when the packed forward index cannot hold this projection (see memory note above).
  bool build(const ConnectivityContext& ctx, const StdpParams& stdp, bool eligibility);
  void prepare_parts(const std::vector<std::uint32_t>& target_bounds);

  void decay_traces(std::uint32_t source_begin, std::uint32_t source_end, std::uint32_t target_begin,
                    std::uint32_t target_end);
  // Pre-synaptic arrivals of spikes fired at tick `spike_tick`; part p touches its own targets only. `acc`
  // null: the synapses learn but deliver nothing (ProjectionSpec::transmit).
  void pre_arrivals(std::span<const std::uint32_t> sources, std::int64_t spike_tick, std::int64_t* acc,
                    unsigned part, const BoundaryContext& b);
  void bump_pre_traces(std::span<const std::uint32_t> sources);
  // Post spikes (ascending local indices) of tick T-1 lying in [target_begin, target_end).
  void post_spikes(std::span<const std::uint32_t> spikes, std::uint32_t target_begin, std::uint32_t target_end,
                   const BoundaryContext& b);
  void normalise(double target_sum, std::uint32_t target_begin, std::uint32_t target_end, const BoundaryContext& b);
  // Eligibility: applies the pending dopamine effect of every synapse of the targets up to b.tick.
  void catch_up(std::uint32_t target_begin, std::uint32_t target_end, const BoundaryContext& b);
  void clear_traces();
  // After catch_up of every synapse and a clock rebase: all synapses are at the new base (offset 0).
  void rebase_offsets() { std::fill(c_off_.begin(), c_off_.end(), 0); }  // pre/post traces and eligibility to zero (call catch_up first)

  // Replaces synapse sid's weight at b.tick (in eligibility mode brought up to b.tick first, so its
  // pending effect is not applied again on top). `w` must lie in [w_min, w_max].
  void set_weight(std::uint64_t sid, double w, const BoundaryContext& b) {
    if (eligibility_) touch(sid, b);
    w_[sid] = w;
  }
  const StdpParams& stdp() const { return stdp_; }

  // Weights as they are at b.tick (eligibility effects applied on a copy), target-major order.
  std::vector<double> current_weights(const BoundaryContext& b) const;
  // Synapse id of (source, target), or -1; the first one if there are duplicates.
  std::int64_t find(std::uint32_t source, std::uint32_t target) const;
  std::uint64_t size() const { return src_.size(); }
  std::uint32_t source_count() const { return static_cast<std::uint32_t>(out_ptr_.size() - 1); }
  std::uint32_t target_count() const { return static_cast<std::uint32_t>(in_ptr_.size() - 1); }
  std::uint64_t memory_bytes() const;

  // Raw state (export/import); sizes are checked by the engine.
  HugeVector<double>& weights() { return w_; }
  std::vector<double>& pre_traces() { return x_pre_; }
  std::vector<double>& post_traces() { return x_post_; }
  HugeVector<double>& eligibility() { return c_; }
  HugeVector<std::int32_t>& eligibility_offsets() { return c_off_; }
  const HugeVector<double>& weights() const { return w_; }
  const std::vector<double>& pre_traces() const { return x_pre_; }
  const std::vector<double>& post_traces() const { return x_post_; }
  const HugeVector<double>& eligibility() const { return c_; }
  const HugeVector<std::int32_t>& eligibility_offsets() const { return c_off_; }
  std::span<const std::uint64_t> incoming_rows() const { return in_ptr_; }
  std::span<const std::uint32_t> sources() const { return src_; }

 private:
  void apply(std::uint64_t sid, double dw, const BoundaryContext& b);
  void touch(std::uint64_t sid, const BoundaryContext& b);
  // Must stay inline: GCC treats an out-of-line function whose only effect is a prefetch as pure and
  // deletes the calls.
  [[gnu::always_inline]] void prefetch_weight(std::uint64_t i) const {
    const std::uint64_t sid = in_ptr_[out_[i] >> off_bits_] + (out_[i] & off_mask_);
    __builtin_prefetch(&w_[sid], 1);
    if (eligibility_) __builtin_prefetch(&c_[sid], 1);
  }
  static constexpr std::uint64_t kPrefetch = 16;
  // NaN (which no input should make: engine.hpp's boundary) lands on w_min rather than spreading.
  double clip(double w) const { return !(w >= stdp_.w_min) ? stdp_.w_min : (w > stdp_.w_max ? stdp_.w_max : w); }

  StdpParams stdp_;
  double alpha_plus_ = 0.0, alpha_minus_ = 0.0;
  bool eligibility_ = false;
  std::vector<std::uint64_t> in_ptr_;   // target_count + 1
  HugeVector<std::uint32_t> src_;       // per synapse (target-major)
  HugeVector<double> w_;                // per synapse
  std::vector<std::uint64_t> out_ptr_;  // source_count + 1
  HugeVector<std::uint32_t> out_;       // per synapse: target << off_bits_ | slot in target row
  unsigned off_bits_ = 0;
  std::uint32_t off_mask_ = 0;
  std::vector<double> x_pre_, x_post_;
  HugeVector<double> c_;                 // eligibility trace per synapse
  HugeVector<std::int32_t> c_off_;      // tick (offset from the clock's base) c_ was last brought to
  std::vector<std::uint32_t> split_;     // (parts + 1) x source_count forward-row offsets, parts > 1
  unsigned parts_ = 1;
};

}  // namespace p3p::cortex
