#include "nodes/control/cluster_commands.hpp"

#include <chrono>
#include <functional>

#include "client/cluster_status.hpp"
#include "common/closest_match.hpp"
#include "nodes/control/metrics_dump.hpp"

namespace p3p::control {
namespace {


bool runs_cortex(const topology::Node& n) {
  for (const topology::Module m : n.modules)
    if (m == topology::Module::cortex7) return true;
  return false;
}

Failure no_column(const std::string& id) { return {ErrorCode::unknown_column, "no column '" + id + "' in the topology"}; }

}  // namespace

CommandResult status_with_regions(CommandContext& cx) {
  nlohmann::json s = cluster_status(cx.topo, cx.client);
  const nlohmann::json layout = cx.regions.get().describe();
  s["regions"] = layout["regions"];
  s["regions_version"] = layout["version"];
  return s;
}

CommandResult to_cortex_nodes(CommandContext& cx, const node_api::NodeCall& call, const char* arg, const char* summed) {
  nlohmann::json reached = nlohmann::json::array();
  std::uint64_t total = 0;
  for (const auto& n : cx.topo.nodes) {
    if (!runs_cortex(n)) continue;
    auto r = cx.client.call(n, call, kRequestTimeout);
    if (!r) return unexpected(Failure{r.error().code, r.error().message + " (nodes reached before: " + reached.dump() + ")"});
    reached.push_back(n.id);
    if (summed && r->contains(summed)) total += (*r)[summed].get<std::uint64_t>();
  }
  nlohmann::json out = {{arg, call.body.at(arg)}, {"nodes", reached}};
  if (summed) out[summed] = total;
  return out;
}

CommandResult to_every_node(CommandContext& cx, const node_api::NodeCall& call) {
  nlohmann::json replies = nlohmann::json::object();
  for (const auto& n : cx.topo.nodes) {
    auto r = cx.client.call(n, call, kRequestTimeout);
    if (!r) return unexpected(Failure{r.error().code, r.error().message + " (nodes reached before: " + replies.dump() + ")"});
    replies[n.id] = *r;
  }
  return nlohmann::json{{"nodes", replies}};
}

CommandResult column_weights(CommandContext& cx, const std::string& column) {
  const topology::Column* c = topology::find_column(cx.topo, column);
  if (!c) return unexpected(no_column(column));
  return cx.client.call(*topology::find_node(cx.topo, c->node), node_api::weights(column), kRequestTimeout);
}

CommandResult write_weights(CommandContext& cx, const std::string& column, const std::string& from, const nlohmann::json& synapses) {
  const topology::Column* c = topology::find_column(cx.topo, column);
  if (!c) return unexpected(no_column(column));
  if (!topology::find_column(cx.topo, from)) return unexpected(no_column(from));
  return cx.client.call(*topology::find_node(cx.topo, c->node), node_api::set_weights(column, from, synapses), kRequestTimeout);
}

namespace {

// `call` of each node's columns of region `name`, node by node (the current layout: update_regions
// regroups), to every node holding some: {region, columns, nodes}. A node failing after others were asked
// is named with the columns done before.
CommandResult to_region_nodes(CommandContext& cx, const std::string& command, const std::string& name,
                              const std::function<node_api::NodeCall(const std::vector<std::string>&)>& call) {
  const RegionLayout layout = cx.regions.get();
  const RegionLayout::Region* region = layout.find(name);
  if (!region) return unexpected(Failure{ErrorCode::unknown_region, layout.unknown_region(name)});
  nlohmann::json done = nlohmann::json::array(), nodes = nlohmann::json::array();
  for (const topology::Node& n : cx.topo.nodes) {
    std::vector<std::string> columns;
    for (const topology::Column* c : region->columns)
      if (c->node == n.id) columns.push_back(c->id);
    if (columns.empty()) continue;
    auto r = cx.client.call(n, call(columns), kRequestTimeout);
    if (!r)
      return unexpected(Failure{r.error().code, command + " " + name + " on " + n.id + ": " + r.error().message +
                                                    " (columns done before: " + done.dump() + ")"});
    for (const std::string& c : columns) done.push_back(c);
    nodes.push_back(n.id);
  }
  return nlohmann::json{{"region", name}, {"columns", done}, {"nodes", nodes}};
}

}  // namespace

CommandResult reset_region(CommandContext& cx, const std::string& name, bool weights) {
  auto r = to_region_nodes(cx, "reset_region", name, [weights](const auto& columns) { return node_api::reset(columns, weights); });
  if (r) (*r)["weights"] = weights;
  return r;
}

CommandResult reward_region(CommandContext& cx, const std::string& name, double value) {
  auto r = to_region_nodes(cx, "reward_global", name, [value](const auto& columns) { return node_api::reward(value, columns); });
  if (r) (*r)["value"] = value;
  return r;
}

CommandResult echo_node(CommandContext& cx, const std::string& node) {
  const topology::Node* n = topology::find_node(cx.topo, node);
  if (!n) {
    std::vector<std::string_view> ids;
    for (const topology::Node& x : cx.topo.nodes) ids.push_back(x.id);
    return unexpected(Failure{ErrorCode::unknown_node, "no node '" + node.substr(0, 128) + "' in the topology" + did_you_mean(node, ids)});
  }
  const auto sent = std::chrono::steady_clock::now();
  auto r = cx.client.call(*n, node_api::ping(0), kRequestTimeout);
  if (!r) return unexpected(r.error());
  const auto rtt = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - sent).count();
  return nlohmann::json{{"node", node}, {"rtt_us", rtt}};
}

