#pragma once
// The neural engine of one node: pure computation on plain structs (no I/O, clocks or JSON).
//
// Tick T, in this order:
//   1. boundary T ("settle"): scheduled injections for T join the pending input; plastic projections
//      process the pre-synaptic arrivals due at T (deliver weight, STDP depression), then the post spikes
//      of tick T-1 (STDP potentiation); dopamine/eligibility bookkeeping.
//   2. every local neuron: v <- (v + input_T) * leak + baseline + noise(seed, global id, T);
//      optional floor v_min; spike if v >= threshold, then v <- reset.
//   3. spikes of T are sent: static projections add their weights to the pending input of tick T+D.
// DELAY SEMANTICS: a spike at tick t through a projection with delay D >= 1 is added to its targets
// after the threshold test of tick t+D-1, so it is leaked once and first tested at tick t+D. Delay 1 is
// the original's immediate delivery; a two-link loop with delay D each way oscillates with period 2D.
// An injection at tick T (the original's `inject`) is added the same way: v <- (v + I) * leak + ...
// STDP timing uses the arrival (t+D-1, processed at boundary t+D) for pre spikes, as Brian2's
// pre-synaptic delays do. The legacy rule uses dt = post.last_spike - t (the pre spike's own tick).
//
// Determinism: noise and connectivity are keyed by global ids, pending input is summed in int64 fixed
// point (order-free), and every plastic update of a synapse happens at a tick fixed by the spikes alone.
// So the spikes are bit-identical for any thread count and any split of populations over engines.
//
// Distribution: every engine gets the same NetworkSpec; it holds the populations with node ==
// options.node and all synapses onto them (synapses live with their TARGET). Spikes of remote
// populations are handed in with deliver_remote_spikes() before the first tick they affect
// (tick t + D). With the epoch = min_cross_delay(), spikes of an epoch delivered at its end are in time.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "common/expected.hpp"
#include "nodes/cortex/engine_state.hpp"
#include "nodes/cortex/error.hpp"
#include "nodes/cortex/spec.hpp"

namespace p3p::cortex {
// What the engine takes at its boundary, whoever calls it: a current beyond +-kMaxInjectedCurrent is
// clamped to it (a non-finite one refused), a reward beyond +-kMaxReward clamped (NaN ignored), a
// threshold must be finite. So no input can make a weight, potential or trace NaN or infinite.
inline constexpr double kMaxInjectedCurrent = 1e6;
inline constexpr double kMaxReward = 1000;
// The largest |target sum| normalise takes through a node or driver (a sum is a few weights' worth).
inline constexpr double kMaxNormaliseSum = 1e6;
}  // namespace p3p::cortex

namespace p3p::cortex {

struct Spike {
  std::int64_t tick = 0;
  std::uint64_t neuron = 0;  // global id
  friend bool operator==(const Spike&, const Spike&) = default;
};

struct PatternItem {
  std::uint32_t neuron = 0;
  double current = 0.0;
};

struct SynapseView {
  std::uint32_t source = 0;  // index within the source population
  std::uint32_t target = 0;
  double weight = 0.0;
};

// The local populations whose spikes a remote node needs (it holds projections from them).
struct PeerRoute {
  int node = 0;
  std::vector<std::uint32_t> populations;
};

class EngineImpl;

class Engine {
 public:
  static Expected<Engine, Error> create(const NetworkSpec& spec, const EngineOptions& options = {});
  Engine(Engine&&) noexcept;
  Engine& operator=(Engine&&) noexcept;
  ~Engine();

  // --- simulation
  std::span<const Spike> step();  // one tick; its local spikes, global ids ascending (valid until next step)
  void run(std::int64_t ticks, const std::function<void(std::span<const Spike>)>& on_tick = {});
  // step() in two halves, so a node can send its spikes to peers before delivering them locally (the
  // exchange then overlaps the local synaptic delivery): compute_tick() = boundary + neuron update of
  // tick(), returning its spikes; finish_tick() = their delivery through the local static synapses, then
  // tick() advances. Always call them in pairs, nothing else in between.
  std::span<const Spike> compute_tick();
  void finish_tick();
  void settle();                  // process boundary tick() now (only needed to look at pending input)
  std::int64_t tick() const;      // the next tick to compute

  // --- input
  Expected<void, Error> inject(std::uint32_t population, std::uint32_t neuron, double current,
                               std::optional<std::int64_t> at_tick = {});
  // The original's stimulate_region for one column: item i of repetition r goes to tick start + r*|pattern| + i.
  // Returns the number of ticks the pattern spans.
  Expected<std::int64_t, Error> stimulate(std::uint32_t population, std::span<const PatternItem> pattern,
                                          int pattern_len = 1, std::optional<std::int64_t> start = {});
  // Every item into its neuron at tick `at` (all at once, unlike stimulate): all checked first (neuron
  // range, finite current, not a past tick), so on an error nothing is scheduled.
  Expected<void, Error> inject_all(std::uint32_t population, std::span<const PatternItem> items, std::int64_t at);
  // A reward reaches each plastic projection by its own dopamine mode (spec.hpp, DopamineMode): gain sets
  // its reward level, eligibility adds a dopamine event d += value, off ignores it. reward_global: every
  // projection held here. With `targets`: only the projections onto those local populations (a region's
  // columns), the others keep their level and dopamine; a remote or unknown population is invalid_argument.
  void reward(double value);
  Expected<void, Error> reward(double value, std::span<const std::uint32_t> targets);
  double reward_level(std::uint32_t projection) const;  // gain mode, else 0
  double dopamine(std::uint32_t projection) const;      // eligibility mode, else 0
  Expected<void, Error> set_threshold(std::uint32_t population, std::uint32_t neuron, double value);
  Expected<void, Error> set_thresholds(std::uint32_t population, double value);  // debug_low_thresholds
  Expected<void, Error> restore_thresholds(std::uint32_t population);
  void reset_trial();  // zero STDP traces, eligibility and every dopamine (pending dopamine effects applied first)
  // Every target's incoming weights of a plastic projection held here scaled to sum `target_sum` (as they
  // stand at tick(): a pending eligibility effect is applied first), each clipped to [w_min, w_max]; a target
  // whose weights sum to 0 is left alone. A non-finite sum, a static or remote projection: invalid_argument.
  Expected<void, Error> normalise(std::uint32_t projection, double target_sum);

