#pragma once
// What each experiment is, as data both sides read: its name (the control command is experiment_<name>),
// one-line description, the region it runs in and the column roles it needs there, its arguments (the
// original's names kept, each experiment's own added; every experiment also takes `seed`), and its pass
// criterion. The command table builds the experiment_* commands from this, so their arguments are checked
// (types, ranges) like every other command's before anything runs; p3pctl completes and documents them.
// The programs themselves live in experiments/ (experiment.hpp), which p3pctl does not link.
#include <string>
#include <string_view>
#include <vector>

#include "client/command_table.hpp"

namespace p3p::control {

struct ExperimentInfo {
  std::string name;            // "seq_gen"
  std::string description;     // one line
  std::string region;          // its region in the default topology (Region_Seq)
  std::vector<std::string> roles;  // column roles the region must provide (topology `role:` keys)
  std::vector<ArgSpec> args;   // without `seed` (added to every experiment command)
  std::string pass_criterion;  // one line, as the result's `passed` is decided
  bool implemented = false;    // false: the command answers not_implemented ("not yet")
};

const std::vector<ExperimentInfo>& experiment_catalog();  // in a fixed order: the seven
const ExperimentInfo* find_experiment(std::string_view name);
// The command experiment_<name>: the experiment's arguments and `seed`, long-running (command_table.cpp).
CommandSpec experiment_command(const ExperimentInfo& e);
inline constexpr std::string_view kExperimentPrefix = "experiment_";

}  // namespace p3p::control
