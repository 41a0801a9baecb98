// Every implemented experiment over 5 seeds (1..5) with its default arguments, in-process on one engine
// built from the topology (default), or with --cluster on a running cluster at rest (p3pctl up FILE; the
// runs go through the same runner, on a NodeClusterDriver from here, not through the control port). One
// JSON line per experiment and seed, as each run ends:
//   {"bench":"experiment_seed","experiment","driver","seed","score","baselines" (name -> value),"passed",
//    "env_steps","seconds","env_steps_per_s","curve"}
// (env_steps from the result's details.env_steps, 0 when the experiment does not count them), then one
// per experiment:
//   {"bench":"experiment","experiment","driver","seeds","score_mean","score_min","baselines" (name -> mean),
//    "passed","seconds_mean","seconds_max","env_steps_mean"}
// and {"bench":"experiment","experiment","implemented":false} for one that comes later. Nothing is written
// to the results dir, unless --results DIR: each run's result document goes there (for
// `p3pctl experiment results NAME --plot`).
// --set KEY=VALUE (repeatable; VALUE read as JSON, else as a string) gives every run that argument, e.g.
// --only seq_gen --set sequence=random --set seq_len=16 --set alphabet=4; the line then carries "args".
// --first-seed S runs seeds S .. S+N-1 instead (to spread seeds over processes).
// Usage: bench_experiments [--topology FILE] [--cluster] [--seeds N] [--first-seed S] [--results DIR] [--only NAME] [--set KEY=VALUE ...]
#include <algorithm>
#include <chrono>
#include <cstdint>
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
  int first_seed = 1;
  std::string only;
  std::string results;  // empty: write no result documents
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
    else if (a == "--first-seed" && has_value) o.first_seed = std::stoi(argv[++i]);
    else if (a == "--results" && has_value) o.results = argv[++i];
    else if (a == "--only" && has_value) o.only = argv[++i];
    else if (a == "--set" && has_value) {
      if (!set_arg(argv[++i], o.args)) return false;
    } else return false;
  }
  return o.seeds >= 1 && o.first_seed >= 0;
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

// One seed's line from its result document.
nlohmann::json seed_line(const nlohmann::json& doc, const std::string& experiment, int seed, const char* driver) {
  const double seconds = doc["duration_s"].get<double>();
  const auto& details = doc["details"];
  const std::uint64_t steps = details.is_object() && details.contains("env_steps") ? details["env_steps"].get<std::uint64_t>() : 0;
  return {{"bench", "experiment_seed"}, {"experiment", experiment}, {"driver", driver}, {"seed", seed},
          {"score", doc["score"]}, {"baselines", doc["baselines"]}, {"passed", doc["passed"]}, {"env_steps", steps},
          {"seconds", seconds}, {"env_steps_per_s", seconds > 0 ? static_cast<double>(steps) / seconds : 0.0},
          {"curve", doc["curve"]}};
}

// One experiment over every seed: a line per seed as it ends, then its summary line (returned), or the
// first error.
p3p::Expected<nlohmann::json, p3p::driver::Error> measure(p3p::driver::ClusterDriver& d, const p3p::topology::Topology& t,
                                                          const p3p::experiments::Experiment& e, int first_seed, int seeds,
                                                          const nlohmann::json& args, const char* driver,
                                                          const std::string& results) {
  nlohmann::json line = {{"bench", "experiment"}, {"experiment", e.info->name}, {"seeds", seeds}, {"first_seed", first_seed}};
  if (!args.empty()) line["args"] = args;
  double sum = 0, lowest = 1e300, seconds_sum = 0, seconds_max = 0, steps_sum = 0;
  int passed = 0;
  std::map<std::string, double> baselines;
  p3p::experiments::Hooks hooks;
  hooks.write = !results.empty();
  if (hooks.write) hooks.results_dir = results;
  for (int seed = first_seed; seed < first_seed + seeds; ++seed) {
    nlohmann::json run_args = args;
    run_args["seed"] = seed;
    auto doc = p3p::experiments::run_experiment(d, t, e, run_args, hooks);
    if (!doc) return p3p::unexpected(doc.error());
    const nlohmann::json one = seed_line(*doc, e.info->name, seed, driver);
    std::cout << one.dump() << std::endl;
    steps_sum += one["env_steps"].get<double>();
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
               {"seconds_mean", seconds_sum / seeds}, {"seconds_max", seconds_max},
               {"env_steps_mean", steps_sum / seeds}});
  return line;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!parse(argc, argv, o)) {
    std::fprintf(stderr, "usage: bench_experiments [--topology FILE] [--cluster] [--seeds N] [--first-seed S] [--results DIR] [--only NAME] [--set KEY=VALUE ...]\n");
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
    const char* driver = o.cluster ? "cluster" : "in_process";
    auto line = measure(**d, *t, e, o.first_seed, o.seeds, o.args, driver, o.results);
    if (!line) {
      std::fprintf(stderr, "bench_experiments: %s: %s\n", e.info->name.c_str(), line.error().text().c_str());
      code = 1;
      continue;
    }
    (*line)["driver"] = driver;
    std::cout << line->dump() << std::endl;
  }
  return code;
}
