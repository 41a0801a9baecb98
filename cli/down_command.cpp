// p3pctl down FILE [--run-dir DIR] [--timeout S]: SIGTERM every local node of the topology, wait, SIGKILL
// after the timeout, remove the pid files. The control node goes first (it writes the metrics dump on its
// way out). The nodes are found by their pid files in the run dir - the one given, else the one `up` used
// (the cluster registry) - and, for a node that answers without one (started by hand or elsewhere), by the
// pid it reports in its status. Exit 1 when a local node that was asked to stop is still up.
#include <algorithm>
#include <iostream>
#include <map>
#include <vector>

#include "cli/cluster_args.hpp"
#include "cli/cluster_registry.hpp"
#include "cli/command.hpp"
#include "client/cluster_status.hpp"

namespace p3p::cli {
namespace {

struct DownArgs {
  std::string file;
  std::string run_dir = ".p3p";
  double timeout_s = 10.0;
};

// The pids the nodes of `t` report over the bus, by node id (only the nodes that answer).
std::map<std::string, pid_t> reported_pids(const topology::Topology& t) {
  std::map<std::string, pid_t> pids;
  auto client = control::NodeClient::open(t);
  if (!client) return pids;
  const auto status = control::cluster_status(t, **client, std::chrono::milliseconds(500));
  for (const auto& n : status["nodes"])
    if (n["state"] == "up" && n.contains("pid") && n["pid"].is_number_integer()) pids[n["id"]] = n["pid"].get<pid_t>();
  return pids;
}

// Where this node's process is: a pid file in one of the run dirs, else the pid it reported (a pid means
// something only on its own host).
std::optional<pid_t> find_node(const std::vector<RunDir>& runs, const std::string& cluster, const topology::Node& node,
                               const std::map<std::string, pid_t>& reported) {
  for (const auto& run : runs)
    if (auto pid = live_node_pid(run.pid_file(cluster, node.id), node.id)) return pid;
  const auto it = reported.find(node.id);
  if (it == reported.end() || !is_local_host(node.host)) return std::nullopt;
  return live_node_process(it->second, node.id);
}

int run_down(const DownArgs& args) {
  auto topo = load_topology(args.file);
  if (!topo) {
    std::cerr << topo.error() << '\n';
    return kExitFailed;
  }
  std::vector<RunDir> runs{RunDir{args.run_dir}};
  if (const auto registered = registered_cluster(topo->source); registered && registered->run_dir != std::filesystem::absolute(args.run_dir).lexically_normal())
    runs.push_back(RunDir{registered->run_dir});
  const auto reported = reported_pids(*topo);
  // The control node first: on its way out it gathers the cluster's metrics into the dump file, which
  // needs the others still up.
  std::vector<topology::Node> order = topo->nodes;
  if (topo->control)
    std::stable_partition(order.begin(), order.end(), [&](const topology::Node& n) { return n.id == topo->control->node; });
  int stopped = 0, still_up = 0;
  for (const auto& n : order) {
    if (auto pid = find_node(runs, topo->cluster.name, n, reported)) {
      const bool killed = stop_process(*pid, std::chrono::milliseconds(static_cast<std::int64_t>(args.timeout_s * 1000)));
      if (!has_exited(*pid)) {
        std::cerr << n.id << ": still running (pid " << *pid << ") after SIGKILL\n";
        ++still_up;
        continue;
      }
      std::cout << n.id << ": stopped (pid " << *pid << (killed ? ", SIGKILL after the timeout" : "") << ")\n";
      ++stopped;
    } else if (reported.count(n.id) && is_local_host(n.host)) {
      std::cerr << n.id << ": answers, but pid " << reported.at(n.id) << " is no p3p-node --node " << n.id
                << " here (another container or user?): not stopped\n";
      ++still_up;
      continue;
    }
    for (const auto& run : runs) std::filesystem::remove(run.pid_file(topo->cluster.name, n.id));
  }
  if (still_up > 0) return kExitFailed;
  unregister_cluster(topo->source);
  if (stopped == 0) std::cout << "cluster " << topo->cluster.name << ": no node of it is running here\n";
  return kExitOk;
}

}  // namespace

void add_down_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<DownArgs>();
  auto* sub = app.add_subcommand("down", "stop the local nodes of a topology (SIGTERM, then SIGKILL)");
  sub->add_option("file", args->file, "topology YAML file")->required();
  sub->add_option("--timeout", args->timeout_s, "seconds to wait after SIGTERM before SIGKILL")->capture_default_str();
  add_run_dir_option(*sub, args->run_dir);
  sub->callback([args, &exit_code] { exit_code = run_down(*args); });
}

}  // namespace p3p::cli
