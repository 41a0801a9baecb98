#pragma once
// How deeply one msgpack value nests, found by an iterative walk with an explicit counter per open
// array/map: no recursion, so no input can exhaust the stack here. Run it on every body before a
// recursive decoder (nlohmann::json::from_msgpack recurses once per level, and so does encoding the
// result again: a body nested 10^5 deep crashed a node on the reply to an echo).
#include <cstddef>

#include "bus/bytes.hpp"

namespace p3p::bus {

// Arrays and maps that bodies may nest (a body is a map of arguments: a few levels are all the wire uses).
inline constexpr std::size_t kMaxBodyDepth = 64;

enum class MsgpackShape {
  ok,         // exactly one well-formed value, at most max_depth arrays/maps deep
  too_deep,   // well-formed so far, but nested deeper than max_depth
  malformed,  // truncated, an unused tag (0xc1), or bytes after the value
};

// A scalar has depth 0, [] and [1] depth 1, [[1]] depth 2. Stops at the first level past max_depth.
MsgpackShape check_msgpack(ByteView in, std::size_t max_depth = kMaxBodyDepth);

}  // namespace p3p::bus
