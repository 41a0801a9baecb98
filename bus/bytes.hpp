#pragma once
// Byte containers used across the wire layer. Frames are unsigned bytes; a view never owns what it shows.
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace p3p::bus {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

// The bytes of a string, seen as unsigned bytes (identities, topics and test data are often strings).
inline ByteView as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

// The inverse, for logging or comparing an identity frame with a node name.
inline std::string_view as_chars(ByteView b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

}  // namespace p3p::bus
