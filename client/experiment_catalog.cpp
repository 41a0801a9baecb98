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
  c.push_back({"pattern_classify",
               "four noisy two-bit patterns learnt by reward-modulated STDP (eligibility traces, dopamine = reward - "
               "running mean), scored on held-out presentations (Region_Pattern)",
               "Region_Pattern", {"input", "hidden", "output"},
               {integer("epochs", 20, 1, 1000, "training epochs of 20 trials (45 ticks each)"),
                integer("pattern_len", 8, 1, 4096, "input neurons per line (4 lines: two on/off coded bits)"),
                integer("test_trials", 200, 4, 10000, "held-out noisy presentations scored, before and after training")},
               "held-out accuracy >= 0.93 after the training (5 seeds: mean >= 0.95; chance 0.25)", true});
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
