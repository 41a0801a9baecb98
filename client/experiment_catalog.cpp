#include "client/experiment_catalog.hpp"

#include <algorithm>

namespace p3p::control {
namespace {

ArgSpec integer(std::string name, long long fallback, double min, double max, std::string help) {
  return {std::move(name), ArgType::integer, fallback, false, min, max, std::move(help)};
}

ArgSpec optional_integer(std::string name, double min, double max, std::string help) {
  return {std::move(name), ArgType::integer, nullptr, true, min, max, std::move(help)};
}

// seq_gen: its arguments and criterion mirror experiments/seq_gen.cpp (the floors of issue 14).
ExperimentInfo seq_gen() {
  return {"seq_gen",
          "learns a symbol sequence from teacher-forced presentations (one sub-population per symbol-in-context, "
          "plastic recurrent projection one symbol long), then generates it from a cue of its first symbol",
          "Region_Seq",
          {"input", "hidden", "output"},
          {integer("epochs", 20, 1, 1000, "presentations of the sequence (generation is scored after each)"),
           optional_integer("seq_len", 2, 16,
                            "length of the sequence: drawn with sequence=random (default 8), else must match it"),
           {"sequence", ArgType::string, "010101", false, {}, {},
            "the taught sequence: up to 16 digits 0-3, or `random` (seq_len symbols over the alphabet, from the seed)"},
           optional_integer("alphabet", 2, 4,
                            "symbols 0..alphabet-1 (chance = 1/alphabet); default: the sequence's largest + 1, 4 for random")},
          "the generated sequence (after the cue) is perfect from the 3rd presentation at the latest to the last, and "
          "the same network with plasticity off scores <= chance",
          true};
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
  c.push_back(seq_gen());
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
