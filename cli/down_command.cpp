// p3pctl down FILE [--run-dir DIR] [--timeout S]: SIGTERM every local node of the topology that `up`
// started (pid files in the run dir), wait, SIGKILL after the timeout, remove the pid files. The control
// node goes first (it writes the metrics dump on its way out).
#include <algorithm>
#include <iostream>
#include <vector>

#include "cli/cluster_args.hpp"
#include "cli/command.hpp"

namespace p3p::cli {
namespace {

struct DownArgs {
  std::string file;
  std::string run_dir = ".p3p";
  double timeout_s = 10.0;
};

int run_down(const DownArgs& args) {
  auto topo = load_topology(args.file);
  if (!topo) {
    std::cerr << topo.error() << '\n';
    return kExitFailed;
  }
  const RunDir run{args.run_dir};
  int stopped = 0;
  // The control node first: on its way out it gathers the cluster's metrics into the dump file, which
  // needs the others still up.
  std::vector<topology::Node> order = topo->nodes;
  if (topo->control)
    std::stable_partition(order.begin(), order.end(), [&](const topology::Node& n) { return n.id == topo->control->node; });
  for (const auto& n : order) {
    const auto pid_file = run.pid_file(topo->cluster.name, n.id);
    if (!std::filesystem::exists(pid_file)) continue;
    if (auto pid = live_node_pid(pid_file, n.id)) {
      const bool killed = stop_process(*pid, std::chrono::milliseconds(static_cast<std::int64_t>(args.timeout_s * 1000)));
      std::cout << n.id << ": stopped (pid " << *pid << (killed ? ", SIGKILL after the timeout" : "") << ")\n";
      ++stopped;
    } else {
      std::cout << n.id << ": not running (stale pid file removed)\n";
    }
    std::filesystem::remove(pid_file);
  }
  if (stopped == 0) std::cout << "cluster " << topo->cluster.name << ": no running node started from " << run.dir.string() << '\n';
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
