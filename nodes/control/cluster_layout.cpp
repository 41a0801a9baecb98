#include "nodes/control/cluster_layout.hpp"

#include "client/telemetry_format.hpp"
#include "nodes/control/region_layout.hpp"

namespace p3p::control {

CommandResult describe_layout(CommandContext& cx) {
  const topology::Topology& t = cx.topo;
  nlohmann::json nodes = nlohmann::json::array();
  for (const topology::Node& n : t.nodes) {
    const std::string host = n.host == "localhost" ? "127.0.0.1" : n.host;  // as p3pctl watch connects
    nodes.push_back({{"id", n.id}, {"host", host}, {"router_port", n.router_port}, {"pub_port", n.pub_port},
                     {"pub_endpoint", "tcp://" + host + ":" + std::to_string(n.pub_port)}});
  }
  const RegionLayout layout = cx.regions.get();
  const ColumnIndex index(t);
  nlohmann::json columns = nlohmann::json::array();
  for (const topology::Column* c : index.columns)
    columns.push_back({{"id", c->id}, {"node", c->node}, {"neurons", c->size}, {"first_neuron", c->first_neuron},
                       {"region", layout.region_of(c->id)}});
  return nlohmann::json{{"cluster", t.cluster.name},
                        {"replay_window_ms", t.cluster.replay_window_ms},
                        {"tick_ms", t.cluster.tick_ms},
                        {"nodes", nodes},
                        {"columns", columns},
                        {"regions_version", layout.version}};
}

}  // namespace p3p::control
