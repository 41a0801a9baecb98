#pragma once
// Runs one experiment on a cluster driver and makes its result document (the steps are listed in
// experiment.hpp): arguments checked and completed (bad_args naming the argument; nothing changes), the
// region and its roles found (unknown_region / bad_args naming what is missing), the region prepared,
// run(), then the versioned document written atomically into the results dir (result_store.hpp).
//
// The document (version control::kResultVersion): experiment, version, seed, arguments, topology_hash,
// region, columns (role -> column), nodes (those holding the region), first_tick, last_tick, score, parts,
// baselines, passed, pass_criterion, curve, curve_unit, baseline_units (baseline -> unit), details, raster_hash (the spikes of the experiment's ticks, hex),
// started_utc, duration_s. Apart from the two times, the same seed gives the same document. The reply adds
// "file" (the name written), which the file itself does not hold.
#include <filesystem>
#include <optional>
#include <string_view>

#include "experiments/experiment.hpp"

namespace p3p::experiments {

struct Hooks {
  std::function<void(const Progress&)> progress = [](const Progress&) {};
  std::function<bool()> cancelled = [] { return false; };
  std::optional<std::filesystem::path> results_dir;  // default: the topology's results.dir
  bool write = true;                                  // false: the document only (benchmarks)
};

Expected<nlohmann::json, Error> run_experiment(driver::ClusterDriver& driver, const topology::Topology& topology,
                                               const Experiment& experiment, const nlohmann::json& args, const Hooks& hooks = {});
// By name: bad_args naming an unknown experiment, not_implemented for one that comes later.
Expected<nlohmann::json, Error> run_experiment(driver::ClusterDriver& driver, const topology::Topology& topology,
                                               std::string_view name, const nlohmann::json& args, const Hooks& hooks = {});

// The region and its columns by role, or a clear error naming what is missing (no run touches the cluster).
struct Placement {
  std::string region;
  std::map<std::string, std::string> columns;  // role -> column id
};
Expected<Placement, Error> place(const topology::Topology& topology, const control::ExperimentInfo& info);

}  // namespace p3p::experiments
