// Engine's public API: construction, input, rewards, thresholds and inspection.
#include "nodes/cortex/engine.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "nodes/cortex/engine_impl.hpp"
#include "nodes/cortex/fixed_point.hpp"

namespace p3p::cortex {

namespace {
Unexpected<Error> arg_error(std::string msg) { return unexpected(Error{ErrorCode::invalid_argument, std::move(msg)}); }
Unexpected<Error> neuron_error(const EngineImpl& e, std::uint32_t population, std::uint32_t neuron,
                               std::string_view what = "neuron") {
  return arg_error(neuron_range_message(what, neuron, e.spec.populations[population].name, e.pops[population].size));
}
}  // namespace

Expected<Engine, Error> Engine::create(const NetworkSpec& spec, const EngineOptions& options) {
  auto impl = std::make_unique<EngineImpl>(spec, options);
  if (auto r = impl->build(); !r) return unexpected(r.error());
  return Engine(std::move(impl));
}

Engine::Engine(std::unique_ptr<EngineImpl> impl) : impl_(std::move(impl)) {}
Engine::Engine(Engine&&) noexcept = default;
Engine& Engine::operator=(Engine&&) noexcept = default;
Engine::~Engine() = default;

std::span<const Spike> Engine::step() {
  impl_->step();
  return impl_->tick_spikes;
}

std::span<const Spike> Engine::compute_tick() {
  impl_->settle();
  impl_->update_neurons();
  return impl_->tick_spikes;
}

void Engine::finish_tick() {
  impl_->send_spikes();
  ++impl_->tick;
}

void Engine::run(std::int64_t ticks, const std::function<void(std::span<const Spike>)>& on_tick) {
  for (std::int64_t i = 0; i < ticks; ++i) {
    impl_->step();
    if (on_tick) on_tick(impl_->tick_spikes);
  }
}

void Engine::settle() { impl_->settle(); }
std::int64_t Engine::tick() const { return impl_->tick; }

Expected<void, Error> Engine::inject(std::uint32_t population, std::uint32_t neuron, double current,
                                     std::optional<std::int64_t> at_tick) {
  EngineImpl& e = *impl_;
  if (population >= e.pops.size() || !e.pops[population].local) return arg_error("population not held here");
  if (neuron >= e.pops[population].size) return neuron_error(e, population, neuron);
  if (!std::isfinite(current)) return arg_error("the current must be a finite number");
  const std::int64_t when = at_tick.value_or(e.tick);
  if (when < e.tick) return arg_error("cannot inject into a past tick");
  const std::int64_t amount = to_fixed(std::clamp(current, -kMaxInjectedCurrent, kMaxInjectedCurrent));
  if (when == e.tick && e.settled >= e.tick) {
    std::int64_t& pending = e.pops[population].slot(when)[neuron];  // boundary done: join the pending input now
    pending = add_saturating(pending, amount);
  } else {
    e.injections.push_back({when, population, neuron, amount});
  }
  return {};
}

Expected<std::int64_t, Error> Engine::stimulate(std::uint32_t population, std::span<const PatternItem> pattern,
                                                int pattern_len, std::optional<std::int64_t> start) {
  const std::int64_t first = start.value_or(tick());
  const int repeats = std::max(1, pattern_len);
  if (population >= impl_->pops.size() || !impl_->pops[population].local) return arg_error("population not held here");
  for (const PatternItem& p : pattern)
    if (p.neuron >= impl_->pops[population].size) return neuron_error(*impl_, population, p.neuron, "pattern neuron");
  for (const PatternItem& p : pattern)
    if (!std::isfinite(p.current)) return arg_error("pattern currents must be finite numbers");
  if (first < tick()) return arg_error("cannot stimulate a past tick");
  std::int64_t at = first;
  for (int r = 0; r < repeats; ++r)
    for (const PatternItem& p : pattern) (void)inject(population, p.neuron, p.current, at++);
  return at - first;
}

Expected<void, Error> Engine::inject_all(std::uint32_t population, std::span<const PatternItem> items, std::int64_t at) {
  if (population >= impl_->pops.size() || !impl_->pops[population].local) return arg_error("population not held here");
  for (const PatternItem& p : items) {
    if (p.neuron >= impl_->pops[population].size) return neuron_error(*impl_, population, p.neuron, "item neuron");
    if (!std::isfinite(p.current)) return arg_error("each item needs a finite current");
  }
  if (at < tick()) return arg_error("cannot inject into a past tick");
  for (const PatternItem& p : items) (void)inject(population, p.neuron, p.current, at);
  return {};
}

namespace {

// What a reward does to one projection, by its dopamine mode.
void reward_projection(ProjectionRuntime& pr, double value) {
  if (!pr.held || !pr.plastic) return;
  if (pr.mode == DopamineMode::gain) pr.reward_level = value;
  if (pr.mode == DopamineMode::eligibility) pr.clock.add_reward(value);
}

}  // namespace

void Engine::reward(double value) {
  if (std::isnan(value)) return;
  value = std::clamp(value, -kMaxReward, kMaxReward);
  for (ProjectionRuntime& pr : impl_->projs) reward_projection(pr, value);
}

Expected<void, Error> Engine::reward(double value, std::span<const std::uint32_t> targets) {
  EngineImpl& e = *impl_;
  std::vector<bool> chosen(e.pops.size(), false);
  for (const std::uint32_t p : targets) {
    if (p >= e.pops.size() || !e.pops[p].local) return arg_error("population not held here");
    chosen[p] = true;
  }
  if (std::isnan(value)) return {};
  value = std::clamp(value, -kMaxReward, kMaxReward);
  for (ProjectionRuntime& pr : e.projs)
    if (chosen[pr.spec->target]) reward_projection(pr, value);
  return {};
}

double Engine::reward_level(std::uint32_t projection) const {
  const ProjectionRuntime& pr = impl_->projs.at(projection);
  return pr.held && pr.plastic && pr.mode == DopamineMode::gain ? pr.reward_level : 0.0;
}
double Engine::dopamine(std::uint32_t projection) const {
  const ProjectionRuntime& pr = impl_->projs.at(projection);
  return pr.held && pr.eligibility() ? pr.clock.dopamine() : 0.0;
}

Expected<void, Error> Engine::set_threshold(std::uint32_t population, std::uint32_t neuron, double value) {
  if (population >= impl_->pops.size() || !impl_->pops[population].local) return arg_error("population not held here");
  if (neuron >= impl_->pops[population].size) return neuron_error(*impl_, population, neuron);
  if (!std::isfinite(value)) return arg_error("a threshold must be a finite number");
  impl_->pops[population].threshold[neuron] = value;
  return {};
}

Expected<void, Error> Engine::set_thresholds(std::uint32_t population, double value) {
  if (population >= impl_->pops.size() || !impl_->pops[population].local) return arg_error("population not held here");
  if (!std::isfinite(value)) return arg_error("a threshold must be a finite number");
  std::fill(impl_->pops[population].threshold.begin(), impl_->pops[population].threshold.end(), value);
  return {};
}

Expected<void, Error> Engine::restore_thresholds(std::uint32_t population) {
  if (population >= impl_->pops.size() || !impl_->pops[population].local) return arg_error("population not held here");
  impl_->pops[population].threshold = impl_->pops[population].spec_threshold;
  return {};
}

void Engine::reset_trial() {
  EngineImpl& e = *impl_;
  for (ProjectionRuntime& pr : e.projs) {
    if (!pr.held || !pr.plastic) continue;
    e.catch_up(pr);
    pr.plastic_syn.clear_traces();
    pr.clock.clear_dopamine();
  }
}

Expected<void, Error> Engine::normalise(std::uint32_t projection, double target_sum) {
  EngineImpl& e = *impl_;
  if (projection >= e.projs.size() || !e.projs[projection].held || !e.projs[projection].plastic)
    return arg_error("not a plastic projection held here");
  if (!std::isfinite(target_sum)) return arg_error("the target sum must be a finite number");
  ProjectionRuntime& pr = e.projs[projection];
  const BoundaryContext b = e.context_for(pr);
  const auto& bounds = e.pops[pr.spec->target].bounds;
  e.pool.run(e.parts, [&](unsigned q) { pr.plastic_syn.normalise(target_sum, bounds[q], bounds[q + 1], b); });
  return {};
}

std::span<const double> Engine::potentials(std::uint32_t population) const { return impl_->pops.at(population).v; }
std::span<const double> Engine::thresholds(std::uint32_t population) const { return impl_->pops.at(population).threshold; }

double Engine::pending_input(std::uint32_t population, std::uint32_t neuron) const {
  const Population& p = impl_->pops.at(population);
  if (!p.local || neuron >= p.size) return 0.0;
  return from_fixed(p.slot(impl_->tick)[neuron]);
}

std::vector<SynapseView> Engine::synapses(std::uint32_t projection) const {
  std::vector<SynapseView> out;
  const ProjectionRuntime& pr = impl_->projs.at(projection);
  if (!pr.held) return out;
  if (pr.plastic) {
    const std::vector<double> w = pr.plastic_syn.current_weights(impl_->context_for(pr));
    const auto rows = pr.plastic_syn.incoming_rows();
    const auto src = pr.plastic_syn.sources();
    for (std::uint32_t t = 0; t + 1 < rows.size(); ++t)
      for (std::uint64_t s = rows[t]; s < rows[t + 1]; ++s) out.push_back({src[s], t, w[s]});
  } else {
    const auto rows = pr.fixed.rows();
    const auto tg = pr.fixed.targets();
    for (std::uint32_t s = 0; s + 1 < rows.size(); ++s)
      for (std::uint64_t i = rows[s]; i < rows[s + 1]; ++i) out.push_back({s, tg[i], pr.fixed.weight(i, s)});
  }
  return out;
}

Expected<double, Error> Engine::weight(std::uint32_t projection, std::uint32_t source, std::uint32_t target) const {
  for (const SynapseView& s : synapses(projection))
    if (s.source == source && s.target == target) return s.weight;
  return arg_error("no such synapse held here");
}

std::uint64_t Engine::global_id(std::uint32_t population, std::uint32_t neuron) const {
  return impl_->pops.at(population).global_base + neuron;
}
bool Engine::is_local(std::uint32_t population) const { return impl_->pops.at(population).local; }

std::uint64_t Engine::synapse_count() const {
  std::uint64_t n = 0;
  for (const ProjectionRuntime& pr : impl_->projs)
    if (pr.held) n += pr.plastic ? pr.plastic_syn.size() : pr.fixed.size();
  return n;
}

std::uint64_t Engine::memory_bytes() const {
  std::uint64_t n = 0;
  for (const ProjectionRuntime& pr : impl_->projs)
    if (pr.held) n += pr.plastic ? pr.plastic_syn.memory_bytes() : pr.fixed.memory_bytes();
  for (const Population& p : impl_->pops)
    n += (p.v.size() + p.threshold.size() + p.spec_threshold.size()) * 8 + p.last_spike.size() * 8 + p.ring.size() * 8;
  return n;
}

const NetworkSpec& Engine::spec() const { return impl_->spec; }

}  // namespace p3p::cortex
