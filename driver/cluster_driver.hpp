#pragma once
// A cluster driver: what an experiment, a client or a dashboard does to a cluster, as one interface. It
// holds the cluster still between its calls (every node at rest at the same tick), so every call is exact:
// currents land on the ticks they name, a reward applies at the tick it names, counts cover exactly the
// window asked for. Two implementations give the same spikes for the same calls:
//   NodeClusterDriver (node_cluster_driver.hpp) - the real cluster, signed requests to its p3p-node processes;
//   EngineDriver (engine_driver.hpp)            - one engine in this process, built from the same topology.
// The argument checks live here, so both refuse the same calls with the same codes: bad_args (a tick in the
// past, a window not between two ticks the driver stopped at, a neuron outside its column), unknown_column,
// unknown_region (the engine's own checks of a weight write give bad_args in both);
// the real cluster adds its own (unreachable, not_ready, cluster_not_running, ...).
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/expected.hpp"
#include "common/error_code.hpp"
#include "topology/topology.hpp"

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
  // A reward of `value` at tick `at` (>= tick(): the cluster is advanced to it first); exact whatever the
  // cluster was doing before. Each plastic projection takes it by its own dopamine mode (cortex::Engine::
  // reward): gain sets its reward level, eligibility adds a dopamine event, off ignores it. Without a
  // region every projection on every node; with one (of the topology: unknown_region) only the
  // projections onto that region's columns, the others keep their level and dopamine.
  Expected<void, Error> set_reward(double value, std::int64_t at, std::optional<std::string> region = {});
  // Every synapse onto `column`, projection by projection (the nodes' get_weights; unknown_column).
  Expected<std::vector<ProjectionWeights>, Error> weights(const std::string& column);
  // Writes weights of the plastic projection from column `from` onto `column`, by (source, target) pairs
  // as weights() reads them (cortex::Engine::set_weights): unknown_column; bad_args for an empty list, a
  // pair the projection lacks, a weight outside [w_min, w_max], a static projection, no or several
  // projections between the two. All or nothing; a later read sees exactly what was written.
  Expected<void, Error> set_weights(const std::string& column, const std::string& from, std::span<const Synapse> synapses);
  // Every neuron of `column` gets its incoming weights of the plastic projection from `from` scaled to sum
  // `target_sum`, each clipped to [w_min, w_max]; a neuron whose weights sum to 0 is left alone
  // (cortex::Engine::normalise), at tick(). unknown_column; bad_args for a sum that is not a number in
  // [-kMaxNormaliseSum, kMaxNormaliseSum], a static projection, no or several projections between the two.
  Expected<void, Error> normalise(const std::string& column, const std::string& from, double target_sum);
  // The columns back to how they were built (cortex::Engine::reset): potentials, last spikes, STDP traces,
  // eligibility, dopamine and reward level of the projections onto them, with `weights` their weights.
  // Thresholds, spikes in flight and scheduled currents stay. unknown_column; bad_args for an empty list.
  // With `noise_seed`, the columns' noise from then on is keyed by (noise_seed, neuron, tick - tick()) (on
  // every node alike), so what follows does not depend on the tick the reset came at; without, the columns
  // keep the noise they have (a trial reset inside a seeded run stays reproducible).
  Expected<void, Error> reset_columns(std::span<const std::string> columns, bool weights = false,
                                      std::optional<std::uint64_t> noise_seed = {});
  // reset_columns of every column of a region of the topology (unknown_region).
  Expected<void, Error> reset_region(const std::string& region, bool weights = false,
                                     std::optional<std::uint64_t> noise_seed = {});

  // From the next stop on, only these columns' spikes are counted (spike_counts answers for them alone;
  // the raster hash still covers every spike). An experiment watches its region: a step then carries a
  // few hundred counts, not every neuron of the cluster. Empty: every column (the default). A window
  // starting before the watch changed counts the columns both its ends have. unknown_column.
  Expected<void, Error> watch(std::vector<std::string> columns);

  // From tick() on, only these columns spike; every other column of the cluster is silenced (its neurons
  // integrate and reset but emit nothing: cortex::Engine::set_silent), on every node alike. An experiment
  // focuses on its region: the spikes that can cross nodes are then only its own, so a node whose region
  // part sends nothing across runs a whole step without waiting for its peers. Empty: the focus is lifted.
  // unknown_column.
  Expected<void, Error> focus(const std::vector<std::string>& columns);

  static constexpr std::size_t kKeptStops = 4096;
  static constexpr std::size_t kMaxWeightWrites = 100000;  // synapses one set_weights writes (a node's limit)

 protected:
  // Where the cluster stands at a stop: tick, raster hash, spikes per neuron so far by column.
  struct Stop {
    std::int64_t tick = 0;
    std::uint64_t raster = 0;
    std::map<std::string, std::vector<std::uint64_t>> counts;
  };
  // Implementations call this once, with where the cluster stands when the driver takes it over (every
  // column's counts), and the topology's regions (region name -> column ids).
  void start_at(Stop stop, std::map<std::string, std::vector<std::string>> regions);
  // The columns a stop must count (run_to): the watched ones, or every column when none is watched.
  const std::vector<std::string>& counted() const { return counted_; }

  virtual Expected<Stop, Error> run_to(std::int64_t tick) = 0;
  virtual Expected<void, Error> inject(std::span<const Current> currents) = 0;  // checked
  // Checked, at tick(); `columns` (exist): only the projections onto them, nullptr: every projection.
  virtual Expected<void, Error> reward(double value, const std::vector<std::string>* columns) = 0;
  virtual Expected<std::vector<ProjectionWeights>, Error> read_weights(const std::string& column) = 0;  // exists
  virtual Expected<void, Error> write_weights(const std::string& column, const std::string& from,
                                              std::span<const Synapse> synapses) = 0;  // columns exist, items finite
  virtual Expected<void, Error> scale_weights(const std::string& column, const std::string& from,
                                              double target_sum) = 0;  // columns exist, sum in bounds
  virtual Expected<void, Error> reset(const std::vector<std::string>& columns, bool weights,
                                     std::optional<std::uint64_t> noise_seed) = 0;  // exist, no repeats
  virtual Expected<void, Error> set_focus(const std::vector<std::string>& live) = 0;  // exist; empty: none

 private:
  const Stop* stop_at(std::int64_t tick) const;
  Expected<void, Error> known(const std::vector<std::string>& columns) const;  // each a column, else unknown_column
  std::deque<Stop> stops_;  // oldest first, at most kKeptStops
  std::map<std::string, std::vector<std::string>> regions_;
  std::map<std::string, std::size_t> sizes_;  // every column -> its neurons
  std::vector<std::string> counted_;
};

// Region name -> its column ids, as the topology lists them (for start_at).
std::map<std::string, std::vector<std::string>> regions_of(const topology::Topology& t);

}  // namespace p3p::driver
