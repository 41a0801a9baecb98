#include <algorithm>

#include "experiments/catalog_entries.hpp"
#include "experiments/experiment.hpp"

namespace p3p::experiments {
namespace {

Experiment entry(std::string_view name, decltype(Experiment::check) check, decltype(Experiment::run) run) {
  return {control::find_experiment(name), std::move(check), std::move(run)};
}

std::vector<Experiment> build() {
  std::vector<Experiment> r;
  r.push_back(entry("pattern_classify", {}, run_pattern_classify));
  r.push_back(entry("rhythm_gen", {}, run_rhythm_gen));
  r.push_back(entry("hopfield_assoc", {}, run_hopfield_assoc));
  r.push_back(entry("cart_balance", {}, run_cart_balance));
  r.push_back(entry("boid_swarm", check_boid_swarm, run_boid_swarm));
  r.push_back(entry("seq_gen", check_seq_gen, run_seq_gen));
  r.push_back(entry("seizure_detect", {}, run_seizure_detect));
  return r;
}

}  // namespace

const std::vector<Experiment>& registry() {
  static const std::vector<Experiment> r = build();
  return r;
}

const Experiment* find(std::string_view name) {
  const auto& r = registry();
  const auto it = std::find_if(r.begin(), r.end(), [&](const Experiment& e) { return e.info && e.info->name == name; });
  return it == r.end() ? nullptr : &*it;
}

}  // namespace p3p::experiments
