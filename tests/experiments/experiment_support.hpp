#pragma once
// An experiment run in-process over topology/default.yaml (driver::EngineDriver), prepared as the runner
// prepares it: arguments completed from the catalog's defaults, roles resolved to columns, the region reset
// to its built state.
#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "driver/engine_driver.hpp"
#include "experiments/experiment.hpp"
#include "tests/driver/driver_script.hpp"  // must()
#include "topology/loader.hpp"

namespace p3p::test {

inline topology::Topology default_topology() {
  auto t = topology::load_file(std::string(P3P_SOURCE_DIR) + "/topology/default.yaml", {.check_key_file = false});
  REQUIRE(t);
  return std::move(*t);
}

// topology/default.yaml with `from` replaced by `to` (once; it must be there).
inline topology::Topology topology_with(const std::string& from, const std::string& to) {
  std::ifstream f(std::string(P3P_SOURCE_DIR) + "/topology/default.yaml");
  std::string text(std::istreambuf_iterator<char>(f), {});
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  text.replace(at, from.size(), to);
  auto t = topology::load_string(text, "edited default.yaml", std::string(P3P_SOURCE_DIR) + "/topology", {.check_key_file = false});
  REQUIRE(t);
  return std::move(*t);
}

// The catalog's defaults, then `overrides`, then the seed.
inline nlohmann::json experiment_args(const std::string& name, std::uint64_t seed, const nlohmann::json& overrides = nlohmann::json::object()) {
  const control::ExperimentInfo* info = control::find_experiment(name);
  REQUIRE(info != nullptr);
  nlohmann::json args = nlohmann::json::object();
  for (const control::ArgSpec& a : info->args) args[a.name] = a.fallback;
  for (const auto& [k, v] : overrides.items()) args[k] = v;
  args["seed"] = seed;
  return args;
}

struct InProcessExperiment {
  topology::Topology topology;
  explicit InProcessExperiment(topology::Topology t = default_topology()) : topology(std::move(t)) {}
  std::unique_ptr<driver::EngineDriver> driver = must(driver::EngineDriver::create(topology));
  nlohmann::json args;

  // Runs `name` with `args` the way the runner will: roles from the region's columns, the region reset first.
  Expected<experiments::Outcome, experiments::Error> run(const std::string& name) {
    const experiments::Experiment* e = experiments::find(name);
    REQUIRE(e != nullptr);
    REQUIRE(e->run);
    std::map<std::string, std::string> columns;
    const topology::Region* region = topology::find_region(topology, e->info->region);
    REQUIRE(region != nullptr);
    for (const topology::Column& c : region->columns)
      if (!c.role.empty()) columns[c.role] = c.id;
    for (const std::string& role : e->info->roles) REQUIRE(columns.contains(role));
    REQUIRE(driver->reset_region(e->info->region, true, args.at("seed").get<std::uint64_t>()));
    if (e->check)
      if (auto ok = e->check(args); !ok) return unexpected(ok.error());
    experiments::Run r{*driver, topology, args, e->info->region, columns};
    return e->run(r);
  }
};

}  // namespace p3p::test
