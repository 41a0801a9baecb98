// p3pctl watch [spikes|metrics|events] [--region R] [--node N] [--count C] [--timeout S]
//              [--subscribe-timeout W] [--topology FILE]
// Subscribes to every node's telemetry (PUB), or one node's, waits until each node has answered the
// subscription (at most W seconds), says so on stderr as {"kind": "subscribed", "nodes", "missing"}, and
// from then on prints one JSON object per line, until interrupted, C messages were printed, or S seconds
// passed. A node answering later (it was down, or restarted) gets a subscribed line of its own. Every
// message is verified (signature, replay) before it is shown (telemetry_format.hpp). Spike batches carry
// a per-node sequence number: a gap (a subscriber too slow, messages dropped by the publisher) is
// reported as {"kind": "gap", "node", "missed"} rather than hidden.
#include <iostream>
#include <memory>

#include "bus/key_file.hpp"
#include "cli/choices.hpp"
#include "cli/cluster_args.hpp"
#include "cli/command.hpp"
#include "client/msgpack_body.hpp"
#include "client/spike_gaps.hpp"
#include "client/telemetry_format.hpp"
#include "client/telemetry_subscriber.hpp"

namespace p3p::cli {
namespace {

using control::Telemetry;
using control::TelemetrySubscriber;

struct WatchArgs {
  std::string kind = "spikes";
  std::string region, node, topology, run_dir = ".p3p";
  long count = 0;
  double timeout_s = 0;
  double subscribe_timeout_s = 5;
};

// A metrics or event body (a msgpack map) as JSON; for metrics with a region, only that region's counts.
Expected<nlohmann::json, std::string> decode_map(bus::ByteView body, const std::string& region, bool metrics) {
  auto decoded = control::decode_body(body);
  if (!decoded) return unexpected(decoded.error().message);
  nlohmann::json out = std::move(*decoded);
  if (!out.is_object()) return unexpected(std::string("not a map"));
  if (metrics && !region.empty() && out.contains("regions") && out["regions"].is_object()) {
    const nlohmann::json counts = out["regions"].value(region, nlohmann::json(nullptr));
    out["regions"] = counts.is_null() ? nlohmann::json::object() : nlohmann::json{{region, counts}};
    nlohmann::json columns = nlohmann::json::object();
    const nlohmann::json all = out.value("columns", nlohmann::json::object());
    for (const auto& [id, c] : all.items())
      if (c.is_object() && c.value("region", "") == region) columns[id] = c;
    out["columns"] = columns;
  }
  return out;
}

// A subscription line on stderr (machine-readable: scripts and tests wait for it before acting).
void print_subscribed(const std::vector<std::string>& nodes, const std::vector<std::string>& missing) {
  std::cerr << nlohmann::json{{"kind", "subscribed"}, {"nodes", nodes}, {"missing", missing}}.dump() << std::endl;
}

// Prints one message; false when it was not printed (a quiet spike batch, an undecodable body).
bool print_message(const WatchArgs& a, const control::ColumnIndex& index, const Telemetry& t, control::SpikeGaps& gaps) {
  const std::string node = t.node();
  auto body = a.kind == "spikes" ? control::decode_spikes(index, t.env.body, a.region)
                                 : decode_map(t.env.body, a.region, a.kind == "metrics");
  if (!body) return false;
  if (a.kind == "spikes") {
    if (const auto missed = gaps.missed(node, (*body)["seq"].get<std::uint64_t>()))
      std::cout << nlohmann::json{{"kind", "gap"}, {"node", node}, {"missed", missed}}.dump() << std::endl;
    if ((*body)["columns"].empty()) return false;  // a quiet stretch (or none of the region's spikes)
  }
  (*body)["kind"] = a.kind;
  (*body)["node"] = node;
  std::cout << body->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << std::endl;
  return true;
}

int run_watch(const WatchArgs& a) {
  if (a.kind == "events" && !a.region.empty()) {
    std::cerr << "p3pctl watch: --region filters spikes and metrics; events are not per region\n";
    return kExitUsage;
  }
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
  std::vector<std::string> nodes;
  for (const auto& n : topo->nodes)
    if (a.node.empty() || n.id == a.node) nodes.push_back(n.id);
  bus::SocketOptions options;
  options.receive_hwm = 100000;
  auto sub = TelemetrySubscriber::open(*topo, *key, nodes, {a.kind + "." + a.node}, options);  // "spikes." = every node's
  if (!sub) {
    std::cerr << "p3pctl watch: " << sub.error() << '\n';
    return kExitFailed;
  }
  // Nothing is printed before every node has answered (or the wait ran out): what came earlier is what
  // the subscription may or may not have caught, and --count and --timeout count from here.
  (*sub)->wait_subscribed(std::chrono::milliseconds(static_cast<long>(a.subscribe_timeout_s * 1000)));
  print_subscribed((*sub)->subscribed(), (*sub)->missing());
  if ((*sub)->subscribed().empty()) {
    std::cerr << "p3pctl watch: no node answered the subscription within " << a.subscribe_timeout_s
              << " s: is the cluster up?\n";
    return kExitFailed;
  }
  const control::ColumnIndex index(*topo);
  control::SpikeGaps gaps;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(static_cast<long>(a.timeout_s * 1000));
  long printed = 0;
  Telemetry t;
  while (a.count == 0 || printed < a.count) {
    auto left = std::chrono::milliseconds(500);
    if (a.timeout_s > 0) {
      left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) break;
    }
    switch ((*sub)->next(t, left)) {
      case TelemetrySubscriber::Got::nothing:
        break;
      case TelemetrySubscriber::Got::subscribed:  // a node that was down, or restarted: a new process
        gaps.forget(t.node());
        print_subscribed({t.node()}, (*sub)->missing());
        break;
      case TelemetrySubscriber::Got::message:
        if (t.env.kind == (a.kind == "events" ? "event" : a.kind) && print_message(a, index, t, gaps)) ++printed;
        break;
    }
  }
  return kExitOk;
}

}  // namespace

void add_watch_command(CLI::App& app, int& exit_code) {
  auto a = std::make_shared<WatchArgs>();
  auto* sub = app.add_subcommand("watch", "print the cluster's telemetry as JSON lines: spikes, metrics (1/s) or events");
  sub->add_option("kind", a->kind, "spikes (per node, column, region), metrics (once a second per node) or events")
      ->transform(one_of({"spikes", "metrics", "events"}))
      ->capture_default_str();
  sub->add_option("--region", a->region, "only this region's spikes or counts");
  sub->add_option("--node", a->node, "only this node's messages");
  sub->add_option("--count", a->count, "stop after this many messages (0 = never)")->check(CLI::NonNegativeNumber);
  sub->add_option("--timeout", a->timeout_s, "stop this many seconds after subscribing (0 = never)")->check(CLI::NonNegativeNumber);
  sub->add_option("--subscribe-timeout", a->subscribe_timeout_s,
                  "wait at most this many seconds for every node to answer the subscription")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  sub->add_option("--topology", a->topology, "topology YAML file (default: $P3P_TOPOLOGY, then the cluster last brought up)");
  add_run_dir_option(*sub, a->run_dir);
  sub->callback([a, &exit_code] { exit_code = run_watch(*a); });
}

}  // namespace p3p::cli
