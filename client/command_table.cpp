#include "client/command_table.hpp"

#include <algorithm>
#include <stdexcept>

#include "client/experiment_catalog.hpp"
#include "common/closest_match.hpp"

namespace p3p::control {
namespace {

ArgSpec integer(std::string name, nlohmann::json fallback, double min, double max, std::string help) {
  return {std::move(name), ArgType::integer, std::move(fallback), false, min, max, std::move(help)};
}
ArgSpec number(std::string name, nlohmann::json fallback, double min, double max, std::string help) {
  return {std::move(name), ArgType::number, std::move(fallback), false, min, max, std::move(help)};
}
ArgSpec text(std::string name, nlohmann::json fallback, std::string help) {
  return {std::move(name), ArgType::string, std::move(fallback), false, {}, {}, std::move(help)};
}

const std::string kExperiments = "not yet: this experiment comes with a later issue";

std::vector<CommandSpec> build() {
  std::vector<CommandSpec> t;
  t.push_back({"status", "the whole cluster: every node's state, tick, modules, counts; regions", {}, {}, false});
  t.push_back({"list_commands", "this table: every command with its arguments and defaults", {}, {}, false});
  t.push_back({"run_demo",
               "the original's warm-up: stimulate Region_AB and Region_BC stim_cycles times, advance, report the "
               "spikes per node and region",
               {integer("stim_cycles", 5, 0, 1000, "stimulation cycles"),
                integer("advance_ticks", 5, 0, 10'000'000, "ticks to run after the stimulation")},
               {}, true});
  t.push_back({"stimulate_region",
               "inject a pattern into every column of a region (or one column of it), pattern_len ticks per item; "
               "returns the spikes it caused per column",
               {{"region", ArgType::string, nullptr, false, {}, {}, "region name"},
                {"pattern", ArgType::pattern, nullptr, false, {}, {}, "[{neuron, current}], one item per tick"},
                integer("pattern_len", 1, 1, 100000, "repetitions of the pattern"),
                {"column", ArgType::string, nullptr, true, {}, {}, "only this column of the region"}},
               {}, true});
  t.push_back({"update_regions", "replace region definitions, validated against the topology rules; all nodes or none",
               {{"regions", ArgType::object, nullptr, false, {}, {}, "region name -> [column id or {id, node, module}]"}}, {}, true});
  t.push_back({"reward_global",
               "a reward to every plastic projection (gain: its reward level; eligibility: a dopamine event), or with "
               "region only to the projections onto its columns; returns the nodes reached",
               {number("value", 0.0, -1000, 1000, "reward level"),
                {"region", ArgType::string, nullptr, true, {}, {}, "only the projections onto this region's columns"}},
               {}, false});
  t.push_back({"debug_low_thresholds", "set every neuron's threshold cluster-wide (1.0 restores the presets'); returns how many changed",
               {number("threshold", 0.4, 0.0001, 1000, "new threshold")}, {}, false});
  t.push_back({"advance",
               "run the cluster on by this many ticks and report the spikes; however long the run, it answers `stalled` "
               "(and pauses the cluster where it stands) once no node's tick has moved for stall_s seconds",
               {{"ticks", ArgType::integer, nullptr, false, 1, 100'000'000, "ticks to run"},
                integer("stall_s", 30, 1, 86400, "seconds without progress before giving up (a lost node is waited for until then)")},
               {}, true});
  t.push_back({"pause", "stop starting new epochs cluster-wide (the epoch in flight finishes)", {}, {}, false});
  t.push_back({"resume", "start epochs again after pause", {}, {}, false});
  t.push_back({"set_pacing", "wall-clock milliseconds per tick from now on (0 = as fast as possible)",
               {integer("tick_ms", nullptr, 0, 60000, "ms per tick")}, {}, false});
  t.push_back({"get_weights", "the synapse weights onto a column, projection by projection",
               {text("column", nullptr, "column id")}, {}, false});
  t.push_back({"set_weights",
               "write weights of the plastic projection from one column onto another, by [source, target, weight] as "
               "get_weights shows them (every pair must exist, every weight lie in [w_min, w_max]); returns how many were written",
               {text("column", nullptr, "target column id"), text("from", nullptr, "source column id"),
                {"synapses", ArgType::synapses, nullptr, false, {}, {}, "[[source neuron, target neuron, weight], ...]"}},
               {}, false});
  t.push_back({"reset_region",
               "every column of a region back to how it was built, on whichever node holds it: potentials, STDP traces, "
               "eligibility (and with weights=true the weights); thresholds, reward and spikes in flight stay",
               {text("region", nullptr, "region name"),
                {"weights", ArgType::boolean, false, false, {}, {}, "also restore the built weights"}},
               {}, false});
  t.push_back({"echo", "a mesh round trip to a node; returns its round-trip time", {text("node", nullptr, "node id")}, {}, false});
  t.push_back({"snapshot", "a cluster-consistent snapshot at an epoch boundary: every node's part, then the manifest",
               {text("reason", "", "why (kept in the manifest)")}, {}, true});
  t.push_back({"load_snapshot", "load a snapshot on every node or on none (checksums and topology checked first)",
               {text("path", "latest", "manifest name (as list_snapshots shows) or latest")}, {}, true});
  t.push_back({"metrics",
               "every node's counts gathered: spikes per node, region, column (and neuron), ticks, envelopes, telemetry "
               "drops, epoch exchange times, snapshot durations; optionally written to the metrics dump file",
               {{"neurons", ArgType::boolean, false, false, {}, {}, "include spikes per neuron"},
                {"dump", ArgType::boolean, false, false, {}, {}, "also write the result atomically to metrics.dump_path"}},
               {}, false});
  t.push_back({"list_snapshots", "the snapshots in the snapshot dir, oldest first: name, tick, reason, size, time", {}, {}, false});
  t.push_back({"prune_snapshots", "delete all but the newest `keep` snapshots (manifests and every node's parts)",
               {integer("keep", nullptr, 0, 1'000'000, "snapshots to keep")}, {}, true});
  t.push_back({"cluster_layout",
               "what a telemetry client needs: the cluster id, each node's telemetry endpoint, the columns in global-id "
               "order (node, neurons, first global id, region)",
               {}, {}, false});
  for (const ExperimentInfo& e : experiment_catalog()) {
    CommandSpec c = experiment_command(e);
    if (!e.implemented) c.not_implemented = kExperiments;
    t.push_back(std::move(c));
  }
  t.push_back({"experiment_list",
               "the experiments: name, description, region and roles, arguments with defaults, pass criterion, implemented",
               {}, {}, false});
  t.push_back({"experiment_cancel", "stop the running experiment at its next step (it answers `cancelled`); the cluster stays usable",
               {}, {}, false});
  t.push_back({"anomaly_feed",
               "stream samples through the detector the last seizure_detect run trained in Region_Anomaly (one step of "
               "32 samples per advance); answers the anomaly events raised, which also go out on telemetry (kind anomaly)",
               {{"samples", ArgType::string, nullptr, false, {}, {}, "one sample per line, its channels comma separated"},
                number("rate", 128.0, 0.001, 1e6, "the samples' rate in Hz: must be the detector's (128)"),
                {"start", ArgType::boolean, false, false, {}, {}, "begin a new stream (else continue the last one)"},
                {"end", ArgType::boolean, false, false, {}, {}, "the stream ends here: run its last, shorter step"}},
               {}, true});
  return t;
}

}  // namespace

CommandSpec experiment_command(const ExperimentInfo& e) {
  std::vector<ArgSpec> args = e.args;
  args.push_back(integer("seed", 1, 0, 4294967295.0, "seeds the experiment's inputs and its region's noise: same seed, same result"));
  return {std::string(kExperimentPrefix) + e.name, e.description, std::move(args), {}, true};
}

std::string_view to_string(ArgType t) {
  switch (t) {
    case ArgType::integer: return "integer";
    case ArgType::number: return "number";
    case ArgType::string: return "string";
    case ArgType::boolean: return "boolean";
    case ArgType::object: return "object";
    case ArgType::pattern: return "pattern";
    case ArgType::synapses: return "synapses";
  }
  return "?";
}

const std::vector<CommandSpec>& command_table() {
  static const std::vector<CommandSpec> table = build();
  return table;
}

const CommandSpec* find_command(std::string_view name) {
  for (const CommandSpec& c : command_table())
    if (c.name == name) return &c;
  return nullptr;
}

const CommandSpec& command_spec(std::string_view name) {
  if (const CommandSpec* c = find_command(name)) return *c;
  throw std::logic_error("no command '" + std::string(name) + "' in the command table");
}

const ArgSpec& arg_spec(const CommandSpec& command, std::string_view arg) {
  for (const ArgSpec& a : command.args)
    if (a.name == arg) return a;
  throw std::logic_error("command '" + command.name + "' has no argument '" + std::string(arg) + "'");
}

nlohmann::json request_json(const CommandSpec& command, const nlohmann::json& args) {
  nlohmann::json request = {{"cmd", command.name}};
  if (args.empty()) return request;
  for (const auto& [name, value] : args.items()) (void)arg_spec(command, name);
  request["args"] = args;
  return request;
}

std::string closest_command(std::string_view name) {
  std::vector<std::string_view> names;
  for (const CommandSpec& c : command_table()) names.push_back(c.name);
  return closest_match(name, names);
}

nlohmann::json describe_args(const std::vector<ArgSpec>& specs) {
  nlohmann::json args = nlohmann::json::array();
  for (const ArgSpec& a : specs) {
    nlohmann::json arg = {{"name", a.name}, {"type", to_string(a.type)}, {"required", a.fallback.is_null() && !a.optional},
                          {"help", a.help}};
    if (!a.fallback.is_null()) arg["default"] = a.fallback;
    if (a.min) arg["min"] = *a.min;
    if (a.max) arg["max"] = *a.max;
    args.push_back(std::move(arg));
  }
  return args;
}

nlohmann::json describe_commands() {
  nlohmann::json out = nlohmann::json::array();
  for (const CommandSpec& c : command_table())
    out.push_back({{"name", c.name}, {"help", c.help}, {"args", describe_args(c.args)}, {"implemented", c.not_implemented.empty()}});
  return out;
}

}  // namespace p3p::control
