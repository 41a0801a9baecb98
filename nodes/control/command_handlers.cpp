#include "nodes/control/command_handlers.hpp"

#include <array>

#include "nodes/control/anomaly_feed.hpp"
#include "nodes/control/cluster_commands.hpp"
#include "nodes/control/cluster_demo.hpp"
#include "nodes/control/cluster_layout.hpp"
#include "nodes/control/cluster_snapshot.hpp"
#include "nodes/control/experiment_commands.hpp"

namespace p3p::control {
namespace {

CommandResult list_commands(CommandContext&, const Request&) { return describe_commands(); }
CommandResult status(CommandContext& cx, const Request&) { return status_with_regions(cx); }
CommandResult layout(CommandContext& cx, const Request&) { return describe_layout(cx); }

CommandResult run_demo(CommandContext& cx, const Request& r) {
  DemoPlan plan;
  plan.stim_cycles = r.args["stim_cycles"].get<int>();
  plan.advance_ticks = r.args["advance_ticks"].get<int>();
  plan.cancel = cx.cancel;
  return control::run_demo(cx.topo, cx.regions.get(), cx.client, plan);
}

CommandResult stimulate_region(CommandContext& cx, const Request& r) {
  DemoPlan plan;
  plan.regions = {r.args["region"].get<std::string>()};
  plan.stim_cycles = 1;
  plan.advance_ticks = 0;
  plan.pattern = r.args["pattern"];
  plan.pattern_len = r.args["pattern_len"].get<int>();
  if (r.args.contains("column")) plan.column = r.args["column"].get<std::string>();
  plan.cancel = cx.cancel;
  auto report = control::run_demo(cx.topo, cx.regions.get(), cx.client, plan);
  if (!report) return report;
  for (const char* key : {"regions", "stim_cycles", "advance_ticks"}) report->erase(key);
  report->emplace("region", r.args["region"]);
  return report;
}

CommandResult advance(CommandContext& cx, const Request& r) {
  DemoPlan plan;
  plan.regions.clear();
  plan.stim_cycles = 0;
  plan.advance_ticks = static_cast<int>(r.args["ticks"].get<std::int64_t>());
  // No bound on the run's length (status stays served meanwhile, `pause` stops it), only on its progress.
  plan.stall = std::chrono::seconds(r.args["stall_s"].get<std::int64_t>());
  plan.cancel = cx.cancel;
  auto report = control::run_demo(cx.topo, cx.regions.get(), cx.client, plan);
  if (!report) return report;
  for (const char* key : {"regions", "stim_cycles", "pattern", "pattern_len", "stimulations", "advance_ticks"}) report->erase(key);
  report->emplace("ticks", r.args["ticks"]);
  return report;
}

CommandResult reward_global(CommandContext& cx, const Request& r) {
  const double value = r.args["value"].get<double>();
  if (r.args.contains("region")) return reward_region(cx, r.args["region"].get<std::string>(), value);
  return to_cortex_nodes(cx, node_api::reward(value), "value", nullptr);
}
CommandResult debug_low_thresholds(CommandContext& cx, const Request& r) {
  return to_cortex_nodes(cx, node_api::set_thresholds(r.args["threshold"].get<double>()), "threshold", "changed");
}
CommandResult echo(CommandContext& cx, const Request& r) { return echo_node(cx, r.args["node"].get<std::string>()); }
CommandResult pause(CommandContext& cx, const Request&) { return to_every_node(cx, node_api::pause(true)); }
CommandResult resume(CommandContext& cx, const Request&) { return to_every_node(cx, node_api::pause(false)); }
CommandResult set_pacing(CommandContext& cx, const Request& r) {
  return to_every_node(cx, node_api::set_pacing(r.args["tick_ms"].get<std::int64_t>()));
}
CommandResult get_weights(CommandContext& cx, const Request& r) { return column_weights(cx, r.args["column"].get<std::string>()); }
CommandResult set_weights(CommandContext& cx, const Request& r) {
  return write_weights(cx, r.args["column"].get<std::string>(), r.args["from"].get<std::string>(), r.args["synapses"]);
}
CommandResult reset(CommandContext& cx, const Request& r) {
  return reset_region(cx, r.args["region"].get<std::string>(), r.args["weights"].get<bool>());
}
CommandResult regions(CommandContext& cx, const Request& r) { return update_regions(cx, r.args["regions"]); }
CommandResult snapshot(CommandContext& cx, const Request& r) {
  return take_snapshot(cx.topo, cx.client, r.args["reason"].get<std::string>());
}
CommandResult load(CommandContext& cx, const Request& r) {
  return load_snapshot(cx.topo, cx.client, cx.regions, r.args["path"].get<std::string>());
}
CommandResult snapshots(CommandContext& cx, const Request&) { return list_snapshots(cx.topo); }
CommandResult prune(CommandContext& cx, const Request& r) {
  return prune_snapshots(cx.topo, cx.client, r.args["keep"].get<std::size_t>());
}
CommandResult metrics(CommandContext& cx, const Request& r) {
  return gather_metrics(cx, r.args["neurons"].get<bool>(), r.args["dump"].get<bool>());
}

constexpr std::array kHandlers = std::to_array<HandlerEntry>({
    {"list_commands", &list_commands},
    {"status", &status},
    {"run_demo", &run_demo},
    {"stimulate_region", &stimulate_region},
    {"advance", &advance},
    {"reward_global", &reward_global},
    {"debug_low_thresholds", &debug_low_thresholds},
    {"echo", &echo},
    {"pause", &pause},
    {"resume", &resume},
    {"set_pacing", &set_pacing},
    {"get_weights", &get_weights},
    {"set_weights", &set_weights},
    {"reset_region", &reset},
    {"update_regions", &regions},
    {"snapshot", &snapshot},
    {"load_snapshot", &load},
    {"list_snapshots", &snapshots},
    {"prune_snapshots", &prune},
    {"metrics", &metrics},
    {"experiment_list", &list_experiments},
    {"experiment_cancel", &cancel_experiment},
    {"anomaly_feed", &feed_anomaly},
    {"cluster_layout", &layout},
});

}  // namespace

std::span<const HandlerEntry> command_handlers() { return kHandlers; }

CommandHandler find_handler(std::string_view command) {
  for (const HandlerEntry& h : kHandlers)
    if (h.command == command) return h.handle;
  // Every other experiment_<name>: the command table only lets the catalog's through; the handler looks the
  // name up in the experiments the control node serves.
  if (command.starts_with(kExperimentPrefix)) return &run_experiment_command;
  return nullptr;
}

}  // namespace p3p::control
