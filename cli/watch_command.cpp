// p3pctl watch [spikes] [--region R] [--node N] [--count C] [--timeout S] [--topology FILE]
// Subscribes to every node's telemetry (PUB) and prints one JSON object per line, until interrupted, C
// messages were printed, or S seconds passed. Every message is verified (signature, replay) before it is
// shown. Published so far: `spikes` (telemetry_format.hpp); metrics and events come with the rest of the
// control issue.
#include <iostream>
#include <memory>

#include "bus/inbox.hpp"
#include "bus/key_file.hpp"
#include "bus/sockets.hpp"
#include "cli/cluster_args.hpp"
#include "cli/command.hpp"
#include "nodes/control/telemetry_format.hpp"

namespace p3p::cli {
namespace {

struct WatchArgs {
  std::string kind = "spikes";
  std::string region, node, topology, run_dir = ".p3p";
  long count = 0;
  double timeout_s = 0;
};

int run_watch(const WatchArgs& a) {
  const std::string file = resolve_topology_file(a.topology, a.run_dir);
  if (file.empty()) {
    std::cerr << "p3pctl watch: no topology: give --topology FILE, set P3P_TOPOLOGY, or bring a cluster up first\n";
    return kExitUsage;
  }
  auto topo = load_topology(file);
  if (!topo) {
    std::cerr << topo.error() << '\n';
    return kExitFailed;
  }
  if (!a.node.empty() && !topology::find_node(*topo, a.node)) {
    std::cerr << "p3pctl watch: no node '" << a.node << "' in " << file << '\n';
    return kExitFailed;
  }
  auto key = bus::load_key(topo->cluster.key_file);
  if (!key) {
    std::cerr << "p3pctl watch: cluster key: " << key.error().message << '\n';
    return kExitFailed;
  }
  bus::InboxConfig config;
  config.cluster_id = topo->cluster.name;
  for (const auto& n : topo->nodes) config.guard.known_senders.push_back(n.id);
  config.guard.clock_window_ns = std::uint64_t{topo->cluster.replay_window_ms} * 1'000'000;
  bus::Inbox inbox(key->bytes(), config);
  const control::ColumnIndex index(*topo);

  zmq::context_t context(1);
  bus::SocketOptions options;
  options.receive_hwm = 100000;
  bus::Sub sub(context, options);
  for (const auto& n : topo->nodes) {
    const std::string host = n.host == "localhost" ? "127.0.0.1" : n.host;
    if (auto c = sub.connect("tcp://" + host + ":" + std::to_string(n.pub_port)); !c) {
      std::cerr << "p3pctl watch: " << c.error().message << '\n';
      return kExitFailed;
    }
  }
  sub.subscribe(a.kind + "." + a.node);  // "spikes." = every node's
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(static_cast<long>(a.timeout_s * 1000));
  long printed = 0;
  while (a.count == 0 || printed < a.count) {
    auto left = std::chrono::milliseconds(500);
    if (a.timeout_s > 0) {
      left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) break;
    }
    auto msg = sub.receive(left);
    if (!msg) continue;
    auto env = inbox.accept(msg->frame_bytes());
    if (!env || env->target_module != "telemetry" || env->kind != a.kind) continue;  // not authentic, or not ours
    auto body = control::decode_spikes(index, env->body, a.region);
    if (!body || ((*body)["columns"].empty() && !a.region.empty())) continue;
    (*body)["kind"] = a.kind;
    (*body)["node"] = std::string(env->sender);
    std::cout << body->dump() << std::endl;
    ++printed;
  }
  return kExitOk;
}

}  // namespace

void add_watch_command(CLI::App& app, int& exit_code) {
  auto a = std::make_shared<WatchArgs>();
  auto* sub = app.add_subcommand("watch", "print the cluster's telemetry as JSON lines (spikes per node, column, region)");
  sub->add_option("kind", a->kind, "what to watch (published so far: spikes)")->check(CLI::IsMember({"spikes"}))->capture_default_str();
  sub->add_option("--region", a->region, "only spikes of this region's columns");
  sub->add_option("--node", a->node, "only this node's messages");
  sub->add_option("--count", a->count, "stop after this many messages (0 = never)")->check(CLI::NonNegativeNumber);
  sub->add_option("--timeout", a->timeout_s, "stop after this many seconds (0 = never)")->check(CLI::NonNegativeNumber);
  sub->add_option("--topology", a->topology, "topology YAML file (default: $P3P_TOPOLOGY, then the cluster last brought up)");
  add_run_dir_option(*sub, a->run_dir);
  sub->callback([a, &exit_code] { exit_code = run_watch(*a); });
}

}  // namespace p3p::cli
