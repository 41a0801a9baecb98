#include "bench/client/cluster_bench.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <thread>

#include "bus/free_port.hpp"
#include "bus/key_file.hpp"
#include "common/even_split.hpp"
#include "cli/cluster_args.hpp"
#include "cli/local_nodes.hpp"
#include "client/node_client.hpp"

namespace p3p::cli {
using control::NodeClient;
namespace {

using Clock = std::chrono::steady_clock;

Expected<int, std::string> free_port() {
  if (const int port = bus::free_loopback_port()) return port;
  return unexpected(std::string("cannot find a free port on 127.0.0.1"));
}


double seconds(std::uint64_t ns) { return static_cast<double>(ns) / 1e9; }

}  // namespace

Expected<std::string, std::string> cluster_bench_topology(const ClusterBenchConfig& c) {
  std::string y = "cluster: {name: p3p-bench, key_file: cluster.key, seed: " + std::to_string(c.seed) +
                  ", heartbeat_timeout_ms: 10000}\nnodes:\n";
  for (unsigned n = 0; n < c.nodes; ++n) {
    auto router = free_port(), pub = free_port();
    if (!router || !pub) return unexpected(router ? pub.error() : router.error());
    y += "  - {id: n" + std::to_string(n + 1) + ", host: 127.0.0.1, router_port: " + std::to_string(*router) +
         ", pub_port: " + std::to_string(*pub) + ", threads: " + std::to_string(c.threads) +
         ", modules: [logger, cortex7, mesh]}\n";
  }
  y += "regions:\n  - name: reference\n    columns:\n";
  // Sizes: the even split p3p-node insists on.
  const auto sizes = even_split(c.neurons, c.blocks);
  for (unsigned b = 0; b < c.blocks; ++b)
    y += "      - {id: block" + std::to_string(b) + ", node: n" + std::to_string(b * c.nodes / c.blocks + 1) +
         ", size: " + std::to_string(sizes[b]) + "}\n";
  return y;
}

Expected<std::unique_ptr<BenchCluster>, std::string> start_bench_cluster(const ClusterBenchConfig& c) {
  auto binary = find_node_binary();
  if (!binary) return unexpected(binary.error());
  auto b = std::make_unique<BenchCluster>();
  if (b->dir.path.empty()) return unexpected(std::string("cannot create a temporary directory"));
  if (auto k = bus::write_new_key(b->dir.path / "cluster.key", false); !k) return unexpected(k.error().message);
  auto yaml = cluster_bench_topology(c);
  if (!yaml) return unexpected(yaml.error());
  b->topo_file = b->dir.path / "bench.yaml";
  std::ofstream(b->topo_file) << *yaml;
  auto topo = load_topology(b->topo_file.string());
  if (!topo) return unexpected("bench topology: " + topo.error());
  b->topo = std::move(*topo);
  auto client = NodeClient::open(b->topo);
  if (!client) return unexpected(client.error());
  b->client = std::move(*client);
  std::vector<std::string> extra{"--ticks", std::to_string(c.ticks), "--reference-in-degree", std::to_string(c.in_degree),
                                 "--log-level", "warn"};
  if (c.plastic) extra.emplace_back("--reference-plastic");
  const RunDir run{b->dir.path};
  for (const auto& n : b->topo.nodes) {
    auto pid = spawn_node(*binary, b->topo_file, n.id, run.log_file(b->topo.cluster.name, n.id), extra, true);
    if (!pid) return unexpected(pid.error());
    b->started.pids[n.id] = *pid;
  }
  return b;
}

Expected<nlohmann::json, std::string> run_cluster_bench(const ClusterBenchConfig& c) {
  if (c.nodes < 1 || c.nodes > c.blocks || c.neurons < c.blocks)
    return unexpected("--nodes must be between 1 and " + std::to_string(c.blocks) + ", with at least " +
                      std::to_string(c.blocks) + " neurons");
  const auto t0 = Clock::now();
  auto cluster = start_bench_cluster(c);
  if (!cluster) return unexpected(cluster.error());
  const topology::Topology* topo = &(*cluster)->topo;
  NodeClient* client = (*cluster)->client.get();
  const StartedNodes& started = (*cluster)->started;
  const RunDir run{(*cluster)->dir.path};

  // Poll (rarely: a status costs the nodes a little) until every node is idle at the target tick.
  std::optional<double> setup_s;
  std::vector<nlohmann::json> statuses;
  for (;;) {
    for (const auto& [id, pid] : started.pids)
      if (has_exited(pid))
        return unexpected("node " + id + " exited; its log ends with:\n" + tail_of(run.log_file(topo->cluster.name, id), 5));
    statuses.clear();
    bool done = true, built = true;
    for (const auto& n : topo->nodes) {
      auto s = client->call(n, node_api::status(), std::chrono::seconds(5));
      if (!s) {
        done = built = false;
        continue;
      }
      const std::string state = s->value("state", "");
      if (state == "failed" || state == "needs_snapshot_load") return unexpected(n.id + " is " + state + ": " + s->value("reason", ""));
      built = built && state != "starting";
      done = done && state == "idle" && s->value("tick", std::int64_t{0}) >= c.ticks;
      statuses.push_back(std::move(*s));
    }
    if (built && !setup_s) setup_s = std::chrono::duration<double>(Clock::now() - t0).count();
    if (done) break;
    if (Clock::now() - t0 > c.timeout) return unexpected("the bench cluster did not finish in " + std::to_string(c.timeout.count()) + " s");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }

  std::uint64_t synapses = 0, spikes = 0, raster = 0, rss = 0, started_ns = UINT64_MAX, reached_ns = 0;
  std::uint64_t p50 = 0, p99 = 0;
  nlohmann::json per_node = nlohmann::json::array();
  for (const auto& s : statuses) {
    synapses += s["synapses"].get<std::uint64_t>();
    spikes += s["spikes"].get<std::uint64_t>();
    raster += std::stoull(s["raster_hash"].get<std::string>(), nullptr, 16);
    rss += s["peak_rss_bytes"].get<std::uint64_t>();
    // From the moment the whole cluster runs (the last node's epoch 0): the nodes that start earlier
    // only compute their epoch 0 and wait, and the skew is cluster formation, not simulation.
    if (s["run_started_unix_ns"].is_number())
      started_ns = started_ns == UINT64_MAX ? s["run_started_unix_ns"].get<std::uint64_t>()
                                            : std::max(started_ns, s["run_started_unix_ns"].get<std::uint64_t>());
    if (s["target_reached_unix_ns"].is_number()) reached_ns = std::max(reached_ns, s["target_reached_unix_ns"].get<std::uint64_t>());
    const auto& ex = s["exchange_us"];
    if (ex["p50"].is_number()) p50 = std::max(p50, ex["p50"].get<std::uint64_t>());
    if (ex["p99"].is_number()) p99 = std::max(p99, ex["p99"].get<std::uint64_t>());
    per_node.push_back({{"id", s["id"]}, {"neurons", s["neurons"]}, {"synapses", s["synapses"]}, {"spikes", s["spikes"]},
                        {"compute_s", s["compute_s"]}, {"exchange_us", ex},
                        {"run_started_unix_ns", s["run_started_unix_ns"]}, {"target_reached_unix_ns", s["target_reached_unix_ns"]}, {"peak_rss_bytes", s["peak_rss_bytes"]}});
  }
  const double sim_wall_s = reached_ns > started_ns ? seconds(reached_ns - started_ns) : 0.0;
  char hash[17];
  std::snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(raster));
  return nlohmann::json{
      {"engine", "p3p-cluster"},
      {"nodes", c.nodes},
      {"blocks", c.blocks},
      {"neurons", c.neurons},
      {"in_degree", c.in_degree},
      {"plastic", c.plastic},
      {"threads", c.threads},
      {"seed", c.seed},
      {"synapses", synapses},
      {"ticks", c.ticks},
      {"spikes", spikes},
      {"sim_wall_s", sim_wall_s},
      {"setup_wall_s", setup_s.value_or(0.0)},
      {"synaptic_events_per_s", sim_wall_s > 0 ? static_cast<double>(spikes) * c.in_degree / sim_wall_s : 0.0},
      {"peak_rss_bytes", rss},
      {"bytes_per_synapse", synapses ? static_cast<double>(rss) / static_cast<double>(synapses) : 0.0},
      {"raster_hash", hash},
      {"raster_hash_kind", "sum64(mix(tick,global_id)) over all nodes (the same for every M)"},
      {"mean_rate", static_cast<double>(spikes) / c.neurons / static_cast<double>(std::max<std::int64_t>(c.ticks, 1))},
      {"epoch_ticks", statuses.empty() ? nlohmann::json(nullptr) : statuses.front()["epoch_ticks"]},
      {"epoch_exchange_p50_us", c.nodes > 1 ? nlohmann::json(p50) : nlohmann::json(0)},
      {"epoch_exchange_p99_us", c.nodes > 1 ? nlohmann::json(p99) : nlohmann::json(0)},
      {"per_node", per_node}};
}

}  // namespace p3p::cli
