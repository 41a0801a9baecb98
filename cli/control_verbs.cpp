// The p3pctl verbs that are control commands: each builds one request for the control node's dispatcher
// (through its JSON-lines port, client/control_client.hpp) and prints the answer. They only translate: the
// command names, argument names, defaults and help come from the command table (a verb naming something the
// table lacks throws when p3pctl starts), and the checks are the port's.
//   demo [--stim-cycles S] [--advance-ticks T]            run_demo
//   stimulate REGION --neuron N --current X [--len L] [--column C]   stimulate_region
//   reward VALUE | thresholds VALUE | advance TICKS | pause | resume
//   commands                                               list_commands
//   metrics [--summary] [--neurons] [--dump]               metrics
//   snapshot create [--reason R] | list | load [NAME|latest] | prune --keep N
//                                                          snapshot, list_snapshots, load_snapshot, prune_snapshots
//   call JSON                                              any request, raw: {"cmd": ..., "args": {...}}
// Each takes --endpoint HOST:PORT / --topology FILE / --run-dir DIR and -o table|json|yaml. Exit 0 when the
// command answered ok, 1 when it answered an error (code and message on stderr) or could not be asked.
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/cluster_args.hpp"
#include "cli/cluster_views.hpp"
#include "cli/command.hpp"
#include "cli/control_endpoint.hpp"
#include "cli/output.hpp"
#include "client/command_table.hpp"
#include "client/metrics_format.hpp"

