#pragma once
// `p3pctl bench --nodes M`: the engine's reference workload split over M local p3p-node processes that
// exchange spikes over tcp loopback in lockstep (delay 1, so one exchange per tick). The network is cut
// into a fixed number of blocks (bench::reference_network_blocks), placed block b -> node floor(b*M/B),
// so the spikes - and the raster hash - are the same for every M. Everything lives in a temporary dir
// (topology, fresh key, logs) that is removed afterwards; the nodes are stopped whatever happens.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "bench/workload/reference_params.hpp"
#include "cli/local_nodes.hpp"
#include "common/expected.hpp"
#include "client/node_client.hpp"
#include "topology/topology.hpp"

namespace p3p::cli {

struct ClusterBenchConfig {
  std::uint32_t neurons = bench::reference::kNeurons;
  std::uint32_t in_degree = bench::reference::kInDegree;
  std::int64_t ticks = bench::reference::kTicks;
  bool plastic = false;
  std::uint64_t seed = bench::reference::kSeed;
  unsigned threads = bench::reference::kThreads;  // engine threads per node
  unsigned nodes = 1;
  unsigned blocks = 6;   // divisible by 1, 2 and 3: every M up to 3 gets equal shares
  std::chrono::seconds timeout{900};
};

// One JSON object: the engine bench's fields (cluster-wide sums) plus nodes, blocks, epoch_ticks,
// epoch_exchange_p50_us / p99 (the slowest node's), and per_node details.
Expected<nlohmann::json, std::string> run_cluster_bench(const ClusterBenchConfig& config);

// The bench cluster's topology (free loopback ports, key file cluster.key beside it, snapshots/ beside it).
Expected<std::string, std::string> cluster_bench_topology(const ClusterBenchConfig& config);

// The bench cluster started: a scratch dir with a fresh key and the topology, a client, and the node
// processes, which are stopped (and the dir removed) when it goes.
struct BenchCluster {
  ScratchDir dir;
  std::filesystem::path topo_file;
  topology::Topology topo;
  std::unique_ptr<control::NodeClient> client;
  StartedNodes started;  // declared last: stopped first
};
Expected<std::unique_ptr<BenchCluster>, std::string> start_bench_cluster(const ClusterBenchConfig& config);

}  // namespace p3p::cli
