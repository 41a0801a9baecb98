// Every implemented experiment over 5 seeds (1..5) with its default arguments, in-process on one engine
// built from the topology (default), or with --cluster on a running cluster at rest (p3pctl up FILE; the
// runs go through the same runner, on a NodeClusterDriver from here, not through the control port). One
// JSON line per experiment:
//   {"bench":"experiment","experiment","driver","seeds","score_mean","score_min","baselines" (name -> mean),
//    "passed","seconds_mean","seconds_max"}
// and {"bench":"experiment","experiment","implemented":false} for one that comes later. Nothing is written
// to the results dir.
// --set KEY=VALUE (repeatable; VALUE read as JSON, else as a string) gives every run that argument, e.g.
// --only seq_gen --set sequence=random --set seq_len=16 --set alphabet=4; the line then carries "args".
// Usage: bench_experiments [--topology FILE] [--cluster] [--seeds N] [--only NAME] [--set KEY=VALUE ...]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <string>

#include "driver/engine_driver.hpp"
#include "driver/node_cluster_driver.hpp"
#include "experiments/runner.hpp"
#include "topology/loader.hpp"

namespace {

struct Options {
  std::string topology = std::string(P3P_SOURCE_DIR) + "/topology/default.yaml";
  bool cluster = false;
  int seeds = 5;
  std::string only;
  nlohmann::json args = nlohmann::json::object();
};

// KEY=VALUE into args: VALUE as JSON if it parses (16, 0.5, true), else as a string (random, 0120).
bool set_arg(const std::string& text, nlohmann::json& args) {
  const auto eq = text.find('=');
  if (eq == 0 || eq == std::string::npos) return false;
  const std::string value = text.substr(eq + 1);
  nlohmann::json parsed = nlohmann::json::parse(value, nullptr, false);
  const bool keeps_text = parsed.is_discarded() || (parsed.is_number() && value.size() > 1 && value[0] == '0' && value[1] != '.');
  args[text.substr(0, eq)] = keeps_text ? nlohmann::json(value) : parsed;
  return true;
}

bool parse(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const bool has_value = i + 1 < argc;
    if (a == "--topology" && has_value) o.topology = argv[++i];
    else if (a == "--cluster") o.cluster = true;
    else if (a == "--seeds" && has_value) o.seeds = std::stoi(argv[++i]);
    else if (a == "--only" && has_value) o.only = argv[++i];
    else if (a == "--set" && has_value) {
      if (!set_arg(argv[++i], o.args)) return false;
    } else return false;
  }
  return o.seeds >= 1;
}

p3p::Expected<std::unique_ptr<p3p::driver::ClusterDriver>, p3p::driver::Error> open_driver(const p3p::topology::Topology& t, bool cluster) {
  if (cluster) {
    auto d = p3p::driver::NodeClusterDriver::open(t, std::chrono::seconds(60));
    if (!d) return p3p::unexpected(d.error());
    return std::unique_ptr<p3p::driver::ClusterDriver>(std::move(*d));
  }
  auto d = p3p::driver::EngineDriver::create(t);
  if (!d) return p3p::unexpected(d.error());
  return std::unique_ptr<p3p::driver::ClusterDriver>(std::move(*d));
}

// One experiment over every seed: its JSON line, or the first error.
p3p::Expected<nlohmann::json, p3p::driver::Error> measure(p3p::driver::ClusterDriver& d, const p3p::topology::Topology& t,
                                                          const p3p::experiments::Experiment& e, int seeds,
                                                          const nlohmann::json& args) {
  nlohmann::json line = {{"bench", "experiment"}, {"experiment", e.info->name}, {"seeds", seeds}};
  if (!args.empty()) line["args"] = args;
  double sum = 0, lowest = 1e300, seconds_sum = 0, seconds_max = 0;
  int passed = 0;
  std::map<std::string, double> baselines;
  p3p::experiments::Hooks hooks;
  hooks.write = false;
  for (int seed = 1; seed <= seeds; ++seed) {
    nlohmann::json run_args = args;
    run_args["seed"] = seed;
    auto doc = p3p::experiments::run_experiment(d, t, e, run_args, hooks);
    if (!doc) return p3p::unexpected(doc.error());
    const double score = (*doc)["score"].get<double>(), seconds = (*doc)["duration_s"].get<double>();
    sum += score;
    lowest = std::min(lowest, score);
    seconds_sum += seconds;
    seconds_max = std::max(seconds_max, seconds);
    passed += (*doc)["passed"].get<bool>() ? 1 : 0;
    for (const auto& [name, v] : (*doc)["baselines"].items())
      if (v.is_number()) baselines[name] += v.get<double>() / seeds;
  }
  line.update({{"score_mean", sum / seeds}, {"score_min", lowest}, {"baselines", baselines}, {"passed", passed},
               {"seconds_mean", seconds_sum / seeds}, {"seconds_max", seconds_max}});
  return line;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!parse(argc, argv, o)) {
    std::fprintf(stderr, "usage: bench_experiments [--topology FILE] [--cluster] [--seeds N] [--only NAME] [--set KEY=VALUE ...]\n");
    return 2;
  }
  auto t = p3p::topology::load_file(o.topology, {.check_key_file = o.cluster});
  if (!t) {
    std::fprintf(stderr, "bench_experiments: cannot load %s\n", o.topology.c_str());
    return 1;
  }
  auto d = open_driver(*t, o.cluster);
  if (!d) {
    std::fprintf(stderr, "bench_experiments: %s\n", d.error().text().c_str());
    return 1;
  }
  int code = 0;
  for (const auto& e : p3p::experiments::registry()) {
    if (!o.only.empty() && e.info->name != o.only) continue;
    if (!e.run) {
      std::cout << nlohmann::json{{"bench", "experiment"}, {"experiment", e.info->name}, {"implemented", false}}.dump() << std::endl;
      continue;
    }
    auto line = measure(**d, *t, e, o.seeds, o.args);
    if (!line) {
      std::fprintf(stderr, "bench_experiments: %s: %s\n", e.info->name.c_str(), line.error().text().c_str());
      code = 1;
      continue;
    }
    (*line)["driver"] = o.cluster ? "cluster" : "in_process";
    std::cout << line->dump() << std::endl;
  }
  return code;
}