// Each node checks and holds the new layout (prepare); only when all have, each applies it (commit,
// which cannot fail on a node that prepared). A node failing to prepare gets the others an abort. A node
// that vanishes between the phases is reported (error partial_update, naming who applied); it comes back
// with the topology's layout and, as any restarted node, needs a snapshot load.
CommandResult update_regions(CommandContext& cx, const nlohmann::json& regions) {
  const RegionLayout current = cx.regions.get();
  auto layout = parse_region_layout(cx.topo, regions, current.version + 1);
  if (!layout) return unexpected(layout.error());
  const node_api::NodeCall prepare = node_api::regions_prepare(layout->version, layout->to_argument());
  std::vector<const topology::Node*> prepared;
  for (const auto& n : cx.topo.nodes) {
    auto r = cx.client.call(n, prepare, kRequestTimeout);
    if (!r) {
      for (const topology::Node* p : prepared) (void)cx.client.call(*p, node_api::regions_abort(layout->version), kRequestTimeout);
      return unexpected(Failure{r.error().code, "update_regions: " + n.id + " refused the new regions, nothing changed: " +
                                                    r.error().message});
    }
    prepared.push_back(&n);
  }
  nlohmann::json applied = nlohmann::json::array(), failed = nlohmann::json::array();
  for (const topology::Node* n : prepared) {
    if (cx.client.call(*n, node_api::regions_commit(layout->version), kRequestTimeout)) applied.push_back(n->id);
    else failed.push_back(n->id);
  }
  cx.regions.set(*layout);
  if (!failed.empty())
    return unexpected(Failure{ErrorCode::partial_update, "update_regions: version " + std::to_string(layout->version) +
                                                             " applied on " + applied.dump() + " but " + failed.dump() +
                                                             " stopped answering between prepare and commit"});
  nlohmann::json names = nlohmann::json::array();
  for (const auto& r : layout->regions) names.push_back(r.name);
  return nlohmann::json{{"version", layout->version}, {"regions", names}, {"nodes", applied}};
}

CommandResult gather_metrics(CommandContext& cx, bool neurons, bool dump) {
  nlohmann::json result = gather_cluster_metrics(cx.topo, &cx.client, neurons, kRequestTimeout);
  if (dump) {
    auto written = write_metrics_dump(cx.topo.metrics.dump_path, result);
    if (!written) return unexpected(Failure{ErrorCode::io_error, written.error()});
    result["dump"] = cx.topo.metrics.dump_path.string();
  }
  return result;
}

}  // namespace p3p::control
