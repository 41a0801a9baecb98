#include "bench/client/snapshot_bench.hpp"

#include <thread>

#include "cli/local_nodes.hpp"
#include "client/node_client.hpp"

namespace p3p::cli {
namespace {

using Clock = std::chrono::steady_clock;

Expected<void, std::string> wait_idle_at(const topology::Topology& t, control::NodeClient& client, std::int64_t tick,
                                         const StartedNodes& started, std::chrono::seconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    for (const auto& [id, pid] : started.pids)
      if (has_exited(pid)) return unexpected("node " + id + " exited");
    bool done = true;
    for (const auto& n : t.nodes) {
      auto s = client.call(n, node_api::status(), std::chrono::seconds(5));
      done = done && s && s->value("state", "") == "idle" && s->value("tick", std::int64_t{0}) >= tick;
    }
    if (done) return {};
    if (Clock::now() > deadline) return unexpected(std::string("the bench cluster did not reach its tick in time"));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace

Expected<nlohmann::json, std::string> run_snapshot_bench(const ClusterBenchConfig& c) {
  ClusterBenchConfig plastic = c;
  plastic.plastic = true;  // weights and traces are state: the workload a snapshot has to carry
  auto cluster = start_bench_cluster(plastic);
  if (!cluster) return unexpected(cluster.error());
  const topology::Topology* topo = &(*cluster)->topo;
  auto* client = &(*cluster)->client;
  const StartedNodes& started = (*cluster)->started;
  if (auto ok = wait_idle_at(*topo, **client, c.ticks, started, c.timeout); !ok) return unexpected(ok.error());

  // The snapshot protocol and the part codec are server code: p3p-node runs them against this cluster.
  auto binary = find_node_binary();
  if (!binary) return unexpected(binary.error());
  auto out = run_captured({binary->string(), "snapshot-bench", "--topology", (*cluster)->topo_file.string()});
  if (!out) return unexpected(out.error());
  auto measured = nlohmann::json::parse(*out, nullptr, false);
  if (measured.is_discarded() || !measured.is_object()) return unexpected(std::string("p3p-node printed no JSON result"));
  nlohmann::json result{{"bench", "snapshot"}, {"nodes", c.nodes}, {"neurons", c.neurons}, {"in_degree", c.in_degree}};
  result.update(measured);
  return result;
}

}  // namespace p3p::cli
