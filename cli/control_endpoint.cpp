#include "cli/control_endpoint.hpp"

#include <cstdlib>

#include "cli/cluster_args.hpp"

namespace p3p::cli {

Expected<ControlEndpoint, std::string> resolve_control_endpoint(const std::string& endpoint, const std::string& topology,
                                                                const std::string& run_dir) {
  if (!endpoint.empty()) return control::parse_endpoint(endpoint);
  if (const char* env = std::getenv("P3P_ENDPOINT"); env && *env) return control::parse_endpoint(env);
  const std::string file = resolve_topology_file(topology, run_dir);
  if (file.empty())
    return unexpected(std::string("no control endpoint: give --endpoint HOST:PORT or --topology FILE, set P3P_ENDPOINT or "
                                  "P3P_TOPOLOGY, or bring a cluster up first"));
  auto topo = load_topology(file);
  if (!topo) return unexpected(topo.error());
  if (!topo->control) return unexpected("topology " + file + " has no control section (no control port)");
  return ControlEndpoint{topo->control->host, topo->control->port, topo->control->token};
}

}  // namespace p3p::cli
