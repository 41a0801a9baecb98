#pragma once
// runtime/step: the cluster driver's closed-loop step, served by the simulation thread on its own socket
// (the ROUTER its peers send spike batches to), so the step never waits on the event loop: one message
// each way per node and step instead of a request, two thread hand-offs and a reply through the loop.
// The body (msgpack map), every part optional but `until`:
//   currents  [[column, tick, [neuron, ...], [current, ...], ticks?], ...]  added at `tick` (>= this node's
//                                                                    tick) and the ticks-1 after it (1..1024)
//   rewards   [[value, [column, ...] | nil], ...]                   reward at this tick (Engine::reward), in order
//   normalise [[column, from, target_sum], ...]                     Engine::normalise at this tick, in order
//   until     tick                                                   run to it (raises the lockstep target)
//   columns   [column, ...]                                          whose per-neuron counts the answer carries
//                                                                    (absent: every local column)
//   focus     [at, [column, ...]]                                    from tick `at` only these columns (any
//                                                                    node's) spike, the others are silenced
//                                                                    ([] lifts it); taken only at rest at `at`
//                                                                    (else busy), and sent to every node alike
// Answered when the node has computed up to `until`, like runtime/run_until with wait: {tick, raster_sum,
// columns: {column: [spikes per neuron so far]}}. Every part is checked before any is applied: a bad step
// changes nothing and is answered `error` {code, message} at once (bad_args, unknown_column, not_here, busy).
// Columns named by currents, rewards, normalise's target and `columns` must live on this node.
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/error_code.hpp"
#include "common/expected.hpp"
#include "nodes/cortex/engine.hpp"

namespace p3p::runtime {

struct StepCurrents {
  std::uint32_t population = 0;
  std::int64_t tick = 0;
  std::vector<cortex::PatternItem> items;
  std::uint32_t ticks = 1;  // added at tick, tick + 1, ..., tick + ticks - 1
};

struct StepReward {
  double value = 0.0;
  std::optional<std::vector<std::uint32_t>> populations;  // none: every projection
};

struct StepNormalise {
  std::uint32_t projection = 0;
  double target_sum = 0.0;
};

struct StepRequest {
  std::int64_t until = 0;
  std::vector<std::uint32_t> counted;  // populations whose counts the answer carries
  std::vector<StepCurrents> currents;
  std::vector<StepReward> rewards;
  std::vector<StepNormalise> normalise;
  std::optional<std::vector<std::uint32_t>> silenced;  // a focus: the populations silenced from focus_at on
  std::int64_t focus_at = 0;
};

// Column id -> population index, for every column of the topology (local or not).
using PopulationIndex = std::unordered_map<std::string, std::uint32_t>;

// Checks the whole body against the engine as it stands.
Expected<StepRequest, Failure> parse_step(const nlohmann::json& body, const cortex::Engine& engine, const PopulationIndex& index);
// Applies what parse_step accepted (nothing it checked can fail here).
void apply_step(const StepRequest& step, cortex::Engine& engine);

}  // namespace p3p::runtime
