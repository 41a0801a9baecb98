#pragma once
// The cluster driver over one engine in this process, built from the topology as every node builds its
// part (mesocortex::build_network_spec) but holding every column. The engine's spikes do not depend on
// how columns are split over engines, so it answers as the real cluster does: same spikes, same raster
// hash - for fast tests of whatever drives a cluster, and as the reference the real cluster is checked
// against. It moves in the cluster's lockstep epochs (the smallest delay of a projection crossing nodes),
// so it stops where the cluster would.
#include <memory>

#include "driver/cluster_driver.hpp"
#include "topology/topology.hpp"

namespace p3p::driver {

class EngineDriver final : public ClusterDriver {
 public:
  static Expected<std::unique_ptr<EngineDriver>, Error> create(const topology::Topology& t);
  ~EngineDriver() override;

 private:
  struct State;
  explicit EngineDriver(std::unique_ptr<State> state);
  Expected<Stop, Error> run_to(std::int64_t tick) override;
  Expected<void, Error> inject(std::span<const Current> currents) override;
  Expected<void, Error> reward(double value, const std::vector<std::string>* columns) override;
  Expected<std::vector<ProjectionWeights>, Error> read_weights(const std::string& column) override;
  Expected<void, Error> write_weights(const std::string& column, const std::string& from, std::span<const Synapse> synapses) override;
  Expected<void, Error> scale_weights(const std::string& column, const std::string& from, double target_sum) override;
  Expected<void, Error> reset(const std::vector<std::string>& columns, bool weights, std::optional<std::uint64_t> noise_seed) override;
  Expected<void, Error> set_focus(const std::vector<std::string>& live) override;
  Stop stop() const;

  std::unique_ptr<State> s_;
};

}  // namespace p3p::driver
