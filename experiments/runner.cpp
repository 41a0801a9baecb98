#include "experiments/runner.hpp"

#include <algorithm>
#include <chrono>
#include <set>

#include "client/experiment_results.hpp"
#include "common/closest_match.hpp"
#include "client/request.hpp"
#include "experiments/result_store.hpp"
#include "topology/hash.hpp"

namespace p3p::experiments {
namespace {

Error bad_args(std::string message) { return {ErrorCode::bad_args, std::move(message)}; }

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

// The longest delay of any synapse onto or out of the region: after that many ticks nothing it sent
// before is still in flight.
std::uint32_t longest_delay(const topology::Topology& t, const std::string& region) {
  std::uint32_t longest = 1;
  for (const topology::Projection& p : t.projections) {
    const topology::Column* from = topology::find_column(t, p.from);
    const topology::Column* to = topology::find_column(t, p.to);
    if ((from && from->region == region) || (to && to->region == region)) longest = std::max(longest, p.delay);
  }
  return longest;
}

// The region back to its built state with nothing of it in flight: reset, wait out what it had sent, reset
// again (what arrived meanwhile moved potentials and traces). The noise is re-keyed by the seed at the last
// reset, so the run does not depend on the tick it starts at.
Expected<void, Error> prepare(driver::ClusterDriver& d, const topology::Topology& t, const std::string& region, std::uint64_t seed) {
  if (auto ok = d.reset_region(region, true); !ok) return ok;
  if (auto ok = d.advance_to(d.tick() + longest_delay(t, region) + 1); !ok) return unexpected(ok.error());
  // The reset also zeroes the reward level and dopamine of the region's projections (no reward to set).
  if (auto ok = d.reset_region(region, true, seed); !ok) return ok;
  return {};
}

std::string utc_now() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t secs = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::vector<std::string> nodes_of(const topology::Topology& t, const std::string& region) {
  std::set<std::string> nodes;
  if (const topology::Region* r = topology::find_region(t, region))
    for (const topology::Column& c : r->columns) nodes.insert(c.node);
  return {nodes.begin(), nodes.end()};
}

Expected<Outcome, Error> run_guarded(const Experiment& e, Run& run) {
  try {
    return e.run(run);
  } catch (const std::exception& ex) {  // a bug in the experiment, not the caller's fault: say so
    return unexpected(Error{ErrorCode::internal, e.info->name + ": " + ex.what()});
  }
}

}  // namespace

Expected<Placement, Error> place(const topology::Topology& t, const control::ExperimentInfo& info) {
  const topology::Region* region = topology::find_region(t, info.region);
  if (!region)
    return unexpected(Error{ErrorCode::unknown_region, "experiment " + info.name + " runs in region " + info.region +
                                                           ", which this topology lacks"});
  Placement p{info.region, {}};
  std::vector<std::string> missing;
  for (const std::string& role : info.roles) {
    std::vector<std::string> holders;
    for (const topology::Column& c : region->columns)
      if (c.role == role) holders.push_back(c.id);
    if (holders.empty()) missing.push_back(role);
    else if (holders.size() > 1)
      return unexpected(bad_args("region " + info.region + " has several columns with role '" + role + "' (" + joined(holders) +
                                 "); experiment " + info.name + " needs exactly one"));
    else p.columns[role] = holders[0];
  }
  if (!missing.empty())
    return unexpected(bad_args("region " + info.region + " has no column with role " + joined(missing) + " (experiment " +
                               info.name + " needs roles " + joined(info.roles) + "; set `role:` on its columns)"));
  return p;
}

Expected<nlohmann::json, Error> run_experiment(driver::ClusterDriver& driver, const topology::Topology& topology,
                                               const Experiment& experiment, const nlohmann::json& args_in, const Hooks& hooks) {
  const control::ExperimentInfo& info = *experiment.info;
  if (!experiment.run)
    return unexpected(Error{ErrorCode::not_implemented, "experiment " + info.name + ": not yet, it comes with a later issue"});
  auto args = control::check_args(control::experiment_command(info), args_in);
  if (!args) return unexpected(args.error());
  if (experiment.check)
    if (auto ok = experiment.check(*args); !ok) return unexpected(ok.error());
  auto placement = place(topology, info);
  if (!placement) return unexpected(placement.error());
  const std::uint64_t seed = (*args)["seed"].get<std::uint64_t>();
  const std::string started = utc_now();
  const auto t0 = std::chrono::steady_clock::now();
  if (hooks.cancelled()) return unexpected(Error{ErrorCode::cancelled, "experiment " + info.name + " cancelled before it started"});
  if (auto ok = prepare(driver, topology, placement->region, seed); !ok) return unexpected(ok.error());
  const std::int64_t first = driver.tick();
  const std::uint64_t raster_before = driver.raster_hash();
  Run run{driver, topology, *args, placement->region, placement->columns, hooks.progress, hooks.cancelled};
  // The run counts its own region's spikes only: a closed-loop step then carries a few hundred counts
  // from the nodes, not every neuron of the cluster (ClusterDriver::watch).
  std::vector<std::string> own;
  for (const topology::Column& c : topology::find_region(topology, placement->region)->columns) own.push_back(c.id);
  // It focuses on its region: every other column is silenced for the run, so what crosses nodes is only
  // the region's own spikes and the nodes look ahead as far as its delays allow (ClusterDriver::focus).
  if (auto ok = driver.watch(own); !ok) return unexpected(ok.error());
  if (auto ok = driver.focus(own); !ok) return unexpected(ok.error());
  auto outcome = run_guarded(experiment, run);
  (void)driver.watch({});  // every column again (cannot fail)
  (void)driver.focus({});  // a node that does not answer has failed the run already
  if (!outcome) {
    // A run stopped half way leaves its region half learned: back to built, so the cluster stays usable.
    if (outcome.error().code == ErrorCode::cancelled) (void)driver.reset_region(placement->region, true);
    return unexpected(outcome.error());
  }
  nlohmann::json doc = {{"experiment", info.name}, {"version", control::kResultVersion}, {"seed", seed}, {"arguments", *args},
                        {"topology_hash", topology::hash_hex(topology.source_hash)}, {"region", placement->region},
                        {"columns", placement->columns}, {"nodes", nodes_of(topology, placement->region)},
                        {"first_tick", first}, {"last_tick", driver.tick()}, {"score", outcome->score}, {"parts", outcome->parts},
                        {"baselines", outcome->baselines}, {"passed", outcome->passed}, {"pass_criterion", info.pass_criterion},
                        {"curve", outcome->curve}, {"curve_unit", outcome->curve_unit},
                        {"baseline_units", outcome->baseline_units}, {"details", outcome->details},
                        {"raster_hash", topology::hash_hex(driver.raster_hash() - raster_before)}, {"started_utc", started},
                        {"duration_s", std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()}};
  if (!hooks.write) return doc;
  auto file = write_result(hooks.results_dir.value_or(topology.results.dir), doc);
  if (!file) return unexpected(file.error());
  doc["file"] = *file;
  return doc;
}

Expected<nlohmann::json, Error> run_experiment(driver::ClusterDriver& driver, const topology::Topology& topology, std::string_view name,
                                               const nlohmann::json& args, const Hooks& hooks) {
  const Experiment* e = find(name);
  if (!e || !e->info) {
    std::vector<std::string> names;
    for (const auto& x : control::experiment_catalog()) names.push_back(x.name);
    return unexpected(bad_args("no experiment '" + std::string(name.substr(0, 100)) + "'" + did_you_mean(name, names) +
                               " (there are " + joined(names) + ")"));
  }
  return run_experiment(driver, topology, *e, args, hooks);
}

}  // namespace p3p::experiments
