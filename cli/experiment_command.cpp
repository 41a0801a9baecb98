// p3pctl experiment NAME [--seed S] [--set key=value ...]   experiment_<name>: the result, or the error
//        experiment list                                     experiment_list
//        experiment all [--seed S] [--skip NAME,...]         every experiment in turn: one table
//        experiment results [NAME] [--plot FILE.svg]         the result documents in the topology's results dir
// Arguments of --set are checked against the experiment catalog (client/experiment_catalog.hpp) for their
// names here and for their values by the control port (bad_args naming the argument). See experiment_run.hpp
// for the progress bar and Ctrl-C.
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <memory>

#include "cli/cluster_args.hpp"
#include "cli/command.hpp"
#include "cli/document_fields.hpp"
#include "cli/experiment_run.hpp"
#include "cli/learning_curve_svg.hpp"
#include "cli/output.hpp"
#include "client/experiment_catalog.hpp"
#include "client/experiment_results.hpp"

namespace p3p::cli {
namespace {

struct ExperimentArgs {
  RunPlace where;
  Format format = Format::table;
  std::string name, plot;
  long long seed = -1;  // -1: the command's default
  std::vector<std::string> sets;
  std::vector<std::string> skip;  // experiment all: not these
};

void add_place_options(CLI::App& sub, ExperimentArgs& a) {
  sub.add_option("--endpoint", a.where.endpoint, "control port HOST:PORT (default: $P3P_ENDPOINT, then the topology's)");
  sub.add_option("--topology", a.where.topology, "topology YAML file (default: $P3P_TOPOLOGY, then the cluster last brought up)");
  add_run_dir_option(sub, a.where.run_dir);
  add_output_option(sub, a.format);
}

// Strings are appended step by step and JSON values iterated only when named: GCC 12 misreports chains of +
// (-Wrestrict) and loops over temporaries (-Wmaybe-uninitialized).
void add_item(std::string& list, const std::string& item) {
  if (!list.empty()) list.append(", ");
  list.append(item);
}

std::string baselines_cell(const nlohmann::json& doc) {
  std::string out;
  const nlohmann::json& baselines = member(doc, "baselines");
  for (const auto& [k, v] : baselines.items()) add_item(out, k + " " + cell(v));
  return out.empty() ? "-" : out;
}

std::string names_of_catalog() {
  std::string out;
  for (const auto& e : control::experiment_catalog()) add_item(out, e.name);
  return out;
}

// The arguments from --seed and --set key=value: values typed as the catalog says (a string stays a string).
Expected<nlohmann::json, std::string> build_args(const control::ExperimentInfo& info, const ExperimentArgs& a) {
  const control::CommandSpec spec = control::experiment_command(info);
  nlohmann::json args = nlohmann::json::object();
  for (const std::string& item : a.sets) {
    const auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0) return unexpected("--set takes key=value, got '" + item + "'");
    const std::string key = item.substr(0, eq), text = item.substr(eq + 1);
    const auto arg = std::find_if(spec.args.begin(), spec.args.end(), [&](const control::ArgSpec& s) { return s.name == key; });
    if (arg == spec.args.end()) {
      std::string known;
      for (const auto& s : spec.args) add_item(known, s.name);
      return unexpected("'" + key + "' is not an argument of " + info.name + " (its arguments: " + known + ")");
    }
    nlohmann::json value = nlohmann::json::parse(text, nullptr, false);
    if (arg->type == control::ArgType::string || value.is_discarded()) value = text;  // the port names a wrong type
    args[key] = value;
  }
  if (a.seed >= 0) args["seed"] = a.seed;
  return args;
}

void print_document(std::ostream& out, const nlohmann::json& doc) {
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"experiment", cell(field(doc, "experiment")) + " (seed " + cell(field(doc, "seed")) + ")"});
  std::string nodes;
  const nlohmann::json& node_list = member(doc, "nodes");
  for (const auto& n : node_list) add_item(nodes, cell(n));
  std::string region = cell(doc.value("region", nlohmann::json("-")));
  rows.push_back({"region", region.append(" on ").append(nodes)});
  const nlohmann::json& details = member(doc, "details");
  for (const auto& [k, v] : details.items()) rows.push_back({k, cell(v)});
  rows.push_back({"score", cell(field(doc, "score"))});
  const nlohmann::json& parts = member(doc, "parts");
  for (const auto& [k, v] : parts.items()) rows.push_back({"  " + k, cell(v)});
  rows.push_back({"baselines", baselines_cell(doc)});
  std::string verdict = "passed";
  if (field(doc, "passed") != true) verdict = std::string("NOT passed (").append(cell(doc.value("pass_criterion", nlohmann::json("")))).append(")");
  rows.push_back({"passed", verdict});
  rows.push_back({"ticks", cell(field(doc, "first_tick")) + " to " + cell(field(doc, "last_tick"))});
  rows.push_back({"seconds", cell(field(doc, "duration_s"))});
  if (doc.contains("file")) rows.push_back({"file", cell(field(doc, "file"))});
  print_table(out, {"FIELD", "VALUE"}, rows);
}

