#pragma once
// The cluster driver over a running cluster: signed messages to its p3p-node processes (node_links.hpp).
//   advance_to  runtime/step {currents, rewards, normalise, until, columns} to every node's simulation thread
//               at once (nodes/runtime/sim_step.hpp): each applies what the driver held back, runs to the
//               tick and answers with its tick, raster sum and the watched columns' spikes per neuron; the
//               stop is those answers put together. One message each way per node: a closed-loop step
//               (advance, counts, currents, reward) costs one round trip and never waits on a node's event
//               loop. Until the nodes have named their step endpoints (their first run_until answer), and
//               after a node stops answering there, runtime/run_until {tick, wait: true} through the event loop.
//   schedule    held, then sent with the next call: in the next step, or as cortex7/stimulate {column,
//               pattern, start_tick, at_once} (one per column and tick) ahead of the next request batch
//   set_reward  held likewise (cortex7/reward {value, columns?}); normalise likewise (cortex7/normalise)
//               a node refusing any of them, or not answering, fails that next call
//   weights     cortex7/weights {column} on the column's node
//   set_weights cortex7/set_weights {column, from, synapses} on the column's node
//   reset_*     cortex7/reset {columns, weights, noise_seed?} to every node holding some of the columns, in one batch
//   focus       a step to tick() with {focus: [tick, columns]} to every node at once (and what is held).
//               Under a focus a node none of whose columns is live, watched or reached by a live one is
//               idle: steps skip it (it has nothing to compute and nobody waits for it), and it is brought
//               to tick() before anything else goes to it - a request, a held item, the next focus.
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
  ~NodeClusterDriver() override;

 private:
  NodeClusterDriver(const topology::Topology& t, std::unique_ptr<NodeLinks> links, std::chrono::milliseconds timeout);
  Expected<Stop, Error> run_to(std::int64_t tick) override;
  Expected<void, Error> inject(std::span<const Current> currents) override;
  Expected<void, Error> reward(double value, const std::vector<std::string>* columns) override;
  Expected<std::vector<ProjectionWeights>, Error> read_weights(const std::string& column) override;
  Expected<void, Error> write_weights(const std::string& column, const std::string& from, std::span<const Synapse> synapses) override;
  Expected<void, Error> scale_weights(const std::string& column, const std::string& from, double target_sum) override;
  Expected<void, Error> reset(const std::vector<std::string>& columns, bool weights, std::optional<std::uint64_t> noise_seed) override;
  Expected<void, Error> set_focus(const std::vector<std::string>& live) override;
  Expected<Stop, Error> stop_of(const std::vector<Expected<nlohmann::json, Error>>& answers);  // may throw json's
  bool skips(std::size_t node) const;  // a step to come leaves this node where it is (idle, nothing for it)
  Expected<void, Error> catch_up(const std::vector<bool>& nodes);  // those of them behind, to tick()
  std::size_t node_of(const std::string& column) const;
  std::map<std::size_t, std::vector<std::string>> columns_per_node(const std::vector<std::string>& columns) const;
  Expected<std::vector<Expected<nlohmann::json, Error>>, Error> send(std::vector<NodeRequest> requests);
  Expected<Stop, Error> step_to(std::int64_t tick, const nlohmann::json* focus = nullptr);
  Expected<Stop, Error> wait_for(std::int64_t tick);
  std::vector<NodeRequest> pending_requests();

  // What waits for the next call, per node, in runtime/step's shapes (nodes/runtime/sim_step.hpp).
  struct Held {
    nlohmann::json currents = nlohmann::json::array();   // [column, tick, [neuron...], [current...], ticks]
    nlohmann::json rewards = nlohmann::json::array();     // [value, [column...] | nil]
    nlohmann::json normalise = nlohmann::json::array();   // [column, from, target_sum]
  };

  const topology::Topology& topo_;
  static constexpr std::size_t kMaxCurrentsPerRequest = 4096;  // a node's limit of pattern items per stimulate
  static constexpr std::int64_t kMaxRepeatTicks = 1024;        // a node's limit of ticks one step current repeats for
  std::vector<Held> held_;  // per node
  std::size_t column_count_ = 0;  // in the topology
  std::vector<bool> idle_;        // per node: under the focus nothing of it is live, nothing live reaches it
  std::vector<bool> behind_;      // per node: skipped by steps, it stands at an earlier tick
  std::vector<std::uint64_t> rasters_;  // per node: its raster sum when it last answered
  std::unique_ptr<NodeLinks> links_;
  std::chrono::milliseconds timeout_;
};

}  // namespace p3p::driver
