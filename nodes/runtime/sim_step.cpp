#include "nodes/runtime/sim_step.hpp"

#include <cmath>
#include <limits>

#include "nodes/runtime/request_table.hpp"  // bad_args, kMaxItemCurrent

namespace p3p::runtime {
namespace {

constexpr std::size_t kMaxParts = 4096;           // items in each of currents, rewards, normalise, columns
constexpr std::size_t kMaxStepCurrents = 65536;   // currents of all of a step's items (each tick counted)
constexpr std::uint64_t kMaxRepeat = 1024;        // ticks one item repeats for

bool is_list(const nlohmann::json& v, std::size_t max) { return v.is_array() && v.size() <= max; }

// A column this node holds.
Expected<std::uint32_t, Failure> local(const nlohmann::json& name, const cortex::Engine& engine, const PopulationIndex& index) {
  if (!name.is_string()) return unexpected(bad_args("a column must be named by its id"));
  const auto it = index.find(name.get<std::string>());
  if (it == index.end()) return unexpected(Failure{ErrorCode::unknown_column, "no column '" + name.get<std::string>() + "' in the topology"});
  if (!engine.is_local(it->second)) return unexpected(Failure{ErrorCode::not_here, "column " + it->first + " is not on this node"});
  return it->second;
}

Expected<std::vector<std::uint32_t>, Failure> locals(const nlohmann::json& names, const cortex::Engine& engine, const PopulationIndex& index) {
  if (!is_list(names, kMaxParts)) return unexpected(bad_args("columns must be a list of at most " + std::to_string(kMaxParts) + " ids"));
  std::vector<std::uint32_t> out;
  for (const auto& name : names) {
    auto p = local(name, engine, index);
    if (!p) return unexpected(p.error());
    out.push_back(*p);
  }
  return out;
}

// [column, tick, [neuron, ...], [current, ...], ticks?]
Expected<StepCurrents, Failure> currents_of(const nlohmann::json& item, const cortex::Engine& engine, const PopulationIndex& index) {
  if (!item.is_array() || (item.size() != 4 && item.size() != 5) || !item[1].is_number_integer() || !item[2].is_array() ||
      !item[3].is_array() || item[2].size() != item[3].size())
    return unexpected(bad_args("each of 'currents' must be [column, tick, [neuron, ...], [current, ...], ticks?] with as many currents as neurons"));
  if (item.size() == 5 && (!item[4].is_number_unsigned() || item[4].get<std::uint64_t>() < 1 || item[4].get<std::uint64_t>() > kMaxRepeat))
    return unexpected(bad_args("a current's ticks must be an integer in [1, " + std::to_string(kMaxRepeat) + "]"));
  auto population = local(item[0], engine, index);
  if (!population) return unexpected(population.error());
  StepCurrents c{*population, item[1].get<std::int64_t>(), {}};
  if (item.size() == 5) c.ticks = item[4].get<std::uint32_t>();
  if (c.tick < engine.tick())
    return unexpected(bad_args("currents for tick " + std::to_string(c.tick) + ", which is past (node at tick " + std::to_string(engine.tick()) + ")"));
  const std::uint32_t size = engine.spec().populations[c.population].size;
  for (std::size_t i = 0; i < item[2].size(); ++i) {
    const auto& n = item[2][i];
    const auto& v = item[3][i];
    if (!n.is_number_unsigned() || n.get<std::uint64_t>() >= size)
      return unexpected(bad_args("neuron " + n.dump().substr(0, 32) + " is not in column " + item[0].get<std::string>() +
                                 " (it has neurons 0 to " + std::to_string(size - 1) + ")"));
    if (!v.is_number() || !(std::fabs(v.get<double>()) <= kMaxItemCurrent))
      return unexpected(bad_args("each current must be a number in [-1e6, 1e6]"));
    c.items.push_back({n.get<std::uint32_t>(), v.get<double>()});
  }
  return c;
}

// [value, [column, ...] | nil]
Expected<StepReward, Failure> reward_of(const nlohmann::json& item, const cortex::Engine& engine, const PopulationIndex& index) {
  if (!item.is_array() || item.size() != 2 || !item[0].is_number() || !(item[1].is_null() || item[1].is_array()))
    return unexpected(bad_args("each of 'rewards' must be [value, [column, ...] or nil]"));
  StepReward r{item[0].get<double>(), std::nullopt};
  if (item[1].is_array()) {
    auto populations = locals(item[1], engine, index);
    if (!populations) return unexpected(populations.error());
    r.populations = std::move(*populations);
  }
  return r;
}

// [column, from, target_sum]
Expected<StepNormalise, Failure> normalise_of(const nlohmann::json& item, const cortex::Engine& engine, const PopulationIndex& index) {
  if (!item.is_array() || item.size() != 3 || !item[1].is_string() || !item[2].is_number() ||
      !(std::fabs(item[2].get<double>()) <= cortex::kMaxNormaliseSum))
    return unexpected(bad_args("each of 'normalise' must be [column, from, target_sum] with |target_sum| <= 1e6"));
  auto target = local(item[0], engine, index);
  if (!target) return unexpected(target.error());
  const auto source = index.find(item[1].get<std::string>());
  if (source == index.end()) return unexpected(Failure{ErrorCode::unknown_column, "no column '" + item[1].get<std::string>() + "' in the topology"});
  auto projection = cortex::projection_between(engine.spec(), source->second, *target);
  if (!projection) return unexpected(bad_args("from " + source->first + ": " + projection.error().message));
  if (engine.spec().projections[*projection].stdp.rule == cortex::StdpRule::none)
    return unexpected(bad_args("the projection from " + source->first + " is static"));
  return StepNormalise{*projection, item[2].get<double>()};
}

// [at, [column, ...]]: the columns that stay live from tick `at` (any of the topology's); every other one
// is silenced. An empty list lifts the focus.
Expected<void, Failure> focus_of(const nlohmann::json& body, const cortex::Engine& engine, const PopulationIndex& index,
                                 StepRequest& step) {
  const auto it = body.find("focus");
  if (it == body.end()) return {};
  const nlohmann::json& f = *it;
  if (!f.is_array() || f.size() != 2 || !f[0].is_number_integer() || !is_list(f[1], kMaxParts))
    return unexpected(bad_args("'focus' must be [tick, [column, ...]]"));
  std::vector<bool> live(engine.spec().populations.size(), false);
  for (const auto& name : f[1]) {
    if (!name.is_string()) return unexpected(bad_args("a column must be named by its id"));
    const auto c = index.find(name.get<std::string>());
    if (c == index.end()) return unexpected(Failure{ErrorCode::unknown_column, "no column '" + name.get<std::string>() + "' in the topology"});
    live[c->second] = true;
  }
  step.focus_at = f[0].get<std::int64_t>();
  step.silenced.emplace();
  if (f[1].empty()) return {};
  for (std::uint32_t p = 0; p < static_cast<std::uint32_t>(live.size()); ++p)
    if (!live[p]) step.silenced->push_back(p);
  return {};
}

// Each item of body[key] (a list, may be absent) through `read` into `out`.
template <class T, class Read>
Expected<void, Failure> each(const nlohmann::json& body, const char* key, std::vector<T>& out, Read read) {
  const auto it = body.find(key);
  if (it == body.end()) return {};
  if (!is_list(*it, kMaxParts)) return unexpected(bad_args(std::string("'") + key + "' must be a list of at most " + std::to_string(kMaxParts) + " items"));
  for (const auto& item : *it) {
    auto value = read(item);
    if (!value) return unexpected(value.error());
    out.push_back(std::move(*value));
  }
  return {};
}

}  // namespace

Expected<StepRequest, Failure> parse_step(const nlohmann::json& body, const cortex::Engine& engine, const PopulationIndex& index) {
  if (!body.is_object()) return unexpected(bad_args("a step is a map"));
  const auto until = body.find("until");
  if (until == body.end() || !until->is_number_integer() || until->get<std::int64_t>() < 0)
    return unexpected(bad_args("'until' must be a tick (an integer >= 0)"));
  StepRequest step;
  step.until = until->get<std::int64_t>();
  if (const auto columns = body.find("columns"); columns != body.end()) {
    auto counted = locals(*columns, engine, index);
    if (!counted) return unexpected(counted.error());
    step.counted = std::move(*counted);
  } else {
    for (std::uint32_t p = 0; p < engine.spec().populations.size(); ++p)
      if (engine.is_local(p)) step.counted.push_back(p);
  }
  if (auto ok = each(body, "currents", step.currents, [&](const nlohmann::json& i) { return currents_of(i, engine, index); }); !ok)
    return unexpected(ok.error());
  std::size_t neurons = 0;
  for (const StepCurrents& c : step.currents) neurons += c.items.size() * c.ticks;
  if (neurons > kMaxStepCurrents) return unexpected(bad_args("a step may carry at most " + std::to_string(kMaxStepCurrents) + " currents"));
  if (auto ok = each(body, "rewards", step.rewards, [&](const nlohmann::json& i) { return reward_of(i, engine, index); }); !ok)
    return unexpected(ok.error());
  if (auto ok = each(body, "normalise", step.normalise, [&](const nlohmann::json& i) { return normalise_of(i, engine, index); }); !ok)
    return unexpected(ok.error());
  if (auto ok = focus_of(body, engine, index, step); !ok) return unexpected(ok.error());
  return step;
}

void apply_step(const StepRequest& step, cortex::Engine& engine) {
  for (const StepCurrents& c : step.currents)
    for (std::uint32_t r = 0; r < c.ticks; ++r) (void)engine.inject_all(c.population, c.items, c.tick + r);
  for (const StepReward& r : step.rewards) {
    if (r.populations) (void)engine.reward(r.value, *r.populations);
    else engine.reward(r.value);
  }
  for (const StepNormalise& n : step.normalise) (void)engine.normalise(n.projection, n.target_sum);
}

}  // namespace p3p::runtime
