#pragma once
// Pending synaptic/injected input is accumulated in int64 fixed point (2^40 units per unit of membrane
// potential): integer addition is associative, so the sum a neuron receives is bit-identical whatever the
// order spikes arrive in — across threads, nodes and partitions. Resolution 9.1e-13, range ±8.3e6.
#include <cstdint>

namespace p3p::cortex {

inline constexpr double kFixedScale = 0x1.0p40;
inline constexpr double kFixedInv = 0x1.0p-40;

// Round half away from zero; written out (not llround) because it sits in the synaptic hot loop.
inline std::int64_t to_fixed(double x) {
  const double y = x * kFixedScale;
  return static_cast<std::int64_t>(y + (y >= 0.0 ? 0.5 : -0.5));
}
inline double from_fixed(std::int64_t q) { return static_cast<double>(q) * kFixedInv; }

// Injected input joins a neuron's pending sum saturating at +-2^62 (+-4.2e6 units): any number of huge
// injections into one tick can neither overflow the int64 (undefined behaviour) nor leave the synaptic
// sum of the tick too little headroom (2^62 more units than any in-degree times weight can bring).
inline constexpr std::int64_t kPendingLimit = std::int64_t{1} << 62;
inline std::int64_t add_saturating(std::int64_t acc, std::int64_t x) {
  std::int64_t sum = 0;
  if (__builtin_add_overflow(acc, x, &sum)) sum = x > 0 ? kPendingLimit : -kPendingLimit;
  return sum > kPendingLimit ? kPendingLimit : (sum < -kPendingLimit ? -kPendingLimit : sum);
}

}  // namespace p3p::cortex
