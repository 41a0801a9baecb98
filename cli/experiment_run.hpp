#pragma once
// One experiment run from p3pctl: the request experiment_<name> to the control port, answered with the
// result document when the run ends. Meanwhile, on a terminal, a progress bar on stderr from the run's
// `experiment_progress` telemetry events (epoch i/N, the running score); Ctrl-C sends experiment_cancel
// (the run answers `cancelled`, the cluster stays usable) instead of killing p3pctl.
#include <nlohmann/json.hpp>
#include <string>

#include "common/expected.hpp"

namespace p3p::cli {

struct RunPlace {
  std::string endpoint, topology, run_dir = ".p3p";
};

// The reply ({ok, result} or {ok: false, error}), or why there is none. `progress`: draw the bar (the
// topology must be found for the telemetry; without it the run goes on without a bar).
Expected<nlohmann::json, std::string> run_experiment(const RunPlace& where, const std::string& name, const nlohmann::json& args,
                                                     bool progress);
// The control reply to one request (no progress, no cancel).
Expected<nlohmann::json, std::string> ask_control(const RunPlace& where, const nlohmann::json& request);

}  // namespace p3p::cli
