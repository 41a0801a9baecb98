#pragma once
// Counter-based random numbers: every draw is a pure function of a key (seed, stream, a, b), never of a
// sequential generator's history. That is what makes noise and connectivity independent of update order,
// thread count and of which node holds a column (DESIGN "Principles" 1).
#include <cstdint>

namespace p3p::cortex {

// splitmix64's output function (Steele, Lea, Flood 2014): a bijective 64-bit mixer with full avalanche.
constexpr std::uint64_t mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

constexpr std::uint64_t kGolden = 0x9e3779b97f4a7c15ULL;

// Hash of a key made of up to four words; each word passes through the mixer before the next joins, so
// (a, b) and (b, a) differ.
constexpr std::uint64_t key_hash(std::uint64_t seed, std::uint64_t stream, std::uint64_t a,
                                 std::uint64_t b = 0) {
  std::uint64_t h = mix64(seed + kGolden);
  h = mix64(h ^ (stream + 0x632be59bd9b4e019ULL));
  h = mix64(h ^ (a + 0x8cb92ba72f3d8dd7ULL));
  return mix64(h ^ (b + 0x3c6ef372fe94f82bULL));
}

// Uniform double in [0, 1) from the top 53 bits.
constexpr double unit_double(std::uint64_t h) { return static_cast<double>(h >> 11) * 0x1.0p-53; }

// Uniform integer in [0, n) by multiply-high (Lemire); bias < n / 2^64, negligible for n < 2^32.
__extension__ typedef unsigned __int128 uint128_t;
inline std::uint32_t bounded(std::uint64_t h, std::uint32_t n) {
  return static_cast<std::uint32_t>((static_cast<uint128_t>(h) * n) >> 64);
}

// Streams (the second key word) so different uses of one seed never share draws.
enum class Stream : std::uint64_t { noise = 1, init_v = 2, connect = 3 };

// Noise for all neurons of one tick: the per-tick key is hashed once, then each neuron is one splitmix
// step keyed by its GLOBAL id (an independent splitmix64 stream per tick).
struct TickNoise {
  std::uint64_t tick_key;
  TickNoise(std::uint64_t seed, std::int64_t tick)
      : tick_key(key_hash(seed, static_cast<std::uint64_t>(Stream::noise),
                          static_cast<std::uint64_t>(tick))) {}
  // Uniform in [-amplitude, amplitude).
  double operator()(std::uint64_t global_id, double amplitude) const {
    const std::uint64_t h = mix64(tick_key + (global_id + 1) * kGolden);
    return amplitude * (static_cast<double>(h >> 11) * 0x1.0p-52 - 1.0);
  }
};

}  // namespace p3p::cortex