  // --- experiments: weights written and populations reset from outside (engine_edit.cpp)
  // Writes the weight of (source, target) pairs of a plastic projection held here - every synapse of the
  // pair when it has several (fixed_indegree draws with replacement; a later item for the same pair wins).
  // All items are checked first: a static projection (its weights are the topology's, and a snapshot keeps
  // only plastic weights), a pair the projection does not have, a weight that is not finite or lies
  // outside [w_min, w_max] is invalid_argument and nothing changes. The weight is replaced as it stands at
  // tick() (a pending eligibility effect is applied first, so a later read sees the written value).
  // Returns how many synapses were written.
  Expected<std::uint64_t, Error> set_weights(std::uint32_t projection, std::span<const SynapseView> synapses);
  // The listed local populations back to how the engine built them: potentials (the initial draw), last
  // spike ticks, the spikes of the last tick (no STDP pairs across the reset); every plastic projection
  // onto them loses its STDP traces, eligibility, dopamine and reward level (the pending eligibility
  // effect is applied to the weights first; its eligibility clock starts again at this tick, so what
  // follows does not depend on what ran before) and, with `weights`, gets its built weights back - a
  // trial reset. Kept: thresholds, the projections onto other populations (their reward and dopamine
  // too), and everything in flight - spikes fired before the reset still arrive after their
  // delay, scheduled currents land - since in a cluster they may be on the wire to this node already.
  // Between ticks only (not after settle()); an unknown or remote population: invalid_argument, nothing
  // changed. With nothing in flight, a reset with weights leaves the populations as a freshly built
  // engine has them.
  // With `noise_seed`, the populations' noise from then on is keyed by (noise_seed, global id, tick - the
  // reset's tick) instead of (seed, global id, tick): a run after such a reset gives the same spikes whatever
  // tick it starts at. Without, each population keeps the noise it has (the network's, or the key of its
  // last seeded reset), so trial resets inside a seeded run keep it reproducible.
  Expected<void, Error> reset(std::span<const std::uint32_t> populations, bool weights,
                              std::optional<std::uint64_t> noise_seed = {});

  // --- inspection
  std::span<const double> potentials(std::uint32_t population) const;  // empty for remote populations
  std::span<const double> thresholds(std::uint32_t population) const;
  double pending_input(std::uint32_t population, std::uint32_t neuron) const;  // for tick()
  std::vector<SynapseView> synapses(std::uint32_t projection) const;          // empty unless held here
  Expected<double, Error> weight(std::uint32_t projection, std::uint32_t source, std::uint32_t target) const;
  std::uint64_t global_id(std::uint32_t population, std::uint32_t neuron) const;
  bool is_local(std::uint32_t population) const;
  std::uint64_t synapse_count() const;
  std::uint64_t memory_bytes() const;  // synapse and neuron storage
  const NetworkSpec& spec() const;

  // --- distribution
  // With `late_dropped`, a spike that would arrive after its tick was computed is dropped and counted
  // there instead of refusing the batch (a node whose peers disagree on the focus must not stop).
  Expected<void, Error> deliver_remote_spikes(std::span<const Spike> spikes, std::uint64_t* late_dropped = nullptr);
  std::vector<PeerRoute> routes() const;
  std::optional<std::int32_t> min_cross_delay() const;  // the lockstep epoch; none if no projection crosses

  // --- focus (engine_focus.cpp): an experiment silences every column outside its region, so the spikes
  // that can cross nodes are only its own, and the lockstep may look further ahead (lookahead_from).
  // The listed populations are silenced, every other one not (an empty list: none). An unknown
  // population: invalid_argument, nothing changed. Every engine of a cluster gets the same list.
  Expected<void, Error> set_silent(std::span<const std::uint32_t> populations);
  std::vector<std::uint32_t> silent() const;
  // The smallest delay of a projection from a population on `node` that is not silenced onto one held
  // here: how far this engine may run ahead of `node`'s spikes. None: nothing of `node` can reach it.
  std::optional<std::int32_t> lookahead_from(int node) const;
  // Whether a population held here that is not silenced has a projection onto one on `node`.
  bool sends_to(int node) const;

  // --- state
  EngineState export_state() const;
  Expected<void, Error> import_state(const EngineState& state);
  // Whether import_state would take it (sizes, indices, dopamine history): checked before a cluster-wide
  // snapshot load commits, so the commit itself cannot fail.
  Expected<void, Error> check_state(const EngineState& state) const;

 private:
  explicit Engine(std::unique_ptr<EngineImpl> impl);
  std::unique_ptr<EngineImpl> impl_;
};

// The one projection from population `source` onto `target` (how set_weights' callers name one):
// invalid_argument when none or several run between them.
Expected<std::uint32_t, Error> projection_between(const NetworkSpec& spec, std::uint32_t source, std::uint32_t target);

// Which node (engine) must receive a spike: used by the lockstep layer and by tests.
std::vector<Spike> spikes_for_node(const Engine& engine, std::span<const Spike> spikes, int node);

}  // namespace p3p::cortex
