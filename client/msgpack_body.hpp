#pragma once
// The one way an envelope's msgpack body becomes JSON, on nodes and clients alike: the bytes are walked
// first (bus/msgpack_depth.hpp, no recursion), and only a well-formed body at most bus::kMaxBodyDepth
// levels deep reaches nlohmann's recursive decoder - nor, later, its recursive encoder (an echo's reply).
#include <nlohmann/json.hpp>
#include <string>

#include "bus/bytes.hpp"
#include "common/expected.hpp"

namespace p3p::control {

struct BodyError {
  bool too_deep = false;  // well-formed so far but nested past the limit (else: not msgpack)
  std::string message;
};

Expected<nlohmann::json, BodyError> decode_body(bus::ByteView body);

}  // namespace p3p::control
