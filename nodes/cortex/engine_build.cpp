// Validating a NetworkSpec and building populations and synapses from it.
#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <string>

#include "nodes/cortex/engine_impl.hpp"
#include "nodes/cortex/keyed_random.hpp"

namespace p3p::cortex {

namespace {

Unexpected<Error> spec_error(std::string msg) { return unexpected(Error{ErrorCode::invalid_spec, std::move(msg)}); }

Expected<void, Error> check_population(const PopulationSpec& p, std::size_t i) {
  const std::string where = "population " + std::to_string(i) + " (" + p.name + "): ";
  if (p.size == 0) return spec_error(where + "size must be at least 1");
  if (!p.thresholds.empty() && p.thresholds.size() != p.size)
    return spec_error(where + "thresholds must be empty or one per neuron");
  if (p.params.noise < 0) return spec_error(where + "noise must be >= 0");
  if (p.params.v_init_max < p.params.v_init_min) return spec_error(where + "v_init_max < v_init_min");
  return {};
}

Expected<void, Error> check_dopamine(const DopamineParams& d, const std::string& where) {
  if (!(d.tau_c > 0) || !(d.tau_d > 0)) return spec_error(where + "dopamine tau_c and tau_d must be > 0");
  if (!std::isfinite(d.eta)) return spec_error(where + "dopamine eta must be a finite number");
  return {};
}

Expected<void, Error> check_projection(const NetworkSpec& n, const ProjectionSpec& p, std::size_t i) {
  const std::string where = "projection " + std::to_string(i) + ": ";
  if (p.source >= n.populations.size() || p.target >= n.populations.size())
    return spec_error(where + "source or target population out of range");
  const std::uint32_t ns = n.populations[p.source].size;
  const std::uint32_t nt = n.populations[p.target].size;
  if (p.delay < 1) return spec_error(where + "delay must be >= 1 tick");
  if (!p.source_weights.empty() && p.source_weights.size() != ns)
    return spec_error(where + "source_weights must be empty or one per source neuron");
  if (p.rule == ConnectionRule::one_to_one && ns != nt) return spec_error(where + "one_to_one needs equal sizes");
  if (p.rule == ConnectionRule::fixed_indegree && !p.replace && p.in_degree > ns)
    return spec_error(where + "fixed_indegree without replacement needs in_degree <= source size");
  if (p.rule == ConnectionRule::probability && !(p.probability >= 0.0 && p.probability <= 1.0))
    return spec_error(where + "probability must be in [0, 1]");
  for (const ExplicitSynapse& e : p.synapses)
    if (p.rule == ConnectionRule::explicit_list && (e.source >= ns || e.target >= nt))
      return spec_error(where + "explicit synapse index out of range");
  if (p.exclude_same_group > 0 && p.rule == ConnectionRule::explicit_list)
    return spec_error(where + "exclude_same_group does not apply to an explicit list");
  if (p.blocks > 0 && (p.rule != ConnectionRule::all_to_all || ns % p.blocks != 0 || nt % p.blocks != 0))
    return spec_error(where + "blocks needs all_to_all and both sizes multiples of the block count");
  const StdpParams& s = p.stdp;
  if (s.rule != StdpRule::none && (!(s.tau_plus > 0) || !(s.tau_minus > 0) || s.w_min > s.w_max))
    return spec_error(where + "STDP needs tau > 0 and w_min <= w_max");
  if (!p.transmit && s.rule == StdpRule::none)
    return spec_error(where + "transmit false needs a plastic projection (a static one would do nothing)");
  if (p.normalise.every_ticks < 0) return spec_error(where + "normalise.every_ticks must be >= 0");
  if (p.dopamine) return check_dopamine(*p.dopamine, where);
  return {};
}

}  // namespace

EngineImpl::EngineImpl(const NetworkSpec& s, const EngineOptions& o)
    : spec(s),
      options(o),
      parts(o.threads <= 1 ? 1U : o.threads * kTasksPerThread),
      row_parts(std::max(1U, o.threads)),
      pool(std::max(1U, o.threads)) {}

Expected<void, Error> EngineImpl::build() {
  for (std::size_t i = 0; i < spec.populations.size(); ++i)
    if (auto r = check_population(spec.populations[i], i); !r) return unexpected(r.error());
  for (std::size_t i = 0; i < spec.projections.size(); ++i)
    if (auto r = check_projection(spec, spec.projections[i], i); !r) return unexpected(r.error());
  if (auto r = check_dopamine(spec.dopamine, "network: "); !r) return r;

  layout_populations();
  if (auto r = build_projections(); !r) return r;
  for (std::size_t i = 0; i < pops.size(); ++i)
    if (pops[i].local) init_population(i);
  for (ProjectionRuntime& pr : projs) {
    if (!pr.held || row_parts == 1) continue;
    const Population& t = pops[pr.spec->target];
    if (pr.plastic)
      pr.plastic_syn.prepare_parts(t.row_bounds);
    else
      pr.fixed.prepare_parts(t.row_bounds);
  }
  return {};
}

void EngineImpl::layout_populations() {
  pops.resize(spec.populations.size());
  std::uint64_t base = 0;  // global ids in population order: the same on every node
  for (std::size_t i = 0; i < pops.size(); ++i) {
    const PopulationSpec& ps = spec.populations[i];
    Population& p = pops[i];
    p.size = ps.size;
    p.global_base = base;
    base += ps.size;
    p.local = ps.node == options.node;
    p.params = ps.params;
  }
}

Expected<void, Error> EngineImpl::build_projections() {
  projs.resize(spec.projections.size());
  held_from.assign(pops.size(), {});
  std::map<double, std::shared_ptr<const EligibilityClock::Powers>> powers;  // per tau_c, shared by the clocks
  for (std::size_t i = 0; i < projs.size(); ++i) {
    const ProjectionSpec& ps = spec.projections[i];
    ProjectionRuntime& pr = projs[i];
    pr.spec = &ps;
    pr.held = pops[ps.target].local;  // synapses live with their target
    pr.plastic = ps.stdp.rule != StdpRule::none;
    if (!pr.held) continue;
    held_from[ps.source].push_back(static_cast<std::uint32_t>(i));
    Population& tgt = pops[ps.target];
    tgt.slots = std::max(tgt.slots, static_cast<std::uint32_t>(ps.delay) + 1);
    if (pr.plastic) {
      const DopamineParams& d = dopamine_of(spec, ps);
      pr.mode = d.mode;
      pr.eta = d.eta;
      if (pr.eligibility()) {
        auto& p = powers[d.tau_c];
        if (!p) p = EligibilityClock::powers(d.tau_c);
        pr.clock.configure(p, d.tau_d);
      }
      if (!pr.plastic_syn.build(connectivity(i), ps.stdp, pr.eligibility()))
        return spec_error("projection " + std::to_string(i) + ": too many targets x in-degree for plastic storage");
      pr.arrivals.assign(static_cast<std::size_t>(ps.delay) + 1, {});
    } else {
      pr.fixed.build(connectivity(i));
    }
  }
  return {};
}

ConnectivityContext EngineImpl::connectivity(std::size_t i) const {
  const ProjectionSpec& ps = spec.projections[i];
  return {&ps, spec.seed, ps.key.value_or(i), pops[ps.source].global_base, pops[ps.target].global_base,
          pops[ps.source].size, pops[ps.target].size};
}

// After build(): a plastic projection's synapses again as built - weights, zero traces and eligibility.
// It was built once, so its storage fits again.
void EngineImpl::rebuild_plastic(std::size_t i) {
  ProjectionRuntime& pr = projs[i];
  PlasticSynapses fresh;
  (void)fresh.build(connectivity(i), pr.spec->stdp, pr.eligibility());
  if (row_parts > 1) fresh.prepare_parts(pops[pr.spec->target].row_bounds);
  pr.plastic_syn = std::move(fresh);
}

void EngineImpl::init_population(std::size_t i) {
  Population& p = pops[i];
  const PopulationSpec& ps = spec.populations[i];
  initial_potentials(i);
  p.spec_threshold = ps.thresholds.empty() ? std::vector<double>(p.size, ps.params.threshold) : ps.thresholds;
  p.threshold = p.spec_threshold;
  p.last_spike.assign(p.size, kNeverSpiked);
  p.ring.assign(static_cast<std::size_t>(p.slots) * p.size, 0);
  p.part_spikes.assign(parts, {});
  p.bounds.resize(parts + 1);
  for (unsigned q = 0; q <= parts; ++q) p.bounds[q] = part_begin(p.size, q, parts);
  p.row_bounds.resize(row_parts + 1);
  for (unsigned q = 0; q <= row_parts; ++q) p.row_bounds[q] = part_begin(p.size, q, row_parts);
  p.scratch.clear();
  for (unsigned q = 0; q < parts; ++q)
    p.scratch.push_back(std::make_unique_for_overwrite<std::uint32_t[]>(p.bounds[q + 1] - p.bounds[q] + 1ULL));
}

void EngineImpl::initial_potentials(std::size_t i) {
  Population& p = pops[i];
  const PopulationSpec& ps = spec.populations[i];
  p.v.resize(p.size);
  const double lo = ps.params.v_init_min;
  const double span = ps.params.v_init_max - lo;
  const auto stream = static_cast<std::uint64_t>(Stream::init_v);
  for (std::uint32_t n = 0; n < p.size; ++n)
    p.v[n] = span > 0 ? lo + span * unit_double(key_hash(spec.seed, stream, p.global_base + n)) : lo;
}

std::uint32_t EngineImpl::population_of(std::uint64_t global_id) const {
  auto it = std::upper_bound(pops.begin(), pops.end(), global_id,
                             [](std::uint64_t g, const Population& p) { return g < p.global_base; });
  if (it == pops.begin()) return static_cast<std::uint32_t>(pops.size());
  --it;
  if (global_id >= it->global_base + it->size) return static_cast<std::uint32_t>(pops.size());
  return static_cast<std::uint32_t>(it - pops.begin());
}

}  // namespace p3p::cortex
