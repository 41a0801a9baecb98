#pragma once
// `p3pctl bench --snapshot`: how long a cluster-consistent snapshot takes to create and to load, and how
// big it is. The reference workload (plastic, so weights and traces are state) runs on M local p3p-node
// processes for --ticks ticks; then `p3p-node snapshot-bench` (bench/engine/snapshot_bench_mode.hpp: p3pctl links
// no server code) drives the same snapshot and load code the control port uses (cluster_snapshot.hpp) and
// reports wall times, the files' size, and the state they hold (the bytes of the engine state's vectors:
// what must be saved; the synapse structure itself is rebuilt from the topology).
#include <nlohmann/json.hpp>
#include <string>

#include "bench/client/cluster_bench.hpp"
#include "common/expected.hpp"

namespace p3p::cli {

Expected<nlohmann::json, std::string> run_snapshot_bench(const ClusterBenchConfig& config);

}  // namespace p3p::cli
