// Requests that change a column's learned state from outside (experiments, the cluster driver):
//   cortex7/set_weights {column, from, synapses: [[source neuron, target neuron, weight], ...]}
//       weights of the plastic projection from column `from` onto the local column `column` (the format
//       get_weights answers in): every listed (source, target) pair must exist in it, every weight lie in
//       [w_min, w_max] (Engine::set_weights). Answered {column, from, written: synapses written}.
//   cortex7/reset {columns: [ids], weights = false}
//       every listed column (all must be on this node) back to how it was built: potentials, last spikes,
//       STDP traces, eligibility, dopamine and reward level of the projections onto it; with `weights`,
//       their weights too. Thresholds and the spikes already in flight stay (Engine::reset). Answered
//       {columns, weights}.
//   cortex7/normalise {column, from, target_sum}
//       every neuron of the local column `column` gets its incoming weights of the plastic projection from
//       `from` scaled to sum target_sum, clipped to [w_min, w_max]; neurons whose weights sum to 0 stay as they
//       are (Engine::normalise). Answered {column, from, target_sum}.
// All run between two epochs, at the tick the node stands at: exact when the cluster is at rest. Errors:
// bad_args (a malformed list, no such synapse or projection, a static projection, a weight out of bounds), unknown_column (not
// in the topology), not_here (the column lives on another node); nothing changes on any of them.
#include <algorithm>
#include <cmath>
#include <limits>

#include "nodes/runtime/node.hpp"

namespace p3p::runtime {
namespace {

constexpr std::size_t kMaxWeightItems = 100000;  // as many as one get_weights answer holds
constexpr std::size_t kMaxColumns = 4096;  // in one reset or reward

bool is_index(const nlohmann::json& v) {
  return v.is_number_integer() && v.get<std::int64_t>() >= 0 && v.get<std::int64_t>() <= std::numeric_limits<std::uint32_t>::max();
}

Expected<std::vector<cortex::SynapseView>, Failure> synapses_arg(const nlohmann::json& list) {
  if (list.empty() || list.size() > kMaxWeightItems)
    return unexpected(bad_args("'synapses' must be a list of 1 to " + std::to_string(kMaxWeightItems) +
                               " [source neuron, target neuron, weight] items"));
  std::vector<cortex::SynapseView> out;
  out.reserve(list.size());
  for (const auto& item : list) {
    if (!item.is_array() || item.size() != 3 || !is_index(item[0]) || !is_index(item[1]) || !item[2].is_number() ||
        !std::isfinite(item[2].get<double>()))
      return unexpected(bad_args("each 'synapses' item must be [source neuron, target neuron, weight]: two neuron indices "
                                 "and a finite number, got " + item.dump().substr(0, 100)));
    out.push_back({item[0].get<std::uint32_t>(), item[1].get<std::uint32_t>(), item[2].get<double>()});
  }
  return out;
}

}  // namespace

// A column named by a client: unknown_column when the topology has none of that name, else local_column's
// answer (not_here when another node holds it).
Expected<std::uint32_t, Failure> Node::engine_column(const std::string& name) const {
  if (!topology::find_column(topo_, name)) return unexpected(Failure{ErrorCode::unknown_column, "no column '" + name + "' in the topology"});
  return local_column(name);
}

// A request's `columns`: 1 to kMaxColumns ids of columns on this node, as population indices.
Expected<std::vector<std::uint32_t>, Failure> Node::engine_columns(const nlohmann::json& names) const {
  if (names.empty() || names.size() > kMaxColumns)
    return unexpected(bad_args("'columns' must be a list of 1 to " + std::to_string(kMaxColumns) + " column ids"));
  std::vector<std::uint32_t> populations;
  for (const auto& name : names) {
    if (!name.is_string()) return unexpected(bad_args("each of 'columns' must be a column id"));
    auto population = engine_column(name.get<std::string>());
    if (!population) return unexpected(population.error());
    populations.push_back(*population);
  }
  return populations;
}

void Node::serve_reset(const nlohmann::json& body, const ReplyTo& to) {
  const nlohmann::json& names = body["columns"];
  auto populations = engine_columns(names);
  if (!populations) return fail(to, populations.error());
  const bool weights = body.value("weights", false);
  post_engine_call(to, [populations = std::move(*populations), names, weights](cortex::Engine& engine) {
    if (auto ok = engine.reset(populations, weights); !ok) return CallOutcome(unexpected(bad_args(ok.error().message)));
    return CallOutcome(nlohmann::json{{"columns", names}, {"weights", weights}});
  });
}

// The populations of (from, column) in a request naming a projection: column must be local, from anywhere.
Expected<std::pair<std::uint32_t, std::uint32_t>, Failure> Node::engine_projection_ends(const std::string& from,
                                                                                     const std::string& column) const {
  auto target = engine_column(column);
  if (!target) return unexpected(target.error());
  const auto source = std::find(column_ids_.begin(), column_ids_.end(), from);
  if (source == column_ids_.end()) return unexpected(Failure{ErrorCode::unknown_column, "no column '" + from + "' in the topology"});
  return std::pair{static_cast<std::uint32_t>(source - column_ids_.begin()), *target};
}

void Node::serve_set_weights(const nlohmann::json& body, const ReplyTo& to) {
  const std::string column = body["column"].get<std::string>();
  const std::string from = body["from"].get<std::string>();
  auto ends = engine_projection_ends(from, column);
  if (!ends) return fail(to, ends.error());
  auto synapses = synapses_arg(body["synapses"]);
  if (!synapses) return fail(to, synapses.error());
  post_engine_call(to, [ends = *ends, column, from, items = std::move(*synapses)](cortex::Engine& engine) {
    auto projection = cortex::projection_between(engine.spec(), ends.first, ends.second);
    if (!projection) return CallOutcome(unexpected(bad_args("from " + from + " onto " + column + ": " + projection.error().message)));
    auto written = engine.set_weights(*projection, items);
    if (!written) return CallOutcome(unexpected(bad_args(written.error().message)));
    return CallOutcome(nlohmann::json{{"column", column}, {"from", from}, {"written", *written}});
  });
}

void Node::serve_normalise(const nlohmann::json& body, const ReplyTo& to) {
  const std::string column = body["column"].get<std::string>();
  const std::string from = body["from"].get<std::string>();
  const double target_sum = body["target_sum"].get<double>();
  auto ends = engine_projection_ends(from, column);
  if (!ends) return fail(to, ends.error());
  post_engine_call(to, [ends = *ends, column, from, target_sum](cortex::Engine& engine) {
    auto projection = cortex::projection_between(engine.spec(), ends.first, ends.second);
    if (!projection) return CallOutcome(unexpected(bad_args("from " + from + " onto " + column + ": " + projection.error().message)));
    if (auto ok = engine.normalise(*projection, target_sum); !ok) return CallOutcome(unexpected(bad_args(ok.error().message)));
    return CallOutcome(nlohmann::json{{"column", column}, {"from", from}, {"target_sum", target_sum}});
  });
}

}  // namespace p3p::runtime
