#pragma once
// A cluster driver: what an experiment, a client or a dashboard does to a cluster, as one interface. It
// holds the cluster still between its calls (every node at rest at the same tick), so every call is exact:
// currents land on the ticks they name, a reward applies at the tick it names, counts cover exactly the
// window asked for. Two implementations give the same spikes for the same calls:
//   NodeClusterDriver (node_cluster_driver.hpp) - the real cluster, signed requests to its p3p-node processes;
//   EngineDriver (engine_driver.hpp)            - one engine in this process, built from the same topology.
// The argument checks live here, so both refuse the same calls with the same codes: bad_args (a tick in the
// past, a window not between two ticks the driver stopped at, a neuron outside its column), unknown_column;
// the real cluster adds its own (unreachable, not_ready, cluster_not_running, ...).
#include <cstdint>
#include <deque>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "common/expected.hpp"
#include "common/error_code.hpp"

namespace p3p::driver {

using Error = Failure;

// `current` into neuron `neuron` of column `column`, added at tick `tick` (the engine's inject: it joins
// that tick's input before the leak).
struct Current {
  std::string column;
  std::uint32_t neuron = 0;
  std::int64_t tick = 0;
  double current = 0.0;
};

// Spikes in the ticks [from, to).
struct SpikeCounts {
  std::int64_t from = 0;
  std::int64_t to = 0;
  std::map<std::string, std::vector<std::uint64_t>> per_neuron;  // column id -> spikes of each neuron
  std::map<std::string, std::uint64_t> per_column;
  std::uint64_t total = 0;
};

struct Synapse {
  std::uint32_t source = 0;  // neuron index in the source column
  std::uint32_t target = 0;
  double weight = 0.0;
  friend bool operator==(const Synapse&, const Synapse&) = default;
};

// The synapses of one projection onto a column (a column's own preset synapses come from itself).
struct ProjectionWeights {
  std::string from;  // source column id
  bool plastic = false;
  std::vector<Synapse> synapses;
  friend bool operator==(const ProjectionWeights&, const ProjectionWeights&) = default;
};

class ClusterDriver {
 public:
  virtual ~ClusterDriver() = default;

  // The tick every node stands at (the next one to compute).
  std::int64_t tick() const { return stops_.back().tick; }
  // The cluster raster hash so far (mesocortex::RasterSum over every spike; the same for any partition).
  std::uint64_t raster_hash() const { return stops_.back().raster; }

  // Runs every node to `tick` and returns once every node has reached it, with the tick reached (the
  // nodes move in whole lockstep epochs, so it may be up to an epoch past). A tick not ahead: bad_args.
  Expected<std::int64_t, Error> advance_to(std::int64_t tick);
  // Schedules every current (at ticks >= tick()); all are checked before any is sent.
  Expected<void, Error> schedule(std::span<const Current> currents);
  // Spikes per neuron and per column in [from, to): both must be ticks the driver stopped at (advance_to's
  // answers, or where it started), among the last kKeptStops.
  Expected<SpikeCounts, Error> spike_counts(std::int64_t from, std::int64_t to) const;
  // The reward level (the cluster's dopamine signal) set to `value` at tick `at` (>= tick(): the cluster
  // is advanced to it first), on every node; exact whatever the cluster was doing before.
  Expected<void, Error> set_reward(double value, std::int64_t at);
  // Every synapse onto `column`, projection by projection (the nodes' get_weights; unknown_column).
  Expected<std::vector<ProjectionWeights>, Error> weights(const std::string& column);

  static constexpr std::size_t kKeptStops = 4096;

 protected:
  // Where the cluster stands at a stop: tick, raster hash, spikes per neuron so far by column.
  struct Stop {
    std::int64_t tick = 0;
    std::uint64_t raster = 0;
    std::map<std::string, std::vector<std::uint64_t>> counts;
  };
  // Implementations call this once, with where the cluster stands when the driver takes it over.
  void start_at(Stop stop);

  virtual Expected<Stop, Error> run_to(std::int64_t tick) = 0;
  virtual Expected<void, Error> inject(std::span<const Current> currents) = 0;  // checked
  virtual Expected<void, Error> reward(double value) = 0;                     // checked, at tick()
  virtual Expected<std::vector<ProjectionWeights>, Error> read_weights(const std::string& column) = 0;  // exists

 private:
  const Stop* stop_at(std::int64_t tick) const;
  std::deque<Stop> stops_;  // oldest first, at most kKeptStops
};

}  // namespace p3p::driver
