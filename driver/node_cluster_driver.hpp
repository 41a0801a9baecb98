#pragma once
// The cluster driver over a running cluster: signed requests to its p3p-node processes (node_links.hpp).
//   advance_to  runtime/run_until {tick, wait: true} to every node at once: each answers when it has
//               computed up to the tick, with its tick, raster sum and spikes per neuron of its columns
//               (no status polling); the stop is those answers put together.
//   schedule    cortex7/stimulate {column, pattern: [{neuron, current}], start_tick} on the column's node,
//               sent ahead of the next call's requests in the same batch (one round trip per closed-loop
//               step); a node refusing one, or not answering, fails that next call
//   set_reward  cortex7/reward {value} on every node, with the cluster at rest at the tick; for a region
//               cortex7/reward {value, columns} to every node holding some of its columns, in one batch
//   weights     cortex7/weights {column} on the column's node
//   set_weights cortex7/set_weights {column, from, synapses} on the column's node
//   normalise   cortex7/normalise {column, from, target_sum} on the column's node
//   reset_*     cortex7/reset {columns, weights} to every node holding some of the columns, in one batch
// It takes the cluster over at rest: create() fails with cluster_not_running unless every node answers at
// the same tick. While it drives, nothing else should move the cluster (a run_until from elsewhere makes
// its stops land later than asked; the answers say where).
#include <chrono>
#include <map>
#include <memory>

#include "driver/cluster_driver.hpp"
#include "driver/node_links.hpp"
#include "topology/topology.hpp"

namespace p3p::driver {

class NodeClusterDriver final : public ClusterDriver {
 public:
  // `timeout`: how long any one answer may take (an advance: the whole run to the tick). `t` must outlive
  // the driver.
  static Expected<std::unique_ptr<NodeClusterDriver>, Error> open(const topology::Topology& t,
                                                                  std::chrono::milliseconds timeout = std::chrono::seconds(30));

 private:
  NodeClusterDriver(const topology::Topology& t, std::unique_ptr<NodeLinks> links, std::chrono::milliseconds timeout);
  Expected<Stop, Error> run_to(std::int64_t tick) override;
  Expected<void, Error> inject(std::span<const Current> currents) override;
  Expected<void, Error> reward(double value, const std::vector<std::string>* columns) override;
  Expected<std::vector<ProjectionWeights>, Error> read_weights(const std::string& column) override;
  Expected<void, Error> write_weights(const std::string& column, const std::string& from, std::span<const Synapse> synapses) override;
  Expected<void, Error> scale_weights(const std::string& column, const std::string& from, double target_sum) override;
  Expected<void, Error> reset(const std::vector<std::string>& columns, bool weights) override;
  Expected<Stop, Error> stop_of(const std::vector<Expected<nlohmann::json, Error>>& answers) const;  // may throw json's
  std::size_t node_of(const std::string& column) const;
  std::map<std::size_t, std::vector<std::string>> columns_per_node(const std::vector<std::string>& columns) const;
  Expected<std::vector<Expected<nlohmann::json, Error>>, Error> send(std::vector<NodeRequest> requests);

  const topology::Topology& topo_;
  std::vector<NodeRequest> pending_;  // scheduled currents not sent yet
  std::unique_ptr<NodeLinks> links_;
  std::chrono::milliseconds timeout_;
};

}  // namespace p3p::driver
