// The msgpack bodies nodes and clients read as JSON values: a node's request bodies (runtime/node_requests.cpp
// body_object), heartbeats (node_mesh.cpp handle_mesh), echo ping/pong (node.cpp, which sends a ping's body
// back), node_client's replies, and p3pctl watch's metrics and event maps. All of them decode with
// control::decode_body (a depth walk, then nlohmann::json::from_msgpack) and then read fields with
// at()/get<>() inside a catch; this target does the same, so what it finds is what a peer could do.
#include <nlohmann/json.hpp>

#include "fuzz/fuzz_input.hpp"
#include "client/msgpack_body.hpp"

namespace {

using nlohmann::json;

// The reads the node's heartbeat handler makes (node_mesh.cpp).
void read_heartbeat(const json& hb) {
  (void)hb.at("spikes").get<std::string>();
  (void)hb.value("restart", false);
  (void)hb.at("epoch").get<std::uint64_t>();
  (void)hb.at("tick").get<std::int64_t>();
  (void)hb.at("state").get<std::string>();
}

// The reads of an error reply (node_client.cpp) and of a request's integer argument (node_requests.cpp).
void read_reply_and_args(const json& v) {
  for (const char* name : {"code", "message"}) {
    const auto it = v.find(name);
    if (it != v.end() && it->is_string()) (void)it->get<std::string>();
  }
  for (const char* name : {"column", "tick", "sent_ns"}) {
    const auto it = v.find(name);
    if (it != v.end() && it->is_number_integer()) (void)it->get<std::int64_t>();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto decoded = p3p::control::decode_body(p3p::bus::ByteView(data, size));
  if (!decoded) return 0;  // every reader answers "not msgpack" or "too deep" here
  const json body = std::move(*decoded);
  try {
    if (body.is_object()) {
      read_reply_and_args(body);
      read_heartbeat(body);
    }
  } catch (const std::exception&) {
  }
  // An echo ping's body goes back as the pong: what is decoded encodes again, and that encoding is stable
  // (compared as bytes, not values: NaN is not equal to itself).
  const auto again = json::to_msgpack(body);
  p3p::fuzz::require(json::to_msgpack(json::from_msgpack(again)) == again, "a body does not survive re-encoding");
  (void)body.dump(-1, ' ', false, json::error_handler_t::replace);  // as the control port's reply_line writes it
  return 0;
}
