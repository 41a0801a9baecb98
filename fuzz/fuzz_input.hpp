#pragma once
// What every fuzz target shares: libFuzzer's input seen as bytes or text, and a check that stays on in
// every build type (a broken property must stop the fuzzer like a crash does, with the input saved).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "bus/bytes.hpp"

namespace p3p::fuzz {

inline bus::ByteView bytes(const std::uint8_t* data, std::size_t size) { return {data, size}; }
inline std::string_view text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Aborts (libFuzzer then saves the input as a crash) when a property the decoder promises does not hold.
inline void require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "fuzz property broken: %s\n", what);
  std::abort();
}

}  // namespace p3p::fuzz