std::vector<std::string> summary_row(const std::string& name, const nlohmann::json& doc) {
  const nlohmann::json &first = field(doc, "first_tick"), &last = field(doc, "last_tick");
  const std::string ticks = first.is_number_integer() && last.is_number_integer() ? std::to_string(last.get<long long>() - first.get<long long>()) : "-";
  return {name, cell(field(doc, "score")), baselines_cell(doc), field(doc, "passed") == true ? "yes" : "NO", ticks, cell(field(doc, "duration_s"))};
}
const std::vector<std::string> kSummaryHeader = {"EXPERIMENT", "SCORE", "BASELINE", "PASSED", "TICKS", "SECONDS"};

// The error of a reply on stderr: exit 1. Otherwise the result.
Expected<nlohmann::json, int> result_of(const Expected<nlohmann::json, std::string>& reply) {
  if (!reply) {
    std::cerr << "p3pctl: " << reply.error() << '\n';
    return unexpected(kExitFailed);
  }
  if (reply->value("ok", false) != true) {
    const auto& e = (*reply)["error"];
    std::cerr << "p3pctl: " << e.value("code", std::string("error")) << ": " << e.value("message", std::string()) << '\n';
    return unexpected(kExitFailed);
  }
  return (*reply)["result"];
}

int run_one(const ExperimentArgs& a) {
  const control::ExperimentInfo* info = control::find_experiment(a.name);
  if (!info) {
    std::cerr << "p3pctl: bad_args: no experiment '" << a.name << "' (there are " << names_of_catalog() << "; `p3pctl experiment list`)\n";
    return kExitFailed;
  }
  auto args = build_args(*info, a);
  if (!args) {
    std::cerr << "p3pctl: bad_args: " << args.error() << '\n';
    return kExitFailed;
  }
  auto doc = result_of(run_experiment(a.where, a.name, *args, isatty(STDERR_FILENO) != 0));
  if (!doc) return doc.error();
  print_result(std::cout, a.format, *doc, [&](std::ostream& out) { print_document(out, *doc); });
  return kExitOk;
}

int list(const ExperimentArgs& a) {
  auto list = result_of(ask_control(a.where, {{"cmd", "experiment_list"}}));
  if (!list) return list.error();
  print_result(std::cout, a.format, *list, [&](std::ostream& out) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& e : *list) {
      std::string args;
      for (const auto& arg : e["args"]) {
        if (!args.empty()) args.append(" ");
        args.append(cell(arg["name"]));
        if (arg.contains("default")) args.append("=").append(cell(arg["default"]));
      }
      rows.push_back({cell(e["name"]), e["implemented"] == true ? "ready" : "not yet", cell(e["description"]), args, cell(e["pass_criterion"])});
    }
    print_table(out, {"EXPERIMENT", "STATE", "WHAT", "ARGS (defaults)", "PASS"}, rows);
  });
  return kExitOk;
}

int all(const ExperimentArgs& a) {
  auto list = result_of(ask_control(a.where, {{"cmd", "experiment_list"}}));
  if (!list) return list.error();
  for (const std::string& name : a.skip)
    if (std::none_of(list->begin(), list->end(), [&](const nlohmann::json& e) { return e["name"] == name; })) {
      std::cerr << "p3pctl experiment all: --skip " << name << ": no such experiment (p3pctl experiment list)\n";
      return kExitUsage;
    }
  std::vector<std::vector<std::string>> rows;
  nlohmann::json docs = nlohmann::json::array();
  int code = kExitOk;
  for (const auto& e : *list) {
    const std::string name = e["name"];
    if (e["implemented"] != true) {
      rows.push_back({name, "not yet", "-", "-", "-", "-"});
      docs.push_back({{"experiment", name}, {"implemented", false}});
      continue;
    }
    if (std::find(a.skip.begin(), a.skip.end(), name) != a.skip.end()) {
      rows.push_back({name, "skipped", "-", "-", "-", "-"});
      docs.push_back({{"experiment", name}, {"skipped", true}});
      continue;
    }
    nlohmann::json args = nlohmann::json::object();
    if (a.seed >= 0) args["seed"] = a.seed;
    auto reply = run_experiment(a.where, name, args, isatty(STDERR_FILENO) != 0);
    auto doc = result_of(reply);
    if (!doc) {
      code = kExitFailed;
      const std::string why = reply ? cell((*reply)["error"].value("code", nlohmann::json("error"))) : "unreachable";
      rows.push_back({name, "error: " + why, "-", "-", "-", "-"});
      docs.push_back({{"experiment", name}, {"error", reply ? (*reply)["error"] : nlohmann::json(reply.error())}});
      if (why == "cancelled") break;  // Ctrl-C: the rest is not wanted either
      continue;
    }
    rows.push_back(summary_row(name, *doc));
    docs.push_back(*doc);
  }
  print_result(std::cout, a.format, docs, [&](std::ostream& out) { print_table(out, kSummaryHeader, rows); });
  return code;
}

