#pragma once
// The demo the main job runs on a live cluster (the original's run_demo, made exact): stimulate regions
// whose columns span the nodes, let the cluster run on, and report the spikes that caused per node,
// region and column. Every step is a signed request to the nodes:
//   1. wait until every node is idle at the same tick t0 (the lockstep target reached);
//   2. cycle c, region k: every column of the region gets `pattern` repeated `pattern_len` times from tick
//      t0 + (c*|regions| + k) * pattern_len * |pattern| (cortex7/stimulate on the node owning the column);
//   3. run_until t_end = t0 + cycles * |regions| * pattern_len * |pattern| + advance_ticks on every node;
//   4. wait until every node is idle at t_end or later, and subtract the per-column spike counters.
// Every wait is bounded by lack of progress, not by total time (cluster_wait.hpp): a long run takes as long
// as it takes; a cluster whose ticks stop moving for `stall` answers `stalled`, naming where each node
// stands, and a run the command started is paused there.
// The stimulation ticks are fixed before anything runs, so the result is the same on every run of the same
// cluster state, however the columns are spread over nodes.
#include <chrono>
#include <optional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "nodes/control/cluster_wait.hpp"
#include "client/node_client.hpp"
#include "common/error_code.hpp"
#include "nodes/control/region_layout.hpp"
#include "common/expected.hpp"
#include "topology/topology.hpp"

namespace p3p::control {

struct DemoPlan {
  std::vector<std::string> regions = {"Region_AB", "Region_BC"};  // the original's demo regions
  int stim_cycles = 5;
  int advance_ticks = 5;
  int pattern_len = 3;
  nlohmann::json pattern = nlohmann::json::array({{{"neuron", 0}, {"current", 0.7}}});
  std::optional<std::string> column;          // only this column of the (single) region
  std::chrono::milliseconds stall = kDefaultStall;  // no tick moved for this long: `stalled`
  const std::atomic<bool>* cancel = nullptr;        // set: stop waiting (the control node is stopping)
};

// The report (spikes per node, region and column; ticks and wall time), or why it could not run:
// unknown_region, unknown_column, bad_args, cluster_not_running (a node paused, failed or waiting for a
// snapshot), stalled, or a node's error (unreachable, ...). With no regions or no cycles it only advances.
// Regions are looked up in `layout` (the current grouping of the topology's columns).
Expected<nlohmann::json, Failure> run_demo(const topology::Topology& t, const RegionLayout& layout, NodeClient& client,
                                           const DemoPlan& plan);

}  // namespace p3p::control
