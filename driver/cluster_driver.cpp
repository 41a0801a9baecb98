#include "driver/cluster_driver.hpp"

#include <algorithm>
#include <cmath>

#include "common/closest_match.hpp"
#include "nodes/cortex/engine.hpp"

namespace p3p::driver {
namespace {

Error bad_args(std::string message) { return {ErrorCode::bad_args, std::move(message)}; }

Error unknown_region(const std::string& name, const std::map<std::string, std::vector<std::string>>& regions) {
  std::vector<std::string_view> names;
  for (const auto& [region, columns] : regions) names.push_back(region);
  return {ErrorCode::unknown_region, "no region '" + name.substr(0, 128) + "' in the topology" + did_you_mean(name, names)};
}

// The nodes' request table allows ticks up to 2^61 (tick arithmetic never overflows below it).
constexpr std::int64_t kMaxTick = std::int64_t{1} << 61;

}  // namespace

void ClusterDriver::start_at(Stop stop, std::map<std::string, std::vector<std::string>> regions) {
  sizes_.clear();
  counted_.clear();
  for (const auto& [column, counts] : stop.counts) {
    sizes_[column] = counts.size();
    counted_.push_back(column);
  }
  stops_.clear();
  stops_.push_back(std::move(stop));
  regions_ = std::move(regions);
}

Expected<void, Error> ClusterDriver::known(const std::vector<std::string>& columns) const {
  for (const std::string& c : columns)
    if (!sizes_.contains(c)) return unexpected(Error{ErrorCode::unknown_column, "no column '" + c + "' in the topology"});
  return {};
}

Expected<void, Error> ClusterDriver::watch(std::vector<std::string> columns) {
  if (auto ok = known(columns); !ok) return ok;
  if (columns.empty())
    for (const auto& entry : sizes_) columns.push_back(entry.first);
  std::sort(columns.begin(), columns.end());
  columns.erase(std::unique(columns.begin(), columns.end()), columns.end());
  counted_ = std::move(columns);
  return {};
}

Expected<void, Error> ClusterDriver::focus(const std::vector<std::string>& columns) {
  if (auto ok = known(columns); !ok) return ok;
  return set_focus(columns);
}

const ClusterDriver::Stop* ClusterDriver::stop_at(std::int64_t tick) const {
  const auto it = std::lower_bound(stops_.begin(), stops_.end(), tick, [](const Stop& s, std::int64_t t) { return s.tick < t; });
  return it != stops_.end() && it->tick == tick ? &*it : nullptr;
}

Expected<std::int64_t, Error> ClusterDriver::advance_to(std::int64_t tick) {
  if (tick <= this->tick() || tick > kMaxTick)
    return unexpected(bad_args("advance_to " + std::to_string(tick) + ": the cluster is at tick " + std::to_string(this->tick())));
  auto stop = run_to(tick);
  if (!stop) return unexpected(stop.error());
  stops_.push_back(std::move(*stop));
  if (stops_.size() > kKeptStops) stops_.pop_front();
  return stops_.back().tick;
}

Expected<void, Error> ClusterDriver::schedule(std::span<const Current> currents) {
  for (const Current& c : currents) {
    const auto column = sizes_.find(c.column);
    if (column == sizes_.end()) return unexpected(Error{ErrorCode::unknown_column, "no column '" + c.column + "' in the topology"});
    if (c.neuron >= column->second)
      return unexpected(bad_args("column " + c.column + " has " + std::to_string(column->second) + " neurons, not neuron " +
                                 std::to_string(c.neuron)));
    if (c.tick < tick())
      return unexpected(bad_args("a current at tick " + std::to_string(c.tick) + " is in the past (the cluster is at tick " +
                                 std::to_string(tick()) + ")"));
    if (c.tick > kMaxTick) return unexpected(bad_args("a current's tick must be at most 2^61"));
    // The engine would clamp a larger one and a node refuse it: both drivers refuse it.
    if (!(std::fabs(c.current) <= cortex::kMaxInjectedCurrent)) return unexpected(bad_args("a current must be a number in [-1e6, 1e6]"));
  }
  return currents.empty() ? Expected<void, Error>{} : inject(currents);
}

Expected<SpikeCounts, Error> ClusterDriver::spike_counts(std::int64_t from, std::int64_t to) const {
  const Stop* a = stop_at(from);
  const Stop* b = stop_at(to);
  if (from > to || !a || !b)
    return unexpected(bad_args("the window [" + std::to_string(from) + ", " + std::to_string(to) +
                               ") must run between two ticks the driver stopped at (the oldest kept: " +
                               std::to_string(stops_.front().tick) + ")"));
  SpikeCounts out{from, to, {}, {}, 0};
  for (const auto& [column, after] : b->counts) {
    const auto earlier = a->counts.find(column);
    if (earlier == a->counts.end()) continue;  // watched since
    const std::vector<std::uint64_t>& before = earlier->second;
    auto& per_neuron = out.per_neuron[column];
    std::uint64_t sum = 0;
    for (std::size_t i = 0; i < after.size(); ++i) sum += per_neuron.emplace_back(after[i] - before[i]);
    out.per_column[column] = sum;
    out.total += sum;
  }
  return out;
}

Expected<void, Error> ClusterDriver::set_reward(double value, std::int64_t at, std::optional<std::string> region) {
  if (!(std::fabs(value) <= cortex::kMaxReward)) return unexpected(bad_args("a reward must be a number in [-1000, 1000]"));
  const auto columns = region ? regions_.find(*region) : regions_.end();
  if (region && columns == regions_.end()) return unexpected(unknown_region(*region, regions_));
  if (at < tick())
    return unexpected(bad_args("a reward at tick " + std::to_string(at) + " is in the past (the cluster is at tick " +
                               std::to_string(tick()) + ")"));
  if (at > tick()) {
    auto reached = advance_to(at);
    if (!reached) return unexpected(reached.error());
    if (*reached != at)
      return unexpected(bad_args("tick " + std::to_string(at) + " is inside a lockstep epoch; the cluster stopped at " +
                                 std::to_string(*reached)));
  }
  return reward(value, region ? &columns->second : nullptr);
}

Expected<std::vector<ProjectionWeights>, Error> ClusterDriver::weights(const std::string& column) {
  if (!sizes_.contains(column)) return unexpected(Error{ErrorCode::unknown_column, "no column '" + column + "' in the topology"});
  return read_weights(column);
}

Expected<void, Error> ClusterDriver::set_weights(const std::string& column, const std::string& from,
                                                std::span<const Synapse> synapses) {
  for (const std::string* c : {&column, &from})
    if (!sizes_.contains(*c)) return unexpected(Error{ErrorCode::unknown_column, "no column '" + *c + "' in the topology"});
  if (synapses.empty() || synapses.size() > kMaxWeightWrites)
    return unexpected(bad_args("set_weights takes 1 to " + std::to_string(kMaxWeightWrites) + " synapses"));
  for (const Synapse& s : synapses)
    if (!std::isfinite(s.weight)) return unexpected(bad_args("a weight must be a finite number"));
  return write_weights(column, from, synapses);
}

Expected<void, Error> ClusterDriver::normalise(const std::string& column, const std::string& from, double target_sum) {
  for (const std::string* c : {&column, &from})
    if (!sizes_.contains(*c)) return unexpected(Error{ErrorCode::unknown_column, "no column '" + *c + "' in the topology"});
  if (!(std::fabs(target_sum) <= cortex::kMaxNormaliseSum)) return unexpected(bad_args("a target sum must be a number in [-1e6, 1e6]"));
  return scale_weights(column, from, target_sum);
}

Expected<void, Error> ClusterDriver::reset_columns(std::span<const std::string> columns, bool weights,
                                                  std::optional<std::uint64_t> noise_seed) {
  if (columns.empty()) return unexpected(bad_args("reset needs at least one column"));
  std::vector<std::string> unique;
  for (const std::string& c : columns) {
    if (!sizes_.contains(c)) return unexpected(Error{ErrorCode::unknown_column, "no column '" + c + "' in the topology"});
    if (std::find(unique.begin(), unique.end(), c) == unique.end()) unique.push_back(c);
  }
  return reset(unique, weights, noise_seed);
}

Expected<void, Error> ClusterDriver::reset_region(const std::string& region, bool weights, std::optional<std::uint64_t> noise_seed) {
  const auto it = regions_.find(region);
  if (it == regions_.end()) return unexpected(unknown_region(region, regions_));
  return reset_columns(it->second, weights, noise_seed);
}

std::map<std::string, std::vector<std::string>> regions_of(const topology::Topology& t) {
  std::map<std::string, std::vector<std::string>> out;
  for (const topology::Region& r : t.regions)
    for (const topology::Column& c : r.columns) out[r.name].push_back(c.id);
  return out;
}

}  // namespace p3p::driver
