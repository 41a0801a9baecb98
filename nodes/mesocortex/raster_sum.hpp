#pragma once
// The cluster raster fingerprint. cortex::RasterHash (FNV over the ordered raster) needs every spike in one
// place; in a cluster each node sees only its own columns' spikes. This digest is a SUM (mod 2^64) of a
// mixed hash of each (tick, global neuron id), so it is order-free and additive: the cluster's digest is
// the sum of the nodes' digests, whatever the partition. `p3pctl status` adds them up ("raster_hash").
#include <cstdint>
#include <span>

#include "nodes/cortex/engine.hpp"

namespace p3p::mesocortex {

class RasterSum {
 public:
  static std::uint64_t digest(std::int64_t tick, std::uint64_t neuron) {
    std::uint64_t x = static_cast<std::uint64_t>(tick) * 0x9e3779b97f4a7c15ULL ^ (neuron + 0x632be59bd9b4e019ULL);
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
  }
  void add(std::span<const cortex::Spike> spikes) {
    for (const cortex::Spike& s : spikes) value_ += digest(s.tick, s.neuron);
  }
  std::uint64_t value() const { return value_; }
  void restore(std::uint64_t value) { value_ = value; }  // a loaded snapshot's

 private:
  std::uint64_t value_ = 0;
};

}  // namespace p3p::mesocortex
