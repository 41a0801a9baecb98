#pragma once
// p3pctl's side of the JSON-lines control port: where it is (--endpoint, $P3P_ENDPOINT, or the control
// section of the topology from --topology, $P3P_TOPOLOGY or the cluster last brought up), and one request
// line out, one reply line in, over a plain TCP connection.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "common/expected.hpp"

namespace p3p::cli {

struct ControlEndpoint {
  std::string host;
  int port = 0;
  std::optional<std::string> token;  // from the topology, sent with every request
};

// `endpoint` (HOST:PORT) wins, then $P3P_ENDPOINT, then the topology's control section.
Expected<ControlEndpoint, std::string> resolve_control_endpoint(const std::string& endpoint, const std::string& topology,
                                                                const std::string& run_dir);

// Sends {cmd, args} and returns the whole reply object, or why there is none (cannot connect, closed).
Expected<nlohmann::json, std::string> call_control(const ControlEndpoint& at, const nlohmann::json& request);

}  // namespace p3p::cli
