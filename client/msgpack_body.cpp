#include "client/msgpack_body.hpp"

#include "bus/msgpack_depth.hpp"

namespace p3p::control {

Expected<nlohmann::json, BodyError> decode_body(bus::ByteView body) {
  switch (bus::check_msgpack(body)) {
    case bus::MsgpackShape::too_deep:
      return unexpected(BodyError{true, "the body nests deeper than " + std::to_string(bus::kMaxBodyDepth) + " levels"});
    case bus::MsgpackShape::malformed: return unexpected(BodyError{false, "the body is not msgpack"});
    case bus::MsgpackShape::ok: break;
  }
  try {
    return nlohmann::json::from_msgpack(body.begin(), body.end());
  } catch (const std::exception& e) {  // well-formed msgpack nlohmann still refuses (say, an ext type)
    return unexpected(BodyError{false, std::string("the body is not msgpack: ") + e.what()});
  }
}

}  // namespace p3p::control
