// The registry and the catalog agree: every catalog entry has a registry entry, an implemented one a run
// function and a pass criterion, and the command table serves exactly the implemented ones.
#include <catch2/catch.hpp>

#include "client/command_table.hpp"
#include "client/experiment_catalog.hpp"
#include "experiments/experiment.hpp"

namespace p3p::experiments {

TEST_CASE("every catalog experiment is in the registry, implemented exactly when it has a run function") {
  const auto& catalog = control::experiment_catalog();
  REQUIRE(registry().size() == catalog.size());
  for (const control::ExperimentInfo& info : catalog) {
    INFO(info.name);
    const Experiment* e = find(info.name);
    REQUIRE(e != nullptr);
    CHECK(e->info == &info);
    CHECK(static_cast<bool>(e->run) == info.implemented);
    if (info.implemented) CHECK_FALSE(info.pass_criterion.empty());
    const control::CommandSpec* command = control::find_command(std::string(control::kExperimentPrefix) + info.name);
    REQUIRE(command != nullptr);
    CHECK(command->not_implemented.empty() == info.implemented);
    CHECK(std::any_of(command->args.begin(), command->args.end(), [](const control::ArgSpec& a) { return a.name == "seed"; }));
  }
  CHECK(find("no_such_experiment") == nullptr);
}

}  // namespace p3p::experiments
