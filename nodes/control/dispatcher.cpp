#include "nodes/control/dispatcher.hpp"

#include <chrono>

#include "client/cluster_status.hpp"
#include "client/metrics_format.hpp"
#include "nodes/control/cluster_demo.hpp"
#include "nodes/control/cluster_edit.hpp"
#include "nodes/control/cluster_snapshot.hpp"
#include "nodes/control/metrics_dump.hpp"

namespace p3p::control {
namespace {

constexpr auto kRequestTimeout = std::chrono::milliseconds(2000);

bool runs_cortex(const topology::Node& n) {
  for (const topology::Module m : n.modules)
    if (m == topology::Module::cortex7) return true;
  return false;
}

}  // namespace

Expected<nlohmann::json, Failure> Dispatcher::execute(const Request& r) {
  const std::string& cmd = r.cmd;
  if (cmd == "list_commands") return describe_commands();
  if (cmd == "status") return status();
  if (cmd == "run_demo") {
    DemoPlan plan;
    plan.stim_cycles = r.args["stim_cycles"].get<int>();
    plan.advance_ticks = r.args["advance_ticks"].get<int>();
    plan.cancel = cancel_;
    return run_demo(topo_, regions_.get(), client_, plan);
  }
  if (cmd == "stimulate_region") return stimulate_region(r.args);
  if (cmd == "advance") {
    DemoPlan plan;
    plan.regions.clear();
    plan.stim_cycles = 0;
    plan.advance_ticks = static_cast<int>(r.args["ticks"].get<std::int64_t>());
    // No bound on the run's length (status stays served meanwhile, `pause` stops it), only on its progress.
    plan.stall = std::chrono::seconds(r.args["stall_s"].get<std::int64_t>());
    plan.cancel = cancel_;
    auto report = run_demo(topo_, regions_.get(), client_, plan);
    if (!report) return report;
    for (const char* key : {"regions", "stim_cycles", "pattern", "pattern_len", "stimulations", "advance_ticks"}) report->erase(key);
    report->emplace("ticks", r.args["ticks"]);
    return report;
  }
  if (cmd == "reward_global") return broadcast("reward", "value", r.args["value"].get<double>(), nullptr);
  if (cmd == "debug_low_thresholds")
    return broadcast("set_thresholds", "threshold", r.args["threshold"].get<double>(), "changed");
  if (cmd == "echo") return echo(r.args["node"].get<std::string>());
  if (cmd == "pause" || cmd == "resume") return to_every_node("runtime", "pause", {{"paused", cmd == "pause"}});
  if (cmd == "set_pacing") return to_every_node("runtime", "set_pacing", {{"tick_ms", r.args["tick_ms"]}});
  if (cmd == "get_weights") return weights(r.args["column"].get<std::string>());
  if (cmd == "set_weights") return set_weights(topo_, client_, r.args);
  if (cmd == "reset_region") return reset_region(topo_, regions_.get(), client_, r.args);
  if (cmd == "update_regions") return update_regions(r.args["regions"]);
  if (cmd == "snapshot") return take_snapshot(topo_, client_, r.args["reason"].get<std::string>());
  if (cmd == "load_snapshot") return load_snapshot(topo_, client_, regions_, r.args["path"].get<std::string>());
  if (cmd == "list_snapshots") return list_snapshots(topo_);
  if (cmd == "metrics") return metrics(r.args["neurons"].get<bool>(), r.args["dump"].get<bool>());
  if (cmd == "prune_snapshots") return prune_snapshots(topo_, client_, r.args["keep"].get<std::size_t>());
  return unexpected(Failure{ErrorCode::not_implemented, cmd + " is in the command table but has no handler"});
}

Expected<nlohmann::json, Failure> Dispatcher::status() {
  nlohmann::json s = cluster_status(topo_, client_);
  const nlohmann::json layout = regions_.get().describe();
  s["regions"] = layout["regions"];
  s["regions_version"] = layout["version"];
  return s;
}

Expected<nlohmann::json, Failure> Dispatcher::stimulate_region(const nlohmann::json& args) {
  DemoPlan plan;
  plan.regions = {args["region"].get<std::string>()};
  plan.stim_cycles = 1;
  plan.advance_ticks = 0;
  plan.pattern = args["pattern"];
  plan.pattern_len = args["pattern_len"].get<int>();
  if (args.contains("column")) plan.column = args["column"].get<std::string>();
  plan.cancel = cancel_;
  auto report = run_demo(topo_, regions_.get(), client_, plan);
  if (!report) return report;
  for (const char* key : {"regions", "stim_cycles", "advance_ticks"}) report->erase(key);
  report->emplace("region", args["region"]);
  return report;
}

// One request to every node running cortex7; all must answer. `summed`: a result field to add up.
Expected<nlohmann::json, Failure> Dispatcher::broadcast(const char* kind, const char* arg, double value, const char* summed) {
  nlohmann::json reached = nlohmann::json::array();
  std::uint64_t total = 0;
  for (const auto& n : topo_.nodes) {
    if (!runs_cortex(n)) continue;
    auto r = client_.request(n, "cortex7", kind, {{arg, value}}, kRequestTimeout);
    if (!r) return unexpected(Failure{r.error().code, r.error().message + " (nodes reached before: " + reached.dump() + ")"});
    reached.push_back(n.id);
    if (summed && r->contains(summed)) total += (*r)[summed].get<std::uint64_t>();
  }
  nlohmann::json out = {{arg, value}, {"nodes", reached}};
  if (summed) out[summed] = total;
  return out;
}

// One request to every node; all must answer. The result: each node's reply by node id.
Expected<nlohmann::json, Failure> Dispatcher::to_every_node(const char* module, const char* kind, const nlohmann::json& body) {
  nlohmann::json replies = nlohmann::json::object();
  for (const auto& n : topo_.nodes) {
    auto r = client_.request(n, module, kind, body, kRequestTimeout);
    if (!r) return unexpected(Failure{r.error().code, r.error().message + " (nodes reached before: " + replies.dump() + ")"});
    replies[n.id] = *r;
  }
  return nlohmann::json{{"nodes", replies}};
}

Expected<nlohmann::json, Failure> Dispatcher::weights(const std::string& column) {
  const topology::Column* c = topology::find_column(topo_, column);
  if (!c) return unexpected(Failure{ErrorCode::unknown_column, "no column '" + column + "' in the topology"});
  auto r = client_.request(*topology::find_node(topo_, c->node), "cortex7", "weights", {{"column", column}}, kRequestTimeout);
  if (!r) return unexpected(r.error());
  return *r;
}

Expected<nlohmann::json, Failure> Dispatcher::echo(const std::string& node) {
  const topology::Node* n = topology::find_node(topo_, node);
  if (!n) return unexpected(Failure{ErrorCode::unknown_node, "no node '" + node + "' in the topology"});
  const auto sent = std::chrono::steady_clock::now();
  auto r = client_.request(*n, "echo", "ping", {{"sent_ns", 0}}, kRequestTimeout);
  if (!r) return unexpected(r.error());
  const auto rtt = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - sent).count();
  return nlohmann::json{{"node", node}, {"rtt_us", rtt}};
}

}  // namespace p3p::control