namespace p3p::cli {
namespace {

struct Where {
  std::string endpoint, topology, run_dir = ".p3p";
  Format format = Format::table;
};

void add_where_options(CLI::App& sub, Where& w) {
  sub.add_option("--endpoint", w.endpoint, "control port HOST:PORT (default: $P3P_ENDPOINT, then the topology's)");
  sub.add_option("--topology", w.topology, "topology YAML file (default: $P3P_TOPOLOGY, then the cluster last brought up)");
  add_run_dir_option(sub, w.run_dir);
  add_output_option(sub, w.format);
}

std::string cell(const nlohmann::json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

void print_generic(std::ostream& out, const std::string& cmd, const nlohmann::json& result) {
  if (cmd == "run_demo") return print_demo_table(out, result);
  if (cmd == "status") return print_status_table(out, result);
  std::vector<std::vector<std::string>> rows;
  if (cmd == "list_commands") {
    for (const auto& c : result) {
      std::string args;
      for (const auto& a : c["args"])
        args += (args.empty() ? "" : " ") + a["name"].get<std::string>() + (a.contains("default") ? "=" + cell(a["default"]) : "");
      rows.push_back({c["name"], args.empty() ? "-" : args, c["implemented"] == true ? c["help"].get<std::string>() : "(not yet) " + c["help"].get<std::string>()});
    }
    return print_table(out, {"COMMAND", "ARGS", "WHAT"}, rows);
  }
  if (cmd == "metrics") {
    const nlohmann::json nodes = result.value("nodes", nlohmann::json::object());
    for (const auto& [id, m] : nodes.items()) {
      if (m.contains("error")) {
        rows.push_back({id, "-", "-", "-", "-", "-", "-", cell(m["error"])});
        continue;
      }
      std::uint64_t rejected = 0;
      const nlohmann::json by_reason = m["envelopes"].value("rejected", nlohmann::json::object());
      for (const auto& [reason, n] : by_reason.items()) rejected += n.get<std::uint64_t>();
      rows.push_back({id, cell(m["tick"]), cell(m["spikes"]), cell(m["envelopes"]["sent"]), cell(m["envelopes"]["received"]),
                      std::to_string(rejected), cell(m["telemetry"]["dropped"]), cell(m["exchange"]["count"])});
    }
    print_table(out, {"NODE", "TICK", "SPIKES", "SENT", "RECEIVED", "REJECTED", "TELEMETRY DROPPED", "EPOCH EXCHANGES"}, rows);
    rows.clear();
    const nlohmann::json regions = result.value("region_spike_counts", nlohmann::json::object());
    for (const auto& [name, n] : regions.items()) rows.push_back({name, cell(n)});
    out << '\n';
    print_table(out, {"REGION", "SPIKES"}, rows);
    if (result.contains("dump")) out << "\nwritten to " << cell(result["dump"]) << '\n';
    return;
  }
  if (cmd == "list_snapshots") {
    for (const auto& m : result)
      rows.push_back({cell(m["name"]), cell(m.value("tick", nlohmann::json("-"))), cell(m.value("reason", nlohmann::json(""))),
                      cell(m.value("bytes", nlohmann::json("-"))), cell(m.value("created", nlohmann::json(m.value("error", "")))),
                      m.value("topology_matches", false) ? "yes" : "NO"});
    return print_table(out, {"NAME", "TICK", "REASON", "BYTES", "CREATED (UTC)", "THIS TOPOLOGY"}, rows);
  }
  if (!result.is_object()) {
    out << cell(result) << '\n';
    return;
  }
  for (const auto& [key, value] : result.items()) rows.push_back({key, cell(value)});
  print_table(out, {"FIELD", "VALUE"}, rows);
}

int ask(const Where& w, const nlohmann::json& request, std::ostream& os = std::cout) {
  auto at = resolve_control_endpoint(w.endpoint, w.topology, w.run_dir);
  if (!at) {
    std::cerr << "p3pctl: " << at.error() << '\n';
    return kExitFailed;
  }
  auto reply = control::call_control(*at, request);
  if (!reply) {
    std::cerr << "p3pctl: " << reply.error() << '\n';
    return kExitFailed;
  }
  if (reply->value("ok", false) != true) {
    const auto& e = (*reply)["error"];
    std::cerr << "p3pctl: " << e.value("code", std::string("error")) << ": " << e.value("message", std::string()) << '\n';
    if (w.format != Format::table) print_result(std::cout, w.format, *reply, [](std::ostream&) {});
    return kExitFailed;
  }
  const std::string cmd = reply->value("cmd", std::string());
  print_result(os, w.format, (*reply)["result"], [&](std::ostream& out) { print_generic(out, cmd, (*reply)["result"]); });
  return kExitOk;
}

// A verb = a subcommand whose callback asks one request built from its parsed options.
template <class Build>
CLI::App* verb(CLI::App& app, int& exit_code, const std::string& name, const std::string& help, std::shared_ptr<Where> w,
               Build build) {
  auto* sub = app.add_subcommand(name, help);
  add_where_options(*sub, *w);
  sub->callback([w, build, &exit_code] { exit_code = ask(*w, build()); });
  return sub;
}

template <class T>
T fallback(const control::CommandSpec& command, std::string_view arg) {
  return control::arg_spec(command, arg).fallback.get<T>();
}
std::string help(const control::CommandSpec& command, std::string_view arg) { return control::arg_spec(command, arg).help; }

// snapshot create | list | load | prune: snapshot, list_snapshots, load_snapshot, prune_snapshots.
void add_snapshot_verbs(CLI::App& app, int& exit_code) {
  auto* group = app.add_subcommand("snapshot", "cluster-consistent snapshots: create, list, load, prune");
  group->require_subcommand(1);
  const control::CommandSpec& create = control::command_spec("snapshot");
  auto reason = std::make_shared<std::string>(fallback<std::string>(create, "reason"));
  verb(*group, exit_code, "create", "take a snapshot of the whole cluster at an epoch boundary", std::make_shared<Where>(),
       [reason, &create] { return control::request_json(create, {{"reason", *reason}}); })
      ->add_option("--reason", *reason, help(create, "reason"));
  const control::CommandSpec& list = control::command_spec("list_snapshots");
  verb(*group, exit_code, "list", "the snapshots in the snapshot dir, oldest first", std::make_shared<Where>(),
       [&list] { return control::request_json(list); });
  const control::CommandSpec& load = control::command_spec("load_snapshot");
  auto name = std::make_shared<std::string>(fallback<std::string>(load, "path"));
  verb(*group, exit_code, "load", "load a snapshot on every node (or on none)", std::make_shared<Where>(),
       [name, &load] { return control::request_json(load, {{"path", *name}}); })
      ->add_option("name", *name, "manifest name as `snapshot list` shows it, or latest")
      ->capture_default_str();
  const control::CommandSpec& prune = control::command_spec("prune_snapshots");
  auto keep = std::make_shared<long>(0);
  verb(*group, exit_code, "prune", "delete all but the newest N snapshots", std::make_shared<Where>(),
       [keep, &prune] { return control::request_json(prune, {{"keep", *keep}}); })
      ->add_option("--keep", *keep, help(prune, "keep"))
      ->required()
      ->check(CLI::NonNegativeNumber);
}

}  // namespace

void add_control_verbs(CLI::App& app, int& exit_code) {
  {
    const control::CommandSpec& spec = control::command_spec("run_demo");
    auto w = std::make_shared<Where>();
    auto args = std::make_shared<std::pair<int, int>>(fallback<int>(spec, "stim_cycles"), fallback<int>(spec, "advance_ticks"));
    auto* sub = app.add_subcommand("demo", "the original's run_demo on the running cluster: spikes per node and region, "
                                           "then (as a table) the METRICS SUMMARY");
    add_where_options(*sub, *w);
    sub->callback([w, args, &spec, &exit_code] {
      exit_code = ask(*w, control::request_json(spec, {{"stim_cycles", args->first}, {"advance_ticks", args->second}}));
      if (exit_code != kExitOk || w->format != Format::table) return;
      Where quiet = *w;
      quiet.format = Format::json;
      std::ostringstream captured;
      if (ask(quiet, control::request_json(control::command_spec("metrics"), {{"neurons", true}}), captured) == kExitOk)
        std::cout << control::metrics_summary(nlohmann::json::parse(captured.str()));
    });
    sub->add_option("--stim-cycles", args->first, help(spec, "stim_cycles"))->capture_default_str();
    sub->add_option("--advance-ticks", args->second, help(spec, "advance_ticks"))->capture_default_str();
  }
  {
    const control::CommandSpec& spec = control::command_spec("stimulate_region");
    auto w = std::make_shared<Where>();
    struct Stim {
      std::string region, column;
      long neuron = 0;
      double current = 0;
      long len = 1;
    };
    auto s = std::make_shared<Stim>();
    s->len = fallback<long>(spec, "pattern_len");
    auto* sub = verb(app, exit_code, "stimulate", "inject a current into a neuron of every column of a region", w, [s, &spec] {
      nlohmann::json args = {{"region", s->region}, {"pattern", {{{"neuron", s->neuron}, {"current", s->current}}}}, {"pattern_len", s->len}};
      if (!s->column.empty()) args["column"] = s->column;
      return control::request_json(spec, args);
    });
    sub->add_option("region", s->region, help(spec, "region"))->required();
    sub->add_option("--neuron", s->neuron, "neuron index in each column")->required();
    sub->add_option("--current", s->current, "current injected")->required();
    sub->add_option("--len", s->len, help(spec, "pattern_len"))->capture_default_str();
    sub->add_option("--column", s->column, help(spec, "column"));
  }
  // The verbs that pass one value on as the command's one argument.
  struct OneValue {
    const char* verb;
    const char* command;
    const char* arg;
    const char* help;
  };
  {
    const control::CommandSpec& spec = control::command_spec("reward_global");
    auto value = std::make_shared<double>(0.0);
    auto region = std::make_shared<std::string>();
    auto* sub = verb(app, exit_code, "reward", "a reward to every plastic projection, or with --region to one region's (reward_global)",
                     std::make_shared<Where>(), [value, region, &spec] {
                       nlohmann::json args = {{"value", *value}};
                       if (!region->empty()) args["region"] = *region;
                       return control::request_json(spec, args);
                     });
    sub->add_option("value", *value, help(spec, "value"))->required();
    sub->add_option("--region", *region, help(spec, "region"));
  }
  for (const OneValue& v : {OneValue{"thresholds", "debug_low_thresholds", "threshold",
                                     "set every neuron's threshold; 1.0 restores the presets' (debug_low_thresholds)"},
                            OneValue{"advance", "advance", "ticks", "run the cluster on by TICKS and show the spikes"}}) {
    const control::CommandSpec& spec = control::command_spec(v.command);
    const control::ArgSpec& arg = control::arg_spec(spec, v.arg);
    const bool integer = arg.type == control::ArgType::integer;
    auto number = std::make_shared<double>(0.0);
    auto whole = std::make_shared<long>(0);
    auto* sub = verb(app, exit_code, v.verb, v.help, std::make_shared<Where>(), [number, whole, integer, &spec, &arg] {
      return control::request_json(spec, {{arg.name, integer ? nlohmann::json(*whole) : nlohmann::json(*number)}});
    });
    (integer ? sub->add_option(arg.name, *whole, arg.help) : sub->add_option(arg.name, *number, arg.help))->required();
  }
  for (const char* name : {"pause", "resume"}) {
    const control::CommandSpec& spec = control::command_spec(name);
    verb(app, exit_code, name, spec.help, std::make_shared<Where>(), [&spec] { return control::request_json(spec); });
  }
  {
    const control::CommandSpec& spec = control::command_spec("list_commands");
    verb(app, exit_code, "commands", "list the control commands with their arguments (list_commands)", std::make_shared<Where>(),
         [&spec] { return control::request_json(spec); });
  }
  {
    const control::CommandSpec& spec = control::command_spec("metrics");
    auto w = std::make_shared<Where>();
    struct MetricsArgs {
      bool summary = false, neurons = false, dump = false;
    };
    auto m = std::make_shared<MetricsArgs>();
    auto* sub = app.add_subcommand("metrics", "the cluster's counts: spikes per node, region, column, envelopes, drops, timings");
    add_where_options(*sub, *w);
    sub->add_flag("--summary", m->summary, "print the original's METRICS SUMMARY text instead");
    sub->add_flag("--neurons", m->neurons, help(spec, "neurons") + " (json and yaml; the summary's top neurons)");
    sub->add_flag("--dump", m->dump, help(spec, "dump"));
    sub->callback([w, m, &spec, &exit_code] {
      const nlohmann::json request = control::request_json(spec, {{"neurons", m->neurons || m->summary}, {"dump", m->dump}});
      if (!m->summary) {
        exit_code = ask(*w, request);
        return;
      }
      Where quiet = *w;
      quiet.format = Format::json;
      std::ostringstream captured;
      exit_code = ask(quiet, request, captured);
      if (exit_code == kExitOk) std::cout << control::metrics_summary(nlohmann::json::parse(captured.str()));
    });
  }
  add_snapshot_verbs(app, exit_code);
  {
    auto w = std::make_shared<Where>();
    auto text = std::make_shared<std::string>();
    auto* sub = app.add_subcommand("call", "send any control request, raw: '{\"cmd\": ..., \"args\": {...}}'");
    add_where_options(*sub, *w);
    sub->add_option("json", *text, "the request")->required();
    sub->callback([w, text, &exit_code] {
      auto request = nlohmann::json::parse(*text, nullptr, false);
      if (request.is_discarded() || !request.is_object()) {
        std::cerr << "p3pctl call: the request must be a JSON object, e.g. '{\"cmd\": \"status\"}'\n";
        exit_code = kExitUsage;
        return;
      }
      exit_code = ask(*w, request);
    });
  }
}

}  // namespace p3p::cli
