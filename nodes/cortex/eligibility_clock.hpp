#pragma once
// Dopamine and the shared bookkeeping that lets eligibility-trace synapses be updated lazily
// (Izhikevich 2007, discrete time). Per tick k every synapse would do
//     w += eta * c_k * d_k;   c_{k+1} = c_k * ac;   d_{k+1} = d_k * ad (+ reward events)
// A synapse last touched at tick t0 (with c0) is brought to tick T in closed form:
//     sum_{k=t0}^{T-1} c0 ac^(k-t0) d_k = c0 * ac^-(t0-B) * (G(T) - G(t0)),   G(T) = sum_{k=B}^{T-1} ac^(k-B) d_k
// G is one global running sum per tick since a base tick B. Every R ticks all synapses are brought up to
// date and B moves (rebase), which keeps ac^-(t0-B) small. Everything depends only on the tick, so every
// engine of a split network does the same arithmetic at the same ticks (bit-identical results).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace p3p::cortex {

class EligibilityClock {
 public:
  EligibilityClock() = default;
  EligibilityClock(double tau_c, double tau_d) { configure(tau_c, tau_d); }

  void configure(double tau_c, double tau_d) {
    alpha_c_ = std::exp(-1.0 / tau_c);
    alpha_d_ = std::exp(-1.0 / tau_d);
    period_ = static_cast<std::int32_t>(std::clamp(std::ceil(4.0 * tau_c), 16.0, 4194304.0));
    pow_.resize(static_cast<std::size_t>(period_) + 1);
    inv_pow_.resize(pow_.size());
    for (std::size_t k = 0; k < pow_.size(); ++k) {
      pow_[k] = std::pow(alpha_c_, static_cast<double>(k));
      inv_pow_[k] = 1.0 / pow_[k];
    }
    history_.assign(1, 0.0);
  }

  // Start of boundary `tick`: decay dopamine and add the reward events since the last boundary.
  void begin_boundary() {
    dopamine_ = dopamine_ * alpha_d_ + pending_;
    pending_ = 0.0;
  }
  // End of boundary `tick`: record this tick's dopamine in the running sum.
  void end_boundary(std::int64_t tick) {
    history_.push_back(history_.back() + pow_[static_cast<std::size_t>(tick - base_)] * dopamine_);
  }
  bool needs_rebase(std::int64_t tick) const { return tick - base_ >= period_; }
  void rebase(std::int64_t tick) {
    base_ = tick;
    history_.assign(1, 0.0);
  }

  std::int32_t offset(std::int64_t tick) const { return static_cast<std::int32_t>(tick - base_); }
  // Weight change factor (to multiply by eta * c0) from offset o0 to offset o.
  double integral(std::int32_t o0, std::int32_t o) const {
    return inv_pow_[static_cast<std::size_t>(o0)] *
           (history_[static_cast<std::size_t>(o)] - history_[static_cast<std::size_t>(o0)]);
  }
  double decay(std::int32_t o0, std::int32_t o) const { return pow_[static_cast<std::size_t>(o - o0)]; }

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
  bool restore(const State& s) {
    if (s.history.empty() || s.history.size() > pow_.size() + 1) return false;
    dopamine_ = s.dopamine;
    pending_ = s.pending;
    base_ = s.base;
    history_ = s.history;
    return true;
  }

 private:
  double alpha_c_ = 0.0;
  double alpha_d_ = 0.0;
  std::int32_t period_ = 16;
  std::vector<double> pow_, inv_pow_;
  std::vector<double> history_{0.0};  // G(base) .. G(tick)
  std::int64_t base_ = 0;
  double dopamine_ = 0.0;
  double pending_ = 0.0;
};

}  // namespace p3p::cortex
