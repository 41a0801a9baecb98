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

}  // namespace p3p::cortex
