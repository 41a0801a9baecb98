// One tick: boundary processing (settle), neuron update, sending spikes. See engine.hpp for the order.
#include <algorithm>

#include "nodes/cortex/engine_impl.hpp"
#include "nodes/cortex/fixed_point.hpp"
#include "nodes/cortex/keyed_random.hpp"

namespace p3p::cortex {

BoundaryContext EngineImpl::context_for(const ProjectionRuntime& pr) const {
  BoundaryContext b;
  b.tick = tick;
  b.gain = pr.mode == DopamineMode::gain ? std::max(0.0, 1.0 + 2.0 * pr.reward_level) : 1.0;
  b.clock = &pr.clock;
  b.eta = pr.eta;
  b.last_spike = pops[pr.spec->target].last_spike.data();
  return b;
}

void EngineImpl::apply_injections() {
  auto due = [this](const PendingInjection& i) { return i.tick == tick; };
  for (const PendingInjection& i : injections)
    if (due(i)) {
      std::int64_t& pending = pops[i.population].slot(tick)[i.neuron];
      pending = add_saturating(pending, i.amount);
    }
  std::erase_if(injections, due);
}

void EngineImpl::catch_up(ProjectionRuntime& pr) {
  if (!pr.eligibility()) return;
  const BoundaryContext b = context_for(pr);
  const std::vector<std::uint32_t>& bounds = pops[pr.spec->target].bounds;
  pool.run(parts, [&](unsigned q) { pr.plastic_syn.catch_up(bounds[q], bounds[q + 1], b); });
}

void EngineImpl::clear_learning_state(ProjectionRuntime& pr) {
  catch_up(pr);
  pr.plastic_syn.clear_traces();
  pr.reward_level = 0.0;
  if (!pr.eligibility()) return;
  pr.clock.clear_dopamine();
  pr.clock.rebase(tick);
  pr.plastic_syn.rebase_offsets();
}

void EngineImpl::process_plastic(ProjectionRuntime& pr) {
  const ProjectionSpec& ps = *pr.spec;
  Population& tgt = pops[ps.target];
  PlasticSynapses& syn = pr.plastic_syn;
  const BoundaryContext b = context_for(pr);
  const std::vector<std::uint32_t>& bounds = tgt.bounds;
  std::vector<std::uint32_t>& arriving = pr.arrivals[static_cast<std::size_t>(tick % (ps.delay + 1))];
  std::sort(arriving.begin(), arriving.end());  // canonical order (local and remote sources mix here)
  std::int64_t* acc = tgt.slot(tick);
  const std::uint32_t ns = syn.source_count();
  // Post spikes of tick - 1 are what the last step left in tgt.spikes.
  const bool post = settled < tick && tick > 0 && !tgt.spikes.empty() && tgt.last_spike[tgt.spikes[0]] == tick - 1;
  const bool norm = ps.normalise.enabled && ps.normalise.every_ticks > 0 && tick > 0 &&
                    tick % ps.normalise.every_ticks == 0;
  const std::vector<std::uint32_t>& rows = tgt.row_bounds;
  pool.run(row_parts, [&](unsigned q) {
    syn.decay_traces(part_begin(ns, q, row_parts), part_begin(ns, q + 1, row_parts), rows[q], rows[q + 1]);
    syn.pre_arrivals(arriving, tick - ps.delay, ps.transmit ? acc : nullptr, q, b);
  });
  syn.bump_pre_traces(arriving);
  arriving.clear();
  if (!post && !norm) return;
  pool.run(parts, [&](unsigned q) {
    if (post) syn.post_spikes(tgt.spikes, bounds[q], bounds[q + 1], b);
    if (norm) syn.normalise(ps.normalise.target_sum, bounds[q], bounds[q + 1], b);
  });
}

void EngineImpl::settle() {
  if (settled >= tick) return;
  apply_injections();
  for (ProjectionRuntime& pr : projs) {
    if (!pr.held || !pr.plastic) continue;
    if (!pr.eligibility()) {
      process_plastic(pr);
      continue;
    }
    if (pr.clock.needs_rebase(tick)) {
      catch_up(pr);
      pr.clock.rebase(tick);
      pr.plastic_syn.rebase_offsets();
    }
    pr.clock.begin_boundary();
    process_plastic(pr);
    pr.clock.end_boundary(tick);
  }
  settled = tick;
}

namespace {

void update_range(Population& p, std::int64_t tick, const TickNoise& noise, unsigned part,
                  std::vector<std::uint32_t>& out) {
  const std::uint32_t b = p.bounds[part], e = p.bounds[part + 1];
  const NeuronParams& np = p.params;
  const double leak = np.leak, base = np.baseline, amp = np.noise, reset = np.reset;
  const bool floor = np.v_min.has_value();
  const double vmin = np.v_min.value_or(0.0);
  std::int64_t* __restrict acc = p.slot(tick);
  double* __restrict v = p.v.data();
  const double* __restrict thr = p.threshold.data();
  // Spikes are rare (a few %): record candidates branch-free into a buffer sized for the worst case,
  // then fix up the few that fired. Avoids a mispredicted branch per spike in the hot loop.
  std::uint32_t* __restrict cand = p.scratch[part].get();
  std::uint32_t n = 0;
  const std::uint32_t emits = p.silent ? 0U : 1U;
  for (std::uint32_t i = b; i < e; ++i) {
    double x = (v[i] + from_fixed(acc[i])) * leak + base;
    acc[i] = 0;
    if (amp != 0.0) x += noise(p.global_base + i, amp);
    if (floor) x = x < vmin ? vmin : x;
    const bool fired = x >= thr[i];
    v[i] = fired ? reset : x;
    cand[n] = i;
    n += fired ? emits : 0U;
  }
  out.assign(cand, cand + n);
  for (const std::uint32_t i : out) p.last_spike[i] = tick;
}

}  // namespace

void EngineImpl::update_neurons() {
  const TickNoise noise(spec.seed, tick);
  pool.run(parts, [&](unsigned q) {
    for (Population& p : pops) {
      if (!p.local) continue;
      if (p.noise_seed)
        update_range(p, tick, TickNoise(*p.noise_seed, tick - p.noise_origin), q, p.part_spikes[q]);
      else
        update_range(p, tick, noise, q, p.part_spikes[q]);
    }
  });
  tick_spikes.clear();
  for (Population& p : pops) {
    if (!p.local) continue;
    if (parts == 1) {
      p.spikes.swap(p.part_spikes[0]);
    } else {
      p.spikes.clear();
      for (const auto& part : p.part_spikes) p.spikes.insert(p.spikes.end(), part.begin(), part.end());
    }
    for (const std::uint32_t i : p.spikes) tick_spikes.push_back({tick, p.global_base + i});
  }
}

void EngineImpl::send_spikes() {
  bool any_static = false;
  for (ProjectionRuntime& pr : projs) {
    if (!pr.held || !pops[pr.spec->source].local || pops[pr.spec->source].spikes.empty()) continue;
    if (pr.plastic) {
      auto& slot = pr.arrivals[static_cast<std::size_t>((tick + pr.spec->delay) % (pr.spec->delay + 1))];
      const auto& sp = pops[pr.spec->source].spikes;
      slot.insert(slot.end(), sp.begin(), sp.end());
    } else {
      any_static = true;
    }
  }
  if (!any_static) return;
  pool.run(row_parts, [&](unsigned q) {
    for (ProjectionRuntime& pr : projs) {
      if (!pr.held || pr.plastic || !pops[pr.spec->source].local) continue;
      const std::vector<std::uint32_t>& sp = pops[pr.spec->source].spikes;
      if (!sp.empty()) pr.fixed.deliver(sp, pops[pr.spec->target].slot(tick + pr.spec->delay), q);
    }
  });
}

void EngineImpl::step() {
  settle();
  update_neurons();
  send_spikes();
  ++tick;
}

}  // namespace p3p::cortex