Expected<nlohmann::json, std::string> read_document(const std::filesystem::path& p) {
  std::ifstream in(p);
  nlohmann::json doc = nlohmann::json::parse(in, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return unexpected(p.string() + " is not a result document");
  doc["file"] = p.filename().string();
  return doc;
}

int results(const ExperimentArgs& a) {
  if (!a.plot.empty() && a.name.empty()) {
    std::cerr << "p3pctl experiment results: --plot needs an experiment NAME\n";
    return kExitUsage;
  }
  const std::string file = resolve_topology_file(a.where.topology, a.where.run_dir);
  if (file.empty()) {
    std::cerr << "p3pctl: no topology: give --topology FILE, set P3P_TOPOLOGY, or bring a cluster up first\n";
    return kExitUsage;
  }
  auto topo = load_topology(file);
  if (!topo) {
    std::cerr << topo.error() << '\n';
    return kExitFailed;
  }
  const auto& dir = topo->results.dir;
  if (a.name.empty()) {
    std::vector<std::vector<std::string>> rows;
    nlohmann::json docs = nlohmann::json::array();
    for (const auto& e : control::experiment_catalog()) {
      const auto files = control::list_results(dir, e.name);
      auto doc = files.empty() ? Expected<nlohmann::json, std::string>(unexpected(std::string("none"))) : read_document(files.back());
      if (!doc) {
        rows.push_back({e.name, files.empty() ? "no result" : doc.error(), "-", "-", "-", "-"});
        continue;
      }
      rows.push_back(summary_row(e.name, *doc));
      docs.push_back(*doc);
    }
    print_result(std::cout, a.format, docs, [&](std::ostream& out) { print_table(out, kSummaryHeader, rows); });
    return kExitOk;
  }
  const auto files = control::list_results(dir, a.name);
  if (files.empty()) {
    std::cerr << "p3pctl: no result of '" << a.name << "' in " << dir.string() << " (run `p3pctl experiment " << a.name << "`)\n";
    return kExitFailed;
  }
  auto doc = read_document(files.back());
  if (!doc) {
    std::cerr << "p3pctl: " << doc.error() << '\n';
    return kExitFailed;
  }
  if (!a.plot.empty()) {
    std::ofstream svg(a.plot);
    svg << learning_curve_svg(*doc);
    if (!svg.flush()) {
      std::cerr << "p3pctl: cannot write " << a.plot << '\n';
      return kExitFailed;
    }
  }
  print_result(std::cout, a.format, *doc, [&](std::ostream& out) { print_document(out, *doc); });
  return kExitOk;
}

}  // namespace

void add_experiment_command(CLI::App& app, int& exit_code) {
  auto run = std::make_shared<ExperimentArgs>();
  auto* group = app.add_subcommand("experiment", "run an experiment on the running cluster (NAME), or: list, all, results");
  group->require_subcommand(0, 1);
  group->add_option("name", run->name, "the experiment (" + names_of_catalog() + ")");
  group->add_option("--seed", run->seed, "seed of the inputs and the region's noise (default 1)")->check(CLI::NonNegativeNumber);
  group->add_option("--set", run->sets, "an argument of the experiment, key=value (repeatable)");
  add_place_options(*group, *run);
  group->callback([group, run, &exit_code] {
    if (!group->get_subcommands().empty()) return;
    if (run->name.empty()) {
      std::cerr << "p3pctl experiment: give an experiment NAME, or list, all, results (see --help)\n";
      exit_code = kExitUsage;
      return;
    }
    exit_code = run_one(*run);
  });
  auto l = std::make_shared<ExperimentArgs>();
  auto* list_sub = group->add_subcommand("list", "the experiments: what each does, its arguments and defaults, its pass criterion");
  add_place_options(*list_sub, *l);
  list_sub->callback([l, &exit_code] { exit_code = list(*l); });
  auto a = std::make_shared<ExperimentArgs>();
  auto* all_sub = group->add_subcommand("all", "run every experiment in turn: experiment, score, baseline, passed, ticks, seconds");
  all_sub->add_option("--seed", a->seed, "seed of every run (default 1)")->check(CLI::NonNegativeNumber);
  all_sub->add_option("--skip", a->skip, "experiments not to run (NAME, repeatable or comma-separated)")->delimiter(',');
  add_place_options(*all_sub, *a);
  all_sub->callback([a, &exit_code] { exit_code = all(*a); });
  auto r = std::make_shared<ExperimentArgs>();
  auto* results_sub = group->add_subcommand("results", "the newest result of each experiment (or of NAME) from the results dir");
  results_sub->add_option("name", r->name, "this experiment's newest result, in full");
  results_sub->add_option("--plot", r->plot, "write its learning curve as an SVG picture to this file");
  add_place_options(*results_sub, *r);
  results_sub->callback([r, &exit_code] { exit_code = results(*r); });
}

}  // namespace p3p::cli
