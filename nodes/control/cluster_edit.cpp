#include "nodes/control/cluster_edit.hpp"

#include <chrono>

namespace p3p::control {
namespace {

constexpr auto kRequestTimeout = std::chrono::milliseconds(2000);

Failure no_column(const std::string& id) { return {ErrorCode::unknown_column, "no column '" + id + "' in the topology"}; }

}  // namespace

Expected<nlohmann::json, Failure> set_weights(const topology::Topology& t, NodeClient& client, const nlohmann::json& args) {
  const auto column = args["column"].get<std::string>();
  const auto from = args["from"].get<std::string>();
  const topology::Column* c = topology::find_column(t, column);
  if (!c) return unexpected(no_column(column));
  if (!topology::find_column(t, from)) return unexpected(no_column(from));
  return client.call(*topology::find_node(t, c->node), node_api::set_weights(column, from, args["synapses"]), kRequestTimeout);
}

Expected<nlohmann::json, Failure> reset_region(const topology::Topology& t, const RegionLayout& layout, NodeClient& client,
                                               const nlohmann::json& args) {
  const auto name = args["region"].get<std::string>();
  const bool weights = args["weights"].get<bool>();
  const RegionLayout::Region* region = layout.find(name);
  if (!region) return unexpected(Failure{ErrorCode::unknown_region, "no region '" + name + "' in the cluster's regions"});
  nlohmann::json reset = nlohmann::json::array(), nodes = nlohmann::json::array();
  for (const topology::Node& n : t.nodes) {
    std::vector<std::string> columns;
    for (const topology::Column* c : region->columns)
      if (c->node == n.id) columns.push_back(c->id);
    if (columns.empty()) continue;
    auto r = client.call(n, node_api::reset(columns, weights), kRequestTimeout);
    if (!r)
      return unexpected(Failure{r.error().code, "reset_region " + name + " on " + n.id + ": " + r.error().message +
                                                    " (columns reset before: " + reset.dump() + ")"});
    for (const std::string& c : columns) reset.push_back(c);
    nodes.push_back(n.id);
  }
  return nlohmann::json{{"region", name}, {"weights", weights}, {"columns", reset}, {"nodes", nodes}};
}

}  // namespace p3p::control
