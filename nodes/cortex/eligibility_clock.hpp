#pragma once
// Dopamine and the bookkeeping that lets eligibility-trace synapses be updated lazily (Izhikevich 2007,
// discrete time). Each eligibility projection has its own clock: its own dopamine d and running sum.
// Per tick k every synapse would do
//     w += eta * c_k * d_k;   c_{k+1} = c_k * ac;   d_{k+1} = d_k * ad (+ reward events)
// A synapse last touched at tick t0 (with c0) is brought to tick T in closed form:
//     sum_{k=t0}^{T-1} c0 ac^(k-t0) d_k = c0 * ac^-(t0-B) * (G(T) - G(t0)),   G(T) = sum_{k=B}^{T-1} ac^(k-B) d_k
// G is one running sum per tick since a base tick B. Every R ticks all synapses are brought up to date
// and B moves (rebase), which keeps ac^-(t0-B) small. Everything depends only on the tick, so every
// engine of a split network does the same arithmetic at the same ticks (bit-identical results).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <vector>

namespace p3p::cortex {

class EligibilityClock {
 public:
  // ac^k and ac^-k for k in [0, R]: the same for every clock of one tau_c, so clocks share them.
  struct Powers {
    double alpha = 0.0;
    std::int32_t period = 16;  // R
    std::vector<double> pow, inv_pow;
  };
  static std::shared_ptr<const Powers> powers(double tau_c) {
    auto p = std::make_shared<Powers>();
    p->alpha = std::exp(-1.0 / tau_c);
    // R = 4 tau_c, but never so long that ac^R leaves the normal doubles (ac^-R would overflow and a
    // tiny tau_c give inf * 0): ac^R >= e^-575.
    const double r = std::min(std::clamp(std::ceil(4.0 * tau_c), 16.0, 4194304.0), std::floor(575.0 * tau_c));
    p->period = static_cast<std::int32_t>(std::max(1.0, r));
    p->pow.resize(static_cast<std::size_t>(p->period) + 1);
    p->inv_pow.resize(p->pow.size());
    for (std::size_t k = 0; k < p->pow.size(); ++k) {
      p->pow[k] = std::pow(p->alpha, static_cast<double>(k));
      p->inv_pow[k] = 1.0 / p->pow[k];
    }
    return p;
  }

  EligibilityClock() = default;
  EligibilityClock(std::shared_ptr<const Powers> powers, double tau_d) { configure(std::move(powers), tau_d); }

  void configure(std::shared_ptr<const Powers> powers, double tau_d) {
    p_ = std::move(powers);
    alpha_d_ = std::exp(-1.0 / tau_d);
    history_.assign(1, 0.0);
  }

  // Start of boundary `tick`: decay dopamine and add the reward events since the last boundary.
  void begin_boundary() {
    dopamine_ = dopamine_ * alpha_d_ + pending_;
    pending_ = 0.0;
  }
  // End of boundary `tick`: record this tick's dopamine in the running sum.
  void end_boundary(std::int64_t tick) {
    history_.push_back(history_.back() + p_->pow[static_cast<std::size_t>(tick - base_)] * dopamine_);
  }
  bool needs_rebase(std::int64_t tick) const { return tick - base_ >= p_->period; }
  void rebase(std::int64_t tick) {
    base_ = tick;
    history_.assign(1, 0.0);
  }

  std::int32_t offset(std::int64_t tick) const { return static_cast<std::int32_t>(tick - base_); }
  // Weight change factor (to multiply by eta * c0) from offset o0 to offset o.
  double integral(std::int32_t o0, std::int32_t o) const {
    return p_->inv_pow[static_cast<std::size_t>(o0)] *
           (history_[static_cast<std::size_t>(o)] - history_[static_cast<std::size_t>(o0)]);
  }
  double decay(std::int32_t o0, std::int32_t o) const { return p_->pow[static_cast<std::size_t>(o - o0)]; }

  void add_reward(double r) { pending_ += r; }
  void clear_dopamine() { dopamine_ = 0.0; pending_ = 0.0; }
  double dopamine() const { return dopamine_; }

  // State for export/import.
  struct State {
    double dopamine = 0.0;
    double pending = 0.0;
    std::int64_t base = 0;
    std::vector<double> history{0.0};
  };
  State state() const { return {dopamine_, pending_, base_, history_}; }
  // Whether `s` is a state this clock can be at between ticks, standing at `tick` having processed the
  // boundaries up to `settled`: a running sum entry for every boundary from the base on, finite values.
  bool accepts(const State& s, std::int64_t tick, std::int64_t settled) const {
    if (s.base > tick || tick - s.base > p_->period) return false;
    const std::int64_t entries = (settled >= tick ? tick + 1 : tick) - s.base + 1;
    if (static_cast<std::int64_t>(s.history.size()) != entries) return false;
    if (!std::isfinite(s.dopamine) || !std::isfinite(s.pending)) return false;
    return std::all_of(s.history.begin(), s.history.end(), [](double h) { return std::isfinite(h); });
  }
  void restore(const State& s) {
    dopamine_ = s.dopamine;
    pending_ = s.pending;
    base_ = s.base;
    history_ = s.history;
  }

 private:
  std::shared_ptr<const Powers> p_;
  double alpha_d_ = 0.0;
  std::vector<double> history_{0.0};  // G(base) .. G(tick)
  std::int64_t base_ = 0;
  double dopamine_ = 0.0;
  double pending_ = 0.0;
};

}  // namespace p3p::cortex
