#pragma once
// Where p3pctl finds the control port: --endpoint, $P3P_ENDPOINT, or the control section of the topology
// from --topology, $P3P_TOPOLOGY or the cluster last brought up.
#include <string>

#include "client/control_client.hpp"
#include "common/expected.hpp"

namespace p3p::cli {

using control::ControlEndpoint;

// `endpoint` (HOST:PORT) wins, then $P3P_ENDPOINT, then the topology's control section.
Expected<ControlEndpoint, std::string> resolve_control_endpoint(const std::string& endpoint, const std::string& topology,
                                                                const std::string& run_dir);

}  // namespace p3p::cli
