// The distribution API: spikes of populations held by other engines, and which local spikes peers need.
#include <algorithm>
#include <cstdint>
#include <string>

#include "nodes/cortex/engine_impl.hpp"

namespace p3p::cortex {

namespace {
Unexpected<Error> remote_error(ErrorCode c, std::string msg) { return unexpected(Error{c, std::move(msg)}); }
}  // namespace

Expected<void, Error> Engine::deliver_remote_spikes(std::span<const Spike> spikes, std::uint64_t* late_dropped) {
  EngineImpl& e = *impl_;
  // One pass checks every spike and sorts the sources into groups per (projection, arrival tick); nothing
  // is applied until the whole batch checked out, so a bad batch changes nothing. Then each static group
  // is delivered as one list, the way local spikes go (rows prefetched ahead; one spike at a time, every
  // row fetch is a cache miss). A batch comes population by population and tick by tick, so the
  // population and the arrival checks are redone only when they change.
  auto& groups = e.remote_groups;
  std::size_t used = 0;
  e.remote_group_of.assign(e.projs.size(), SIZE_MAX);
  const auto none = static_cast<std::uint32_t>(e.pops.size());
  std::uint32_t p = none;
  std::uint64_t lo = 0, hi = 0;
  std::int64_t checked_tick = 0;
  bool tick_checked = false;
  bool late = false;  // the checked tick's spikes come too late (dropped: only with late_dropped)
  std::uint64_t dropped = 0;
  for (const Spike& s : spikes) {
    if (p == none || s.neuron < lo || s.neuron >= hi) {
      p = e.population_of(s.neuron);
      if (p == none) return remote_error(ErrorCode::invalid_argument, "unknown neuron " + std::to_string(s.neuron));
      if (e.pops[p].local) return remote_error(ErrorCode::invalid_argument, "spike of a local population delivered as remote");
      lo = e.pops[p].global_base;
      hi = lo + e.pops[p].size;
      tick_checked = false;
    }
    if (!tick_checked || s.tick != checked_tick) {
      if (s.tick >= e.tick) return remote_error(ErrorCode::invalid_argument, "remote spike from a tick not yet computed here");
      late = false;
      for (const std::uint32_t j : e.held_from[p]) {
        const std::int64_t arrival = s.tick + e.projs[j].spec->delay;
        if (arrival < e.tick || (arrival == e.tick && e.settled >= e.tick)) {
          if (!late_dropped)
            return remote_error(ErrorCode::too_late, "spike of tick " + std::to_string(s.tick) + " arrives after tick " +
                                                         std::to_string(arrival) + " was computed");
          late = true;
        }
      }
      checked_tick = s.tick;
      tick_checked = true;
    }
    if (late) {
      ++dropped;
      continue;
    }
    const auto local = static_cast<std::uint32_t>(s.neuron - lo);
    for (const std::uint32_t j : e.held_from[p]) {
      const std::int64_t arrival = s.tick + e.projs[j].spec->delay;
      std::size_t g = e.remote_group_of[j];
      if (g == SIZE_MAX || groups[g].arrival != arrival) {
        g = 0;
        while (g < used && (groups[g].projection != j || groups[g].arrival != arrival)) ++g;
        if (g == used) {
          if (used == groups.size()) groups.emplace_back();
          groups[used].projection = j;
          groups[used].arrival = arrival;
          groups[used].sources.clear();
          ++used;
        }
        e.remote_group_of[j] = g;
      }
      groups[g].sources.push_back(local);
    }
  }
  for (std::size_t g = 0; g < used; ++g) {
    ProjectionRuntime& pr = e.projs[groups[g].projection];
    const std::int64_t arrival = groups[g].arrival;
    if (pr.plastic) {
      auto& slot = pr.arrivals[static_cast<std::size_t>(arrival % (pr.spec->delay + 1))];
      slot.insert(slot.end(), groups[g].sources.begin(), groups[g].sources.end());
    } else {
      pr.fixed.deliver_all(groups[g].sources, e.pops[pr.spec->target].slot(arrival));
    }
  }
  if (late_dropped) *late_dropped += dropped;
  return {};
}

std::vector<PeerRoute> Engine::routes() const {
  const EngineImpl& e = *impl_;
  std::vector<PeerRoute> out;
  for (const ProjectionSpec& ps : e.spec.projections) {
    const int peer = e.spec.populations[ps.target].node;
    if (!e.pops[ps.source].local || peer == e.options.node) continue;
    auto it = std::find_if(out.begin(), out.end(), [peer](const PeerRoute& r) { return r.node == peer; });
    if (it == out.end()) it = out.insert(out.end(), PeerRoute{peer, {}});
    if (std::find(it->populations.begin(), it->populations.end(), ps.source) == it->populations.end())
      it->populations.push_back(ps.source);
  }
  for (PeerRoute& r : out) std::sort(r.populations.begin(), r.populations.end());
  std::sort(out.begin(), out.end(), [](const PeerRoute& a, const PeerRoute& b) { return a.node < b.node; });
  return out;
}

std::optional<std::int32_t> Engine::min_cross_delay() const {
  std::optional<std::int32_t> best;
  for (const ProjectionSpec& ps : impl_->spec.projections)
    if (impl_->spec.populations[ps.source].node != impl_->spec.populations[ps.target].node)
      best = std::min(best.value_or(ps.delay), ps.delay);
  return best;
}

std::vector<Spike> spikes_for_node(const Engine& engine, std::span<const Spike> spikes, int node) {
  std::vector<Spike> out;
  for (const PeerRoute& r : engine.routes()) {
    if (r.node != node) continue;
    for (const Spike& s : spikes)
      for (const std::uint32_t p : r.populations) {
        const std::uint64_t b = engine.global_id(p, 0);
        if (s.neuron >= b && s.neuron < b + engine.spec().populations[p].size) out.push_back(s);
      }
  }
  return out;
}

}  // namespace p3p::cortex
