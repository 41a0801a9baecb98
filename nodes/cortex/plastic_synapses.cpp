#include "nodes/cortex/plastic_synapses.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <tuple>
#include <utility>

#include "nodes/cortex/fixed_point.hpp"

namespace p3p::cortex {

namespace {
unsigned bits_for(std::uint64_t max_value) { return max_value == 0 ? 0U : static_cast<unsigned>(std::bit_width(max_value)); }
}  // namespace

bool PlasticSynapses::build(const ConnectivityContext& ctx, const StdpParams& stdp, bool eligibility) {
  stdp_ = stdp;
  eligibility_ = eligibility;
  alpha_plus_ = std::exp(-1.0 / stdp.tau_plus);
  alpha_minus_ = std::exp(-1.0 / stdp.tau_minus);
  const ProjectionSpec& p = *ctx.spec;
  const std::vector<ExplicitSynapse> list =
      p.rule == ConnectionRule::explicit_list ? sorted_explicit(p.synapses) : std::vector<ExplicitSynapse>{};
  // Pass 1: in-degrees and out-degrees.
  in_ptr_.assign(ctx.target_size + 1ULL, 0);
  out_ptr_.assign(ctx.source_size + 1ULL, 0);
  for_each_synapse(ctx, list, [&](std::uint32_t t, std::uint32_t s, double) {
    ++in_ptr_[t + 1ULL];
    ++out_ptr_[s + 1ULL];
  });
  std::uint64_t max_in = 0;
  for (std::size_t i = 1; i < in_ptr_.size(); ++i) {
    max_in = std::max(max_in, in_ptr_[i]);
    in_ptr_[i] += in_ptr_[i - 1];
  }
  for (std::size_t i = 1; i < out_ptr_.size(); ++i) out_ptr_[i] += out_ptr_[i - 1];
  off_bits_ = bits_for(max_in == 0 ? 0 : max_in - 1);
  off_mask_ = off_bits_ == 0 ? 0U : static_cast<std::uint32_t>((1ULL << off_bits_) - 1);
  if (bits_for(ctx.target_size == 0 ? 0 : ctx.target_size - 1ULL) + off_bits_ > 32) return false;
  // Pass 2: fill both directions (targets ascending, so forward rows come out sorted by target).
  src_.assign(in_ptr_.back(), 0);
  w_.assign(in_ptr_.back(), 0.0);
  out_.assign(out_ptr_.back(), 0);
  std::vector<std::uint64_t> fill(out_ptr_.begin(), out_ptr_.end() - 1);
  std::uint64_t at = 0;
  for_each_synapse(ctx, list, [&](std::uint32_t t, std::uint32_t s, double w) {
    src_[at] = s;
    w_[at] = w;
    out_[fill[s]++] = (t << off_bits_) | static_cast<std::uint32_t>(at - in_ptr_[t]);
    ++at;
  });
  x_pre_.assign(ctx.source_size, 0.0);
  x_post_.assign(ctx.target_size, 0.0);
  if (eligibility_) {
    c_.assign(w_.size(), 0.0);
    c_off_.assign(w_.size(), 0);
  }
  return true;
}

void PlasticSynapses::prepare_parts(const std::vector<std::uint32_t>& bounds) {
  parts_ = static_cast<unsigned>(bounds.size() - 1);
  split_.clear();
  if (parts_ <= 1) return;
  const std::uint32_t ns = source_count();
  split_.resize(static_cast<std::size_t>(parts_ + 1) * ns);
  for (std::uint32_t s = 0; s < ns; ++s) {
    const auto b = out_.begin() + static_cast<std::ptrdiff_t>(out_ptr_[s]);
    const auto e = out_.begin() + static_cast<std::ptrdiff_t>(out_ptr_[s + 1]);
    for (unsigned q = 0; q <= parts_; ++q) {
      const std::uint64_t key = static_cast<std::uint64_t>(bounds[q]) << off_bits_;
      const auto it = std::lower_bound(b, e, key, [](std::uint32_t v, std::uint64_t k) { return v < k; });
      split_[static_cast<std::size_t>(q) * ns + s] = static_cast<std::uint32_t>(it - b);
    }
  }
}

void PlasticSynapses::decay_traces(std::uint32_t sb, std::uint32_t se, std::uint32_t tb, std::uint32_t te) {
  if (stdp_.rule != StdpRule::pair) return;
  for (std::uint32_t s = sb; s < se; ++s) x_pre_[s] *= alpha_plus_;
  for (std::uint32_t t = tb; t < te; ++t) x_post_[t] *= alpha_minus_;
}

void PlasticSynapses::touch(std::uint64_t sid, const BoundaryContext& b) {
  const std::int32_t o = b.clock->offset(b.tick);
  const std::int32_t o0 = c_off_[sid];
  if (o0 == o) return;
  const double c0 = c_[sid];
  if (c0 != 0.0) {
    w_[sid] = clip(w_[sid] + b.eta * c0 * b.clock->integral(o0, o));
    c_[sid] = c0 * b.clock->decay(o0, o);
  }
  c_off_[sid] = o;
}

void PlasticSynapses::apply(std::uint64_t sid, double dw, const BoundaryContext& b) {
  if (eligibility_)
    c_[sid] += dw;
  else
    w_[sid] = clip(w_[sid] + dw * b.gain);
}

void PlasticSynapses::pre_arrivals(std::span<const std::uint32_t> sources, std::int64_t spike_tick,
                                   std::int64_t* acc, unsigned part, const BoundaryContext& b) {
  const std::uint32_t ns = source_count();
  const bool legacy = stdp_.rule == StdpRule::legacy;
  auto segment = [&](std::uint32_t s) {
    std::uint64_t beg = out_ptr_[s];
    std::uint64_t end = out_ptr_[s + 1];
    if (parts_ > 1) {
      end = beg + split_[static_cast<std::size_t>(part + 1) * ns + s];
      beg += split_[static_cast<std::size_t>(part) * ns + s];
    }
    return std::pair{beg, end};
  };
  // The weights sit in target-major order, so each arrival is a random access. A lead cursor runs
  // kPrefetch synapses ahead of the work, across row ends, prefetching the weights to overlap misses.
  std::size_t lead_row = 0;
  std::uint64_t lead = 0, lead_end = 0;  // not a structured binding: clang 14 (the fuzz build) cannot capture one
  if (!sources.empty()) std::tie(lead, lead_end) = segment(sources[0]);
  auto advance_lead = [&] {
    while (lead == lead_end && ++lead_row < sources.size()) std::tie(lead, lead_end) = segment(sources[lead_row]);
    if (lead < lead_end) prefetch_weight(lead++);
  };
  for (std::uint64_t k = 0; k < kPrefetch; ++k) advance_lead();
  for (const std::uint32_t s : sources) {
    const auto [beg, end] = segment(s);
    for (std::uint64_t i = beg; i < end; ++i) {
      advance_lead();
      const std::uint32_t t = out_[i] >> off_bits_;
      const std::uint64_t sid = in_ptr_[t] + (out_[i] & off_mask_);
      if (eligibility_) touch(sid, b);
      if (acc) acc[t] += to_fixed(w_[sid]);
      double dw;
      if (legacy) {
        // docs/original.md, "Plasticity and reward": dt = post.last_spike_t - pre.last_spike_t (the pre spike's own tick).
        const auto dt = static_cast<double>(b.last_spike[t] - spike_tick);
        dw = dt > 0 ? stdp_.a_plus * std::exp(-dt / stdp_.tau_plus) : -stdp_.a_minus * std::exp(dt / stdp_.tau_minus);
      } else {
        dw = -stdp_.a_minus * x_post_[t];
      }
      apply(sid, dw, b);
    }
  }
}

void PlasticSynapses::bump_pre_traces(std::span<const std::uint32_t> sources) {
  if (stdp_.rule != StdpRule::pair) return;
  for (const std::uint32_t s : sources) x_pre_[s] += 1.0;
}

void PlasticSynapses::post_spikes(std::span<const std::uint32_t> spikes, std::uint32_t tb, std::uint32_t te,
                                  const BoundaryContext& b) {
  if (stdp_.rule != StdpRule::pair) return;
  auto it = std::lower_bound(spikes.begin(), spikes.end(), tb);
  for (; it != spikes.end() && *it < te; ++it) {
    const std::uint32_t t = *it;
    x_post_[t] += 1.0;
    for (std::uint64_t sid = in_ptr_[t]; sid < in_ptr_[t + 1]; ++sid) {
      if (eligibility_) touch(sid, b);
      apply(sid, stdp_.a_plus * x_pre_[src_[sid]], b);
    }
  }
}

void PlasticSynapses::normalise(double target_sum, std::uint32_t tb, std::uint32_t te, const BoundaryContext& b) {
  for (std::uint32_t t = tb; t < te; ++t) {
    double sum = 0.0;
    for (std::uint64_t sid = in_ptr_[t]; sid < in_ptr_[t + 1]; ++sid) {
      if (eligibility_) touch(sid, b);
      sum += w_[sid];
    }
    if (sum == 0.0) continue;
    const double scale = target_sum / sum;
    for (std::uint64_t sid = in_ptr_[t]; sid < in_ptr_[t + 1]; ++sid) w_[sid] = clip(w_[sid] * scale);
  }
}

void PlasticSynapses::catch_up(std::uint32_t tb, std::uint32_t te, const BoundaryContext& b) {
  if (!eligibility_) return;
  for (std::uint64_t sid = in_ptr_[tb]; sid < in_ptr_[te]; ++sid) touch(sid, b);
}

void PlasticSynapses::clear_traces() {
  std::fill(x_pre_.begin(), x_pre_.end(), 0.0);
  std::fill(x_post_.begin(), x_post_.end(), 0.0);
  std::fill(c_.begin(), c_.end(), 0.0);
}

std::vector<double> PlasticSynapses::current_weights(const BoundaryContext& b) const {
  std::vector<double> w(w_.begin(), w_.end());
  if (!eligibility_) return w;
  const std::int32_t o = b.clock->offset(b.tick);
  for (std::uint64_t sid = 0; sid < w.size(); ++sid)
    if (c_off_[sid] != o && c_[sid] != 0.0) w[sid] = clip(w[sid] + b.eta * c_[sid] * b.clock->integral(c_off_[sid], o));
  return w;
}

std::int64_t PlasticSynapses::find(std::uint32_t source, std::uint32_t target) const {
  for (std::uint64_t sid = in_ptr_[target]; sid < in_ptr_[target + 1]; ++sid)
    if (src_[sid] == source) return static_cast<std::int64_t>(sid);
  return -1;
}

std::uint64_t PlasticSynapses::memory_bytes() const {
  return (in_ptr_.size() + out_ptr_.size()) * 8 + src_.size() * 4 + w_.size() * 8 + out_.size() * 4 +
         (x_pre_.size() + x_post_.size()) * 8 + c_.size() * 8 + c_off_.size() * 4 + split_.size() * 4;
}

}  // namespace p3p::cortex
