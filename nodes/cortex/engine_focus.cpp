// The focus: which populations are silenced, and what that lets the lockstep skip (engine.hpp).
#include <algorithm>
#include <string>

#include "nodes/cortex/engine_impl.hpp"

namespace p3p::cortex {

Expected<void, Error> Engine::set_silent(std::span<const std::uint32_t> populations) {
  EngineImpl& e = *impl_;
  for (const std::uint32_t p : populations)
    if (p >= e.pops.size()) return unexpected(Error{ErrorCode::invalid_argument, "unknown population " + std::to_string(p)});
  for (Population& p : e.pops) p.silent = false;
  for (const std::uint32_t p : populations) e.pops[p].silent = true;
  return {};
}

std::vector<std::uint32_t> Engine::silent() const {
  std::vector<std::uint32_t> out;
  for (std::uint32_t p = 0; p < impl_->pops.size(); ++p)
    if (impl_->pops[p].silent) out.push_back(p);
  return out;
}

std::optional<std::int32_t> Engine::lookahead_from(int node) const {
  const EngineImpl& e = *impl_;
  std::optional<std::int32_t> best;
  for (const ProjectionSpec& ps : e.spec.projections)
    if (e.spec.populations[ps.source].node == node && e.pops[ps.target].local && !e.pops[ps.source].silent)
      best = std::min(best.value_or(ps.delay), ps.delay);
  return node == e.options.node ? std::nullopt : best;
}

bool Engine::sends_to(int node) const {
  const EngineImpl& e = *impl_;
  if (node == e.options.node) return false;
  return std::any_of(e.spec.projections.begin(), e.spec.projections.end(), [&](const ProjectionSpec& ps) {
    return e.pops[ps.source].local && !e.pops[ps.source].silent && e.spec.populations[ps.target].node == node;
  });
}

}  // namespace p3p::cortex
