#pragma once
// A client's side of the JSON-lines control port: one request line out, one reply line in, over a plain TCP
// connection (where the port is, p3pctl decides: cli/control_endpoint.hpp).
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "common/expected.hpp"

namespace p3p::control {

struct ControlEndpoint {
  std::string host;
  int port = 0;
  std::optional<std::string> token;  // from the topology, sent with every request
};

// HOST:PORT, as --endpoint and $P3P_ENDPOINT give it.
Expected<ControlEndpoint, std::string> parse_endpoint(const std::string& text);

// Sends {cmd, args} and returns the whole reply object, or why there is none (cannot connect, closed).
Expected<nlohmann::json, std::string> call_control(const ControlEndpoint& at, const nlohmann::json& request);

}  // namespace p3p::control
