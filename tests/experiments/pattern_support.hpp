#pragma once
// What pattern_classify's tests share: the default topology, the catalog's arguments with a seed, and a
// run prepared as the runner prepares it (roles from the region, the region back to its built state).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <functional>
#include <memory>
#include <string>

#include "driver/engine_driver.hpp"
#include "experiments/experiment.hpp"
#include "topology/loader.hpp"

namespace p3p::experiments::test {

inline topology::Topology default_topology() {
  auto t = topology::load_file(std::string(P3P_SOURCE_DIR) + "/topology/default.yaml", {.check_key_file = false});
  REQUIRE(t.has_value());
  return std::move(*t);
}

inline nlohmann::json pattern_args(std::uint64_t seed, const nlohmann::json& overrides = nlohmann::json::object()) {
  nlohmann::json args = {{"seed", seed}};
  for (const control::ArgSpec& a : find("pattern_classify")->info->args) args[a.name] = a.fallback;
  args.update(overrides);
  return args;
}

struct PatternRun {
  std::unique_ptr<driver::EngineDriver> driver;
  Expected<Outcome, Error> outcome = unexpected(Error{ErrorCode::internal, "not run"});
  std::int64_t first_tick = 0;
};

inline PatternRun run_pattern(const topology::Topology& t, const nlohmann::json& args,
                              std::function<bool()> cancelled = [] { return false; }) {
  auto driver = driver::EngineDriver::create(t);
  REQUIRE(driver.has_value());
  PatternRun r{std::move(*driver)};
  Run run{*r.driver, t, args, "Region_Pattern", {}};
  run.cancelled = std::move(cancelled);
  for (const topology::Column& c : topology::find_region(t, run.region)->columns)
    if (!c.role.empty()) run.columns[c.role] = c.id;
  REQUIRE(r.driver->reset_region(run.region, true).has_value());
  r.first_tick = r.driver->tick();
  r.outcome = find("pattern_classify")->run(run);
  return r;
}

}  // namespace p3p::experiments::test
