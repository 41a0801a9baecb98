#include "cli/snapshot_bench.hpp"

#include <thread>

#include "cli/local_nodes.hpp"
#include "nodes/control/cluster_snapshot.hpp"
#include "client/node_client.hpp"
#include "nodes/persistence/file_ops.hpp"
#include "nodes/persistence/snapshot_part.hpp"

namespace p3p::cli {
namespace {

using Clock = std::chrono::steady_clock;

// The bytes of state a part holds: every vector of the engine state, the inputs and the counters.
std::uint64_t state_bytes(const persistence::SnapshotPart& p) {
  std::uint64_t n = 0;
  const auto add = [&n](const auto& v) { n += v.size() * sizeof(v[0]); };
  for (const auto& s : p.engine.populations) add(s.v), add(s.threshold), add(s.last_spike), add(s.pending_input);
  for (const auto& s : p.engine.projections) {
    add(s.weights), add(s.pre_traces), add(s.post_traces), add(s.eligibility), add(s.eligibility_offsets);
    for (const auto& a : s.arrivals) add(a);
  }
  add(p.engine.dopamine.history);
  n += p.engine.injections.size() * sizeof(cortex::PendingInjection);
  for (const auto& in : p.inputs) add(in.spikes);
  add(p.population_spikes);
  return n;
}

Expected<void, std::string> wait_idle_at(const topology::Topology& t, control::NodeClient& client, std::int64_t tick,
                                         const StartedNodes& started, std::chrono::seconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    for (const auto& [id, pid] : started.pids)
      if (has_exited(pid)) return unexpected("node " + id + " exited");
    bool done = true;
    for (const auto& n : t.nodes) {
      auto s = client.request(n, "runtime", "status", nlohmann::json::object(), std::chrono::seconds(5));
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

  auto taken = control::take_snapshot(*topo, **client, "bench");
  if (!taken) return unexpected("snapshot: " + taken.error().text());
  std::uint64_t file_bytes = 0, held = 0, synapses = 0;
  for (const auto& p : (*taken)["parts"]) {
    const auto path = topo->persistence.snapshot_dir / p["file"].get<std::string>();
    file_bytes += std::filesystem::file_size(path);
    auto bytes = persistence::read_file(path, std::filesystem::file_size(path));  // the bench's own fresh part
    if (!bytes) return unexpected(bytes.error());
    auto part = persistence::decode_part(bus::ByteView(*bytes));
    if (!part) return unexpected(part.error());
    held += state_bytes(*part);
    for (const auto& s : part->engine.projections) synapses += s.weights.size();
  }
  control::RegionStore regions(control::RegionLayout::from_topology(*topo));
  auto loaded = control::load_snapshot(*topo, **client, regions, (*taken)["name"].get<std::string>());
  if (!loaded) return unexpected("load: " + loaded.error().text());
  return nlohmann::json{{"bench", "snapshot"},
                        {"nodes", c.nodes},
                        {"neurons", c.neurons},
                        {"in_degree", c.in_degree},
                        {"plastic_synapses", synapses},
                        {"tick", (*taken)["tick"]},
                        {"create_s", (*taken)["total_s"]},
                        {"create_hold_s", (*taken)["hold_s"]},
                        {"load_s", (*loaded)["total_s"]},
                        {"load_stage_s", (*loaded)["stage_s"]},
                        {"file_bytes", file_bytes},
                        {"state_bytes", held},
                        {"file_to_state", held ? static_cast<double>(file_bytes) / static_cast<double>(held) : 0.0}};
}

}  // namespace p3p::cli
