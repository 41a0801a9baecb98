// What an experiment changes from outside the simulation: weights written, populations reset. Both touch
// only what lives with the populations they name (a projection's synapses live with its target), so an
// engine holding some columns does exactly what the single engine does for them: split or not, the
// spikes afterwards are the same.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <tuple>
#include <utility>

#include "nodes/cortex/engine_impl.hpp"

namespace p3p::cortex {
namespace {

Unexpected<Error> arg_error(std::string msg) { return unexpected(Error{ErrorCode::invalid_argument, std::move(msg)}); }

std::string number_text(double x) {
  char out[32];
  std::snprintf(out, sizeof out, "%g", x);
  return out;
}

std::string pair_text(const SynapseView& s) { return std::to_string(s.source) + " -> " + std::to_string(s.target); }

}  // namespace

Expected<std::uint64_t, Error> Engine::set_weights(std::uint32_t projection, std::span<const SynapseView> synapses) {
  EngineImpl& e = *impl_;
  if (projection >= e.projs.size() || !e.projs[projection].held) return arg_error("projection not held here");
  ProjectionRuntime& pr = e.projs[projection];
  if (!pr.plastic) return arg_error("a static projection's weights are fixed by the topology; only plastic ones can be written");
  PlasticSynapses& syn = pr.plastic_syn;
  const auto rows = syn.incoming_rows();
  const auto sources = syn.sources();
  const double lo = syn.stdp().w_min, hi = syn.stdp().w_max;
  std::vector<std::pair<std::uint64_t, double>> writes;  // every item checked before the first write
  for (const SynapseView& s : synapses) {
    if (!(s.weight >= lo && s.weight <= hi))  // NaN fails too
      return arg_error("the weight of synapse " + pair_text(s) + " must be a number in [" + number_text(lo) + ", " + number_text(hi) + "]");
    for (const auto& [neuron, population, what] : {std::tuple{s.source, pr.spec->source, "source neuron"},
                                                    std::tuple{s.target, pr.spec->target, "target neuron"}})
      if (const std::uint32_t size = e.pops[population].size; neuron >= size)
        return arg_error(neuron_range_message(what, neuron, e.spec.populations[population].name, size));
    const std::size_t before = writes.size();
    for (std::uint64_t sid = rows[s.target]; sid < rows[s.target + 1]; ++sid)
      if (sources[sid] == s.source) writes.emplace_back(sid, s.weight);
    if (writes.size() == before) return arg_error("the projection has no synapse " + pair_text(s));
  }
  const BoundaryContext b = e.context_for(pr);
  for (const auto& [sid, w] : writes) syn.set_weight(sid, w, b);
  return static_cast<std::uint64_t>(writes.size());
}

Expected<void, Error> Engine::reset(std::span<const std::uint32_t> populations, bool weights,
                                    std::optional<std::uint64_t> noise_seed) {
  EngineImpl& e = *impl_;
  std::vector<bool> chosen(e.pops.size(), false);
  for (const std::uint32_t p : populations) {
    if (p >= e.pops.size() || !e.pops[p].local) return arg_error("population not held here");
    chosen[p] = true;
  }
  // After settle() the boundary has taken the last tick's spikes and this tick's arrivals already.
  if (e.settled >= e.tick) return arg_error("a reset goes between ticks, not after settle()");
  for (std::size_t i = 0; i < e.projs.size(); ++i) {
    ProjectionRuntime& pr = e.projs[i];
    if (!pr.held || !pr.plastic || !chosen[pr.spec->target]) continue;  // static weights never change
    if (weights) e.rebuild_plastic(i);
    e.clear_learning_state(pr);
  }
  for (std::size_t p = 0; p < e.pops.size(); ++p) {
    if (!chosen[p]) continue;
    e.initial_potentials(p);
    std::fill(e.pops[p].last_spike.begin(), e.pops[p].last_spike.end(), kNeverSpiked);
    e.pops[p].spikes.clear();
    if (noise_seed) {  // without one the population stays on the noise it had (a trial reset inside a run)
      e.pops[p].noise_seed = noise_seed;
      e.pops[p].noise_origin = e.tick;
    }
  }
  return {};
}

Expected<std::uint32_t, Error> projection_between(const NetworkSpec& spec, std::uint32_t source, std::uint32_t target) {
  std::vector<std::uint32_t> found;
  for (std::uint32_t j = 0; j < spec.projections.size(); ++j)
    if (spec.projections[j].source == source && spec.projections[j].target == target) found.push_back(j);
  if (found.size() == 1) return found[0];
  return arg_error(found.empty() ? "no such projection"
                                 : std::to_string(found.size()) + " such projections, which set_weights cannot tell apart");
}

}  // namespace p3p::cortex
