#include "nodes/control/cluster_demo.hpp"

#include <algorithm>
#include <map>
#include <thread>

#include "nodes/control/cluster_wait.hpp"

namespace p3p::control {
namespace {

using Clock = std::chrono::steady_clock;

Expected<void, Failure> run_until(const topology::Topology& t, NodeClient& client, std::int64_t tick) {
  std::string told;
  for (const auto& n : t.nodes) {
    if (auto r = client.call(n, node_api::run_until(tick), kRequestTimeout); !r)
      return unexpected(Failure{r.error().code, r.error().message + " (target tick " + std::to_string(tick) + " set on: " +
                                                    (told.empty() ? std::string("no node") : told) + ")"});
    told += (told.empty() ? "" : ", ") + n.id;
  }
  return {};
}

std::uint64_t sum(const std::map<std::string, std::uint64_t>& m) {
  std::uint64_t total = 0;
  for (const auto& [k, v] : m) total += v;
  return total;
}

}  // namespace

Expected<nlohmann::json, Failure> run_demo(const topology::Topology& t, const RegionLayout& layout, NodeClient& client,
                                           const DemoPlan& plan) {
  std::vector<const RegionLayout::Region*> regions;
  for (const auto& name : plan.regions) {
    const RegionLayout::Region* r = layout.find(name);
    if (!r) return unexpected(Failure{ErrorCode::unknown_region, layout.unknown_region(name)});
    regions.push_back(r);
  }
  if (plan.column && (regions.size() != 1 || std::none_of(regions[0]->columns.begin(), regions[0]->columns.end(),
                                                          [&](const auto* c) { return c->id == *plan.column; })))
    return unexpected(Failure{ErrorCode::unknown_column, "no column '" + *plan.column + "' in region " +
                                                             (regions.empty() ? std::string("-") : regions[0]->name)});
  if (plan.stim_cycles < 0 || plan.advance_ticks < 0 || plan.pattern_len < 1 || !plan.pattern.is_array() || plan.pattern.empty())
    return unexpected(Failure{ErrorCode::bad_args, "stim_cycles and advance_ticks must be >= 0, pattern_len >= 1, the pattern not empty"});

  // Before the run nothing was asked of the cluster: a node that cannot answer fails the command at once.
  WaitRule rule{0, plan.stall, false, plan.cancel};
  auto before = wait_at_rest(t, client, rule);
  if (!before) return unexpected(before.error());
  if (auto ok = run_until(t, client, before->tick); !ok) return unexpected(ok.error());  // nodes agree on t0
  rule.min_tick = before->tick;
  before = wait_at_rest(t, client, rule);
  if (!before) return unexpected(before.error());

  const std::int64_t t0 = before->tick;
  const std::int64_t span = std::int64_t{plan.pattern_len} * static_cast<std::int64_t>(plan.pattern.size());
  std::uint64_t stimulations = 0;
  for (int c = 0; c < plan.stim_cycles; ++c) {
    for (std::size_t k = 0; k < regions.size(); ++k) {
      const std::int64_t start = t0 + (std::int64_t{c} * static_cast<std::int64_t>(regions.size()) + static_cast<std::int64_t>(k)) * span;
      for (const topology::Column* col : regions[k]->columns) {
        const topology::Column& column = *col;
        if (plan.column && column.id != *plan.column) continue;
        const topology::Node* node = topology::find_node(t, column.node);
        if (auto r = client.call(*node, node_api::stimulate(column.id, plan.pattern, plan.pattern_len, start), kRequestTimeout); !r)
          return unexpected(Failure{r.error().code, "stimulate " + column.id + ": " + r.error().message});
        ++stimulations;
      }
    }
  }
  const std::int64_t t_end = t0 + std::int64_t{plan.stim_cycles} * static_cast<std::int64_t>(regions.size()) * span + plan.advance_ticks;
  const auto run_from = Clock::now();
  if (auto ok = run_until(t, client, t_end); !ok) return unexpected(ok.error());
  // The run is on: a node lost for a while is waited for (the cluster finishes the run when it is back),
  // within the stall bound; past it the run is paused where it stands, and the answer says where.
  auto after = wait_at_rest(t, client, {t_end, plan.stall, true, plan.cancel});
  const double run_wall_s = std::chrono::duration<double>(Clock::now() - run_from).count();
  if (!after && after.error().code == ErrorCode::stalled) return unexpected(stop_stalled_run(t, client, after.error(), t_end));
  if (!after) return unexpected(after.error());

  nlohmann::json per_node = nlohmann::json::object(), per_region = nlohmann::json::object(),
                 per_column = nlohmann::json::object();
  for (const auto& n : t.nodes) per_node[n.id] = 0;
  for (const auto& r : layout.regions) {
    std::uint64_t region_total = 0;
    for (const topology::Column* c : r.columns) {
      const topology::Column& column = *c;
      const std::uint64_t caused = after->spikes[column.id] - before->spikes[column.id];
      per_column[column.id] = caused;
      per_node[column.node] = per_node[column.node].get<std::uint64_t>() + caused;
      region_total += caused;
    }
    per_region[r.name] = region_total;
  }
  return nlohmann::json{{"regions", plan.regions},
                        {"stim_cycles", plan.stim_cycles},
                        {"advance_ticks", plan.advance_ticks},
                        {"pattern", plan.pattern},
                        {"pattern_len", plan.pattern_len},
                        {"stimulations", stimulations},
                        {"start_tick", t0},
                        {"end_tick", after->tick},
                        // From run_until to every node seen idle at the end (status polled every 10 ms).
                        {"run_wall_s", run_wall_s},
                        {"ticks_per_s", run_wall_s > 0 ? static_cast<double>(after->tick - t0) / run_wall_s : 0.0},
                        {"spikes_total", sum(after->spikes) - sum(before->spikes)},
                        {"spikes_per_node", per_node},
                        {"spikes_per_region", per_region},
                        {"spikes_per_column", per_column}};
}

}  // namespace p3p::control
