#pragma once
// Wall-clock time as the wire carries it. Everything that judges time (replay guard, inbox) takes `now_ns`
// as a parameter instead of reading a clock, so tests are deterministic; only callers at the edge use this.
#include <chrono>
#include <cstdint>

namespace p3p::bus {

inline std::uint64_t unix_now_ns() {
  const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(since_epoch).count());
}

}  // namespace p3p::bus
