#include "client/experiment_catalog.hpp"

#include <algorithm>

namespace p3p::control {
namespace {

ArgSpec integer(std::string name, long long fallback, double min, double max, std::string help) {
  return {std::move(name), ArgType::integer, fallback, false, min, max, std::move(help)};
}

// One entry per experiment; the helpers that build each experiment own its entry.
std::vector<ExperimentInfo> build() {
  std::vector<ExperimentInfo> c;
  c.push_back({"pattern_classify", "pattern classification (Region_Pattern)", "Region_Pattern", {},
               {integer("epochs", 10, 1, 100000, ""), integer("pattern_len", 8, 1, 100000, "")}, "", false});
  c.push_back({"rhythm_gen", "rhythm generation (Region_Osc)", "Region_Osc", {},
               {integer("epochs", 20, 1, 100000, ""), integer("ticks_per_epoch", 20, 1, 100000, ""),
                integer("pattern_len", 4, 1, 100000, "")}, "", false});
  c.push_back({"hopfield_assoc", "associative memory (Region_Memory)", "Region_Memory", {},
               {integer("epochs", 15, 1, 100000, ""), integer("pattern_len", 6, 1, 100000, "")}, "", false});
  c.push_back({"cart_balance", "cart-pole actor-critic (Region_Cart)", "Region_Cart", {},
               {integer("episodes", 20, 1, 100000, ""), integer("steps_per_episode", 30, 1, 100000, "")}, "", false});
  c.push_back({"boid_swarm", "boids swarm (Region_Flock)", "Region_Flock", {},
               {integer("epochs", 25, 1, 100000, ""), integer("pattern_len", 4, 1, 100000, "")}, "", false});
  c.push_back({"seq_gen", "sequence generation (Region_Seq)", "Region_Seq", {},
               {integer("epochs", 20, 1, 100000, ""), integer("seq_len", 10, 1, 100000, "")}, "", false});
  c.push_back({"seizure_detect", "seizure/anomaly detection (Region_Anomaly)", "Region_Anomaly", {},
               {integer("epochs", 30, 1, 100000, ""), integer("burst_every", 7, 1, 100000, "")}, "", false});
  return c;
}

}  // namespace

const std::vector<ExperimentInfo>& experiment_catalog() {
  static const std::vector<ExperimentInfo> catalog = build();
  return catalog;
}

const ExperimentInfo* find_experiment(std::string_view name) {
  const auto& c = experiment_catalog();
  const auto it = std::find_if(c.begin(), c.end(), [&](const ExperimentInfo& e) { return e.name == name; });
  return it == c.end() ? nullptr : &*it;
}

}  // namespace p3p::control
