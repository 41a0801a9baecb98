// p3pctl up FILE [--foreground] [--run-dir DIR] [--timeout S]: start one p3p-node per local node of the
// topology, wait until every node of the cluster is ready with its mesh connected, print the nodes.
// A cluster already up is left alone. On a timeout the nodes this call started are stopped again.
#include <signal.h>

#include <iostream>
#include <map>
#include <thread>

#include "cli/cluster_args.hpp"
#include "cli/cluster_registry.hpp"
#include "cli/cluster_views.hpp"
#include "client/cluster_status.hpp"
#include "cli/command.hpp"
#include "cli/output.hpp"

namespace p3p::cli {
using control::NodeClient;
using control::cluster_status;
namespace {

struct UpArgs {
  std::string file;
  std::string run_dir = ".p3p";
  bool foreground = false;
  double timeout_s = 20.0;
  Format format = Format::table;
};

// Up and part of the mesh. A node that (re)joined a cluster that ran on without it is up too, but the
// cluster waits for a snapshot load (printed as a hint): `up` has done its part.
bool ready(const nlohmann::json& node) {
  const std::string phase = node.value("node_state", std::string());
  return node["state"] == "up" && (phase == "idle" || phase == "running" || phase == "held" || phase == "needs_snapshot_load");
}

bool needs_load(const nlohmann::json& status) {
  for (const auto& n : status["nodes"])
    if (n.value("node_state", std::string()) == "needs_snapshot_load") return true;
  return false;
}

void stop_started(const std::map<std::string, pid_t>& started, const RunDir& run, const std::string& cluster) {
  for (const auto& [id, pid] : started) {
    stop_process(pid, std::chrono::seconds(5));
    std::filesystem::remove(run.pid_file(cluster, id));
  }
}

// Polls status until every node is ready; fails early if a node we started exits.
Expected<nlohmann::json, std::string> wait_ready(const topology::Topology& t, NodeClient& client,
                                                 const std::map<std::string, pid_t>& started, const RunDir& run,
                                                 std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  nlohmann::json last;
  while (std::chrono::steady_clock::now() < deadline) {
    for (const auto& [id, pid] : started)
      if (has_exited(pid))
        return unexpected("node " + id + " exited during start-up; its log (" + run.log_file(t.cluster.name, id).string() +
                          ") ends with:\n" + tail_of(run.log_file(t.cluster.name, id), 5));
    last = cluster_status(t, client, std::chrono::milliseconds(300));
    bool all = true;
    for (const auto& n : last["nodes"]) all = all && ready(n);
    if (all) return last;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::string not_ready;
  for (const auto& n : last["nodes"])
    if (!ready(n))
      not_ready += " " + n["id"].get<std::string>() + " (" + n["state"].get<std::string>() +
                   (n.contains("reason") ? ": " + n["reason"].get<std::string>() : "") + ")";
  return unexpected("cluster not ready within " + std::to_string(timeout.count() / 1000) + " s; not ready:" + not_ready);
}

Expected<std::map<std::string, pid_t>, std::string> start_missing(const topology::Topology& t, const nlohmann::json& status,
                                                                  const RunDir& run) {
  auto binary = find_node_binary();
  if (!binary) return unexpected(binary.error());
  std::map<std::string, pid_t> started;
  const auto topo_path = std::filesystem::absolute(t.source);
  for (std::size_t i = 0; i < t.nodes.size(); ++i) {
    const auto& n = t.nodes[i];
    if (!is_local_host(n.host) || status["nodes"][i]["state"] == "up") continue;
    if (live_node_pid(run.pid_file(t.cluster.name, n.id), n.id)) continue;  // started, not answering yet
    auto pid = spawn_node(*binary, topo_path, n.id, run.log_file(t.cluster.name, n.id));
    if (!pid) {
      stop_started(started, run, t.cluster.name);
      return unexpected(pid.error());
    }
    started[n.id] = *pid;
    if (auto w = write_text(run.pid_file(t.cluster.name, n.id), std::to_string(*pid) + "\n"); !w) {
      stop_started(started, run, t.cluster.name);
      return unexpected(w.error());
    }
  }
  return started;
}

int wait_for_stop_signal(const std::map<std::string, pid_t>& started, const RunDir& run, const std::string& cluster) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::cout << "running in the foreground; Ctrl-C stops the nodes started here" << std::endl;
  int sig = 0;
  sigwait(&set, &sig);
  stop_started(started, run, cluster);
  return kExitOk;
}

// Where the control port is and what to type next; `--topology FILE` only when the next command would not
// find this cluster by itself ($P3P_TOPOLOGY names another, or there is no registry).
void print_next_steps(std::ostream& out, const topology::Topology& t, const std::string& file) {
  const auto self = std::filesystem::absolute(t.source).lexically_normal();
  const std::string found = resolve_topology_file("", ".p3p");
  const bool implicit = !found.empty() && std::filesystem::absolute(found).lexically_normal() == self;
  const std::string topology_arg = implicit ? "" : " --topology " + file;
  out << '\n';
  if (t.control) out << "control port: " << t.control->host << ':' << t.control->port << '\n';
  out << "next: p3pctl demo" << topology_arg << "   (p3pctl status" << topology_arg << " shows the nodes; p3pctl down "
      << file << " stops them)\n";
}

int run_up(const UpArgs& args) {
  auto topo = load_topology(args.file);
  if (!topo) {
    std::cerr << topo.error() << '\n';
    return kExitFailed;
  }
  const RunDir run{args.run_dir};
  std::error_code ec;
  std::filesystem::create_directories(run.dir, ec);
  if (ec) {
    std::cerr << "p3pctl up: cannot create run dir " << run.dir << ": " << ec.message() << '\n';
    return kExitFailed;
  }
  auto client = NodeClient::open(*topo);
  if (!client) {
    std::cerr << "p3pctl up: " << client.error() << '\n';
    return kExitFailed;
  }
  const auto before = cluster_status(*topo, **client, std::chrono::milliseconds(300));
  auto started = start_missing(*topo, before, run);
  if (!started) {
    std::cerr << "p3pctl up: " << started.error() << '\n';
    return kExitFailed;
  }
  (void)write_text(run.topology_file(topo->cluster.name), std::filesystem::absolute(topo->source).string() + "\n");
  if (started->empty()) std::cout << "cluster " << topo->cluster.name << " is already up; nothing started\n";
  const auto timeout = std::chrono::milliseconds(static_cast<std::int64_t>(args.timeout_s * 1000));
  auto status = wait_ready(*topo, **client, *started, run, timeout);
  if (!status) {
    std::cerr << "p3pctl up: " << status.error() << "\n";
    if (!started->empty()) std::cerr << "stopping the " << started->size() << " node(s) started by this call\n";
    stop_started(*started, run, topo->cluster.name);
    return kExitFailed;
  }
  if (!started->empty()) register_cluster(topo->source, run.dir);  // a cluster already up keeps the run dir it has
  print_result(std::cout, args.format, *status, [&](std::ostream& out) {
    print_status_table(out, *status);
    print_next_steps(out, *topo, args.file);
  });
  if (needs_load(*status))
    std::cerr << "p3pctl up: the cluster ran on without a node that lost its state; it waits for a snapshot load: "
                 "p3pctl snapshot load latest\n";
  if (args.foreground) return wait_for_stop_signal(*started, run, topo->cluster.name);
  return kExitOk;
}

}  // namespace

void add_up_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<UpArgs>();
  auto* sub = app.add_subcommand("up", "start the local nodes of a topology and wait until the cluster is ready");
  sub->add_option("file", args->file, "topology YAML file")->required();
  sub->add_flag("--foreground", args->foreground, "stay attached; stop the nodes on Ctrl-C/SIGTERM");
  sub->add_option("--timeout", args->timeout_s, "seconds to wait for the cluster to be ready")->capture_default_str();
  add_run_dir_option(*sub, args->run_dir);
  add_output_option(*sub, args->format);
  sub->callback([args, &exit_code] { exit_code = run_up(*args); });
}

}  // namespace p3p::cli