namespace p3p::control {

// Two phases, so the layout changes on every node or on none: each node checks and holds the new layout
// (prepare); only when all have, each applies it (commit, which cannot fail on a node that prepared). A
// node failing to prepare gets the others an abort. A node that vanishes between the phases is reported
// (error partial_update, naming who applied); it comes back with the topology's layout and, as any
// restarted node, needs a snapshot load.
Expected<nlohmann::json, Failure> Dispatcher::update_regions(const nlohmann::json& regions) {
  const RegionLayout current = regions_.get();
  auto layout = parse_region_layout(topo_, regions, current.version + 1);
  if (!layout) return unexpected(layout.error());
  const nlohmann::json prepare = {{"phase", "prepare"}, {"version", layout->version}, {"regions", layout->to_argument()}};
  const nlohmann::json abort = {{"phase", "abort"}, {"version", layout->version}};
  std::vector<const topology::Node*> prepared;
  for (const auto& n : topo_.nodes) {
    auto r = client_.request(n, "runtime", "regions", prepare, kRequestTimeout);
    if (!r) {
      for (const topology::Node* p : prepared) (void)client_.request(*p, "runtime", "regions", abort, kRequestTimeout);
      return unexpected(Failure{r.error().code, "update_regions: " + n.id + " refused the new regions, nothing changed: " +
                                                    r.error().message});
    }
    prepared.push_back(&n);
  }
  const nlohmann::json commit = {{"phase", "commit"}, {"version", layout->version}};
  nlohmann::json applied = nlohmann::json::array(), failed = nlohmann::json::array();
  for (const topology::Node* n : prepared) {
    if (client_.request(*n, "runtime", "regions", commit, kRequestTimeout)) applied.push_back(n->id);
    else failed.push_back(n->id);
  }
  regions_.set(*layout);
  if (!failed.empty())
    return unexpected(Failure{ErrorCode::partial_update, "update_regions: version " + std::to_string(layout->version) +
                                                             " applied on " + applied.dump() + " but " + failed.dump() +
                                                             " stopped answering between prepare and commit"});
  nlohmann::json names = nlohmann::json::array();
  for (const auto& r : layout->regions) names.push_back(r.name);
  return nlohmann::json{{"version", layout->version}, {"regions", names}, {"nodes", applied}};
}

}  // namespace p3p::control

namespace p3p::control {

Expected<nlohmann::json, Failure> Dispatcher::metrics(bool neurons, bool dump) {
  nlohmann::json per_node = nlohmann::json::object();
  for (const auto& n : topo_.nodes) {
    auto r = client_.request(n, "runtime", "metrics", {{"neurons", neurons}}, kRequestTimeout);
    per_node[n.id] = r ? *r : nlohmann::json(r.error().text());
  }
  nlohmann::json result = cluster_metrics(topo_.cluster.name, per_node);
  if (dump) {
    auto written = write_metrics_dump(topo_.metrics.dump_path, result);
    if (!written) return unexpected(Failure{ErrorCode::io_error, written.error()});
    result["dump"] = topo_.metrics.dump_path.string();
  }
  return result;
}

}  // namespace p3p::control
