#pragma once
// Raster digest: FNV-1a over 64-bit words — for every spike in (tick, global neuron id) order,
// h = (h ^ tick) * P; h = (h ^ neuron) * P with offset basis 0xcbf29ce484222325 and P = 0x100000001b3.
// Equal rasters give equal digests on every platform; it is a fingerprint, not a cryptographic hash.
#include <cstdint>
#include <span>

#include "nodes/cortex/engine.hpp"

namespace p3p::cortex {

class RasterHash {
 public:
  void add(std::int64_t tick, std::uint64_t neuron) {
    h_ = (h_ ^ static_cast<std::uint64_t>(tick)) * kPrime;
    h_ = (h_ ^ neuron) * kPrime;
  }
  // Spikes of one tick in ascending neuron order (as Engine::step returns them).
  void add(std::span<const Spike> spikes) {
    for (const Spike& s : spikes) add(s.tick, s.neuron);
  }
  std::uint64_t value() const { return h_; }

 private:
  static constexpr std::uint64_t kPrime = 0x100000001b3ULL;
  std::uint64_t h_ = 0xcbf29ce484222325ULL;
};

}  // namespace p3p::cortex
