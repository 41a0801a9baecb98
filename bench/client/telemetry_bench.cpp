#include "bench/client/telemetry_bench.hpp"

#include <fstream>
#include <thread>

#include "bus/free_port.hpp"
#include "bus/key_file.hpp"
#include "cli/cluster_args.hpp"
#include "cli/local_nodes.hpp"
#include "client/node_client.hpp"
#include "client/spike_gaps.hpp"
#include "client/telemetry_format.hpp"
#include "client/telemetry_subscriber.hpp"

namespace p3p::cli {
namespace {

using Clock = std::chrono::steady_clock;
using control::Telemetry;
using control::TelemetrySubscriber;

Expected<std::string, std::string> bench_topology(const TelemetryBenchConfig& c, int router, int pub) {
  if (!router || !pub) return unexpected(std::string("cannot find a free port on 127.0.0.1"));
  return "cluster: {name: p3p-telemetry-bench, key_file: cluster.key, tick_ms: " + std::to_string(c.tick_ms) +
         "}\n"
         "neuron_params:\n  default: {baseline: 1.5}   # above the threshold (1.0): every neuron fires every tick\n"
         "nodes:\n  - {id: n1, host: 127.0.0.1, router_port: " + std::to_string(router) + ", pub_port: " + std::to_string(pub) +
         ", modules: [logger, cortex7, mesh]}\n"
         "regions:\n  - name: burst\n    columns:\n      - {id: all, node: n1, size: " + std::to_string(c.neurons) + "}\n";
}

Expected<nlohmann::json, std::string> node_status(control::NodeClient& client, const topology::Node& n) {
  auto s = client.call(n, node_api::status(), std::chrono::seconds(5));
  if (!s) return unexpected(s.error().text());
  return *s;
}

}  // namespace

Expected<nlohmann::json, std::string> run_telemetry_bench(const TelemetryBenchConfig& c) {
  if (c.neurons < 1 || c.ticks < 1) return unexpected(std::string("--neurons and --ticks must be at least 1"));
  auto binary = find_node_binary();
  if (!binary) return unexpected(binary.error());
  ScratchDir dir;
  if (dir.path.empty()) return unexpected(std::string("cannot create a temporary directory"));
  if (auto k = bus::write_new_key(dir.path / "cluster.key", false); !k) return unexpected(k.error().message);
  auto yaml = bench_topology(c, bus::free_loopback_port(), bus::free_loopback_port());
  if (!yaml) return unexpected(yaml.error());
  const auto topo_file = dir.path / "bench.yaml";
  std::ofstream(topo_file) << *yaml;
  auto topo = load_topology(topo_file.string());
  if (!topo) return unexpected("bench topology: " + topo.error());
  const topology::Node& node = topo->nodes.front();
  auto client = control::NodeClient::open(*topo);
  if (!client) return unexpected(client.error());
  auto key = bus::load_key(topo->cluster.key_file);
  if (!key) return unexpected(key.error().message);

  StartedNodes started;
  const RunDir run{dir.path};
  auto pid = spawn_node(*binary, topo_file, node.id, run.log_file(topo->cluster.name, node.id), {"--log-level", "warn"}, true);
  if (!pid) return unexpected(pid.error());
  started.pids[node.id] = *pid;

  // One subscriber (default socket settings), subscribed before anything runs: the node's marker says the
  // subscription is in place, so every batch from tick 0 on reaches it.
  auto sub = TelemetrySubscriber::open(*topo, *key, {node.id}, {"spikes."});
  if (!sub) return unexpected(sub.error());
  const control::ColumnIndex index(*topo);
  const auto deadline = Clock::now() + c.timeout;
  while (!(*sub)->wait_subscribed(std::chrono::milliseconds(200)))
    if (Clock::now() > deadline || has_exited(*pid))
      return unexpected("the node did not come up; its log ends with:\n" + tail_of(run.log_file(topo->cluster.name, node.id), 5));

  const auto t0 = Clock::now();
  if (auto r = (*client)->call(node, node_api::run_until(c.ticks), std::chrono::seconds(5)); !r)
    return unexpected("run_until: " + r.error().text());
  std::uint64_t received = 0, batches = 0, lost_batches = 0, tick_gaps = 0;
  control::SpikeGaps gaps;
  std::int64_t covered_to = 0;  // the ticks seen so far: [0, covered_to)
  Clock::time_point last_at = t0;
  Telemetry t;
  while (covered_to < c.ticks && Clock::now() < deadline) {
    const auto got = (*sub)->next(t, std::chrono::milliseconds(500));
    if (got == TelemetrySubscriber::Got::nothing && has_exited(*pid))
      return unexpected(std::string("the node exited while streaming"));
    if (got != TelemetrySubscriber::Got::message || t.env.kind != "spikes") continue;
    auto counts = control::count_spikes(index, t.env.body);
    if (!counts) return unexpected("a spike batch did not decode: " + counts.error());
    ++batches;
    received += counts->spikes;
    lost_batches += gaps.missed(node.id, counts->seq);
    if (counts->first_tick != covered_to) ++tick_gaps;
    covered_to = counts->end_tick;
    last_at = Clock::now();
  }
  auto status = node_status(**client, node);
  if (!status) return unexpected("status: " + status.error());
  const double wall = std::chrono::duration<double>(last_at - t0).count();
  const auto published = (*status)["spikes"].get<std::uint64_t>();
  const auto dropped = (*status)["telemetry"]["dropped"].get<std::uint64_t>();
  return nlohmann::json{{"bench", "telemetry"},
                        {"neurons", c.neurons},
                        {"ticks", c.ticks},
                        {"tick_ms", c.tick_ms},
                        {"spikes_published", published},
                        {"spikes_received", received},
                        {"batches", batches},
                        {"lost_batches", lost_batches},
                        {"tick_gaps", tick_gaps},
                        {"rejected", (*sub)->rejected()},
                        {"publisher_dropped", dropped},
                        {"lossless", received == published && lost_batches == 0 && tick_gaps == 0 && covered_to >= c.ticks},
                        // From run_until to the last batch in: the rate a subscriber got every spike at.
                        {"stream_wall_s", wall},
                        {"spikes_per_s", wall > 0 ? static_cast<double>(received) / wall : 0.0},
                        {"node_compute_s", (*status)["compute_s"]},
                        {"spikes_per_batch", batches ? static_cast<double>(received) / static_cast<double>(batches) : 0.0}};
}

}  // namespace p3p::cli
