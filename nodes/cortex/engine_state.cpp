// State export/import as plain structs.
#include <algorithm>
#include <cmath>
#include <string>

#include "nodes/cortex/engine_impl.hpp"

namespace p3p::cortex {

EngineState Engine::export_state() const {
  const EngineImpl& e = *impl_;
  EngineState s;
  s.tick = e.tick;
  s.settled = e.settled;
  s.injections = e.injections;
  s.populations.resize(e.pops.size());
  for (std::size_t i = 0; i < e.pops.size(); ++i) {
    const Population& p = e.pops[i];
    if (!p.local) continue;
    s.populations[i] = {p.v, p.threshold, p.last_spike, p.ring};
  }
  s.projections.resize(e.projs.size());
  for (std::size_t i = 0; i < e.projs.size(); ++i) {
    const ProjectionRuntime& pr = e.projs[i];
    if (!pr.held || !pr.plastic) continue;
    const PlasticSynapses& syn = pr.plastic_syn;
    ProjectionState& ps = s.projections[i];
    ps.weights.assign(syn.weights().begin(), syn.weights().end());
    ps.pre_traces = syn.pre_traces();
    ps.post_traces = syn.post_traces();
    ps.eligibility.assign(syn.eligibility().begin(), syn.eligibility().end());
    ps.eligibility_offsets.assign(syn.eligibility_offsets().begin(), syn.eligibility_offsets().end());
    ps.arrivals = pr.arrivals;
    ps.reward_level = pr.reward_level;
    if (pr.eligibility()) ps.dopamine = pr.clock.state();
  }
  return s;
}

namespace {

template <class A, class B>
bool same_size(const A& a, const B& b) { return a.size() == b.size(); }

// An eligibility projection's clock and the ticks its synapses were last brought to: all within the
// running sum the state holds (a touch reads it at those offsets).
bool fits_dopamine(const ProjectionRuntime& pr, const ProjectionState& ps, const EngineState& s) {
  if (!pr.eligibility()) return true;
  if (!pr.clock.accepts(ps.dopamine, s.tick, s.settled)) return false;
  const std::int64_t now = s.tick - ps.dopamine.base;
  return std::all_of(ps.eligibility_offsets.begin(), ps.eligibility_offsets.end(),
                     [now](std::int32_t o) { return o >= 0 && o <= now; });
}

bool fits(const EngineImpl& e, const EngineState& s) {
  if (s.populations.size() != e.pops.size() || s.projections.size() != e.projs.size()) return false;
  for (std::size_t i = 0; i < e.pops.size(); ++i) {
    const Population& p = e.pops[i];
    const PopulationState& ps = s.populations[i];
    if (p.local && !(same_size(ps.v, p.v) && same_size(ps.threshold, p.threshold) &&
                     same_size(ps.last_spike, p.last_spike) && same_size(ps.pending_input, p.ring)))
      return false;
  }
  for (std::size_t i = 0; i < e.projs.size(); ++i) {
    const ProjectionRuntime& pr = e.projs[i];
    if (!pr.held || !pr.plastic) continue;
    const PlasticSynapses& syn = pr.plastic_syn;
    const ProjectionState& ps = s.projections[i];
    if (!(same_size(ps.weights, syn.weights()) && same_size(ps.pre_traces, syn.pre_traces()) &&
          same_size(ps.post_traces, syn.post_traces()) && same_size(ps.eligibility, syn.eligibility()) &&
          same_size(ps.eligibility_offsets, syn.eligibility_offsets()) && same_size(ps.arrivals, pr.arrivals)))
      return false;
    for (const auto& slot : ps.arrivals)
      for (const std::uint32_t src : slot)
        if (src >= syn.source_count()) return false;
    if (!std::isfinite(ps.reward_level) || !fits_dopamine(pr, ps, s)) return false;
  }
  for (const PendingInjection& i : s.injections)
    if (i.population >= e.pops.size() || !e.pops[i.population].local || i.neuron >= e.pops[i.population].size)
      return false;
  return s.settled <= s.tick && s.tick >= 0;
}

}  // namespace

Expected<void, Error> Engine::check_state(const EngineState& s) const {
  if (!fits(*impl_, s)) return unexpected(Error{ErrorCode::state_mismatch, "state does not fit this engine's network"});
  return {};
}

Expected<void, Error> Engine::import_state(const EngineState& s) {
  EngineImpl& e = *impl_;
  if (auto ok = check_state(s); !ok) return ok;
  e.tick = s.tick;
  e.settled = s.settled;
  e.injections = s.injections;
  for (std::size_t i = 0; i < e.pops.size(); ++i) {
    Population& p = e.pops[i];
    if (!p.local) continue;
    const PopulationState& ps = s.populations[i];
    p.v = ps.v;
    p.threshold = ps.threshold;
    p.last_spike = ps.last_spike;
    p.ring = ps.pending_input;
    p.spikes.clear();  // the post spikes the next boundary needs: those of tick - 1
    for (std::uint32_t n = 0; n < p.size; ++n)
      if (p.last_spike[n] == s.tick - 1) p.spikes.push_back(n);
  }
  for (std::size_t i = 0; i < e.projs.size(); ++i) {
    ProjectionRuntime& pr = e.projs[i];
    if (!pr.held || !pr.plastic) continue;
    const ProjectionState& ps = s.projections[i];
    PlasticSynapses& syn = pr.plastic_syn;
    syn.weights().assign(ps.weights.begin(), ps.weights.end());
    syn.pre_traces() = ps.pre_traces;
    syn.post_traces() = ps.post_traces;
    syn.eligibility().assign(ps.eligibility.begin(), ps.eligibility.end());
    syn.eligibility_offsets().assign(ps.eligibility_offsets.begin(), ps.eligibility_offsets.end());
    pr.arrivals = ps.arrivals;
    pr.reward_level = ps.reward_level;
    if (pr.eligibility()) pr.clock.restore(ps.dopamine);
  }
  return {};
}

}  // namespace p3p::cortex
