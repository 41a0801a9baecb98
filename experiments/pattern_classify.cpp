// pattern_classify: four noisy two-bit patterns learnt by reward-modulated STDP across nodes.
//
// Region_Pattern (roles): input (nodeA) -> relay, one_to_one static -> hidden (nodeB) -> plastic
// projection in eligibility mode -> output (nodeC), 4 classes of output neurons with lateral inhibition
// between classes (exclude_same_group), a tonic drive that holds them just below threshold (the output
// column's own baseline). The environment (patterns, noise, decision, scoring) is pattern_env.hpp.
//
// One trial of kTrialTicks from tick s (all timing relative to the driver's tick):
//   s       the output column is reset (potentials, traces, eligibility c and dopamine d of the projection
//           onto it: each trial learns only from itself) and set at once to its resting potential under
//           the tonic drive plus its class's exploration bias, which then flows every tick until the
//           decision (after it the bias changes nothing measurable, and the currents are fewer);
//   s+0..3  each active input neuron gets a one-tick kick and fires one spike (latency jitter);
//   s+1..4  the relay repeats them on the hidden column, one tick later;
//   s+16    decision: the class whose neurons fired most in [s, s+16) (the prototype's 15 ticks plus the
//           relay's one); while learning, dopamine = reward (+1/-1) - the pattern's running mean, to the
//           region only, so w += eta * c * d runs until the next trial's reset;
//   s+45    while learning: each output neuron's incoming weights scaled to sum kRowSum.
#include <array>
#include <cmath>
#include <string>
#include <vector>

#include "experiments/catalog_entries.hpp"
#include "experiments/pattern_env.hpp"

namespace p3p::experiments {
namespace {

using namespace pattern;

constexpr double kInputKick = 1.5;             // (rest 0.2 + 1.5) * leak > threshold: fires that very tick
constexpr std::int64_t kTrialTicks = 45;
constexpr std::int64_t kDecisionTicks = 16;
constexpr int kRepsPerEpoch = 5;               // 20 trials per epoch
constexpr double kExploration = 0.004;         // per-class bias current, annealed to a quarter
constexpr double kRowSum = 0.4;                // each output neuron's incoming weight
constexpr std::uint64_t kTestStream = 0x9e3779b97f4a7c15ULL;  // the held-out trials' own generator

Unexpected<Error> bad_args(std::string message) { return unexpected(Error{ErrorCode::bad_args, std::move(message)}); }

struct Setup {
  Run& run;
  std::string input, hidden, output;
  int per_line = 0;
  int per_class = 0;
  double leak = 0.0, baseline = 0.0;  // the output column's: its tonic drive
  Noise noise;
};

Expected<Setup, Error> setup(Run& run) {
  for (const char* role : {"input", "hidden", "output"})
    if (!run.columns.contains(role)) return bad_args(run.region + " has no column with role '" + role + "'");
  Setup s{run, run.columns.at("input"), run.columns.at("hidden"), run.columns.at("output"), 0, 0, 0.0, 0.0, Noise{}};
  const topology::Column* in = topology::find_column(run.topology, s.input);
  const topology::Column* out = topology::find_column(run.topology, s.output);
  s.per_line = run.args.at("pattern_len").get<int>();
  if (in == nullptr || out == nullptr) return unexpected(Error{ErrorCode::unknown_column, "a column of " + run.region + " is missing"});
  if (in->size < static_cast<std::uint32_t>(kLines * s.per_line))
    return bad_args("pattern_len " + std::to_string(s.per_line) + " needs " + std::to_string(kLines * s.per_line) +
                    " input neurons (4 lines), and " + s.input + " has " + std::to_string(in->size));
  if (out->size < kClasses || out->size % kClasses != 0)
    return bad_args("the output column " + s.output + " must have a multiple of 4 neurons (4 classes), not " +
                    std::to_string(out->size));
  s.per_class = static_cast<int>(out->size) / kClasses;
  s.leak = out->params.leak;
  s.baseline = out->params.baseline;
  if (s.leak >= 1.0) return bad_args("the output column " + s.output + " needs a leak below 1 (it rests at baseline / (1 - leak))");
  auto weights = run.driver.weights(s.output);
  if (!weights) return unexpected(weights.error());
  for (const driver::ProjectionWeights& p : *weights)
    if (p.from == s.hidden && p.plastic) return s;
  return bad_args(run.region + " needs a plastic projection " + s.hidden + " -> " + s.output);
}

// The currents of one trial starting at tick t0. The reset leaves the output at potential 0 (the topology
// builds potentials at 0); one current of (baseline + bias) / (1 - leak) at t0 puts it where the tonic
// drive and its bias hold it.
std::vector<driver::Current> trial_currents(const Setup& s, const Presentation& p, const std::array<double, kClasses>& bias,
                                            std::int64_t t0) {
  std::vector<driver::Current> c;
  for (std::size_t i = 0; i < p.spike_at.size(); ++i)
    if (p.spike_at[i] >= 0) c.push_back({s.input, static_cast<std::uint32_t>(i), t0 + p.spike_at[i], kInputKick});
  for (int n = 0; n < kClasses * s.per_class; ++n) {
    const double b = bias[static_cast<std::size_t>(n / s.per_class)];
    const auto neuron = static_cast<std::uint32_t>(n);
    c.push_back({s.output, neuron, t0, (s.baseline + b) / (1.0 - s.leak)});
    if (b != 0.0)
      for (std::int64_t t = 1; t < kDecisionTicks; ++t) c.push_back({s.output, neuron, t0 + t, b});
  }
  return c;
}

// One trial; with `learn` the reward goes to the region and the weights are scaled after it. Returns the
// decided class.
Expected<int, Error> trial(const Setup& s, const Presentation& p, const std::array<double, kClasses>& bias, Random& rng,
                           RewardBaseline* learn) {
  driver::ClusterDriver& d = s.run.driver;
  const std::int64_t t0 = d.tick();
  const std::string columns[] = {s.output};
  if (auto r = d.reset_columns(columns); !r) return unexpected(r.error());
  const std::vector<driver::Current> currents = trial_currents(s, p, bias, t0);
  if (auto r = d.schedule(currents); !r) return unexpected(r.error());
  const auto decided_at = d.advance_to(t0 + kDecisionTicks);
  if (!decided_at) return unexpected(decided_at.error());
  const auto counts = d.spike_counts(t0, *decided_at);
  if (!counts) return unexpected(counts.error());
  const int decided = decide(counts->per_neuron.at(s.output), s.per_class, rng);
  if (learn != nullptr) {
    const double dopamine = learn->dopamine(p.pattern, decided == p.pattern ? 1.0 : -1.0);
    if (auto r = d.set_reward(dopamine, *decided_at, s.run.region); !r) return unexpected(r.error());
  }
  if (auto r = d.advance_to(t0 + kTrialTicks); !r) return unexpected(r.error());
  if (learn != nullptr)
    if (auto r = d.normalise(s.output, s.hidden, kRowSum); !r) return unexpected(r.error());
  return decided;
}

Unexpected<Error> cancelled() { return unexpected(Error{ErrorCode::cancelled, "pattern_classify cancelled"}); }

// One training epoch; returns its accuracy.
Expected<double, Error> train_epoch(const Setup& s, int epoch, int epochs, Random& rng, RewardBaseline& rewards) {
  const double amplitude = exploration(kExploration, epoch, epochs);
  int right = 0;
  const std::vector<int> order = epoch_order(kRepsPerEpoch, rng);
  for (const int pattern : order) {
    if (s.run.cancelled()) return cancelled();
    const Presentation p = present(pattern, s.per_line, s.noise, rng);
    const auto decided = trial(s, p, class_bias(amplitude, rng), rng, &rewards);
    if (!decided) return unexpected(decided.error());
    right += *decided == pattern ? 1 : 0;
  }
  return static_cast<double>(right) / static_cast<double>(order.size());
}

// Held-out noisy presentations, no reward, no bias: the same trials (one generator per seed) whether the
// network learnt or not, so the baseline and the score are measured on the same inputs.
Expected<Confusion, Error> held_out(const Setup& s, std::uint64_t seed) {
  Random rng(seed ^ kTestStream);
  const int trials = s.run.args.at("test_trials").get<int>();
  Confusion confusion;
  for (int i = 0; i < trials; ++i) {
    if (s.run.cancelled()) return cancelled();
    const int pattern = static_cast<int>(rng.below(kClasses));
    const auto decided = trial(s, present(pattern, s.per_line, s.noise, rng), {}, rng, nullptr);
    if (!decided) return unexpected(decided.error());
    confusion.add(pattern, *decided);
  }
  return confusion;
}

// Mean learnt weight from each input line onto each class (rows: classes, columns: lines): what a person
// reads the mapping from.
Expected<nlohmann::json, Error> line_weights(const Setup& s) {
  auto weights = s.run.driver.weights(s.output);
  if (!weights) return unexpected(weights.error());
  std::array<std::array<double, kLines>, kClasses> sum{};
  std::array<std::array<int, kLines>, kClasses> n{};
  for (const driver::ProjectionWeights& p : *weights) {
    if (p.from != s.hidden || !p.plastic) continue;
    for (const driver::Synapse& w : p.synapses) {
      const auto line = w.source / static_cast<std::uint32_t>(s.per_line);
      const auto cls = w.target / static_cast<std::uint32_t>(s.per_class);
      if (line >= kLines || cls >= kClasses) continue;
      sum[cls][line] += w.weight;
      ++n[cls][line];
    }
  }
  nlohmann::json rows = nlohmann::json::array();
  for (int c = 0; c < kClasses; ++c) {
    nlohmann::json row = nlohmann::json::array();
    for (int l = 0; l < kLines; ++l) row.push_back(n[c][l] == 0 ? 0.0 : std::round(sum[c][l] / n[c][l] * 1e4) / 1e4);
    rows.push_back(row);
  }
  return rows;
}

Expected<Outcome, Error> run_pattern(Run& run) {
  auto s = setup(run);
  if (!s) return unexpected(s.error());
  const auto seed = run.args.at("seed").get<std::uint64_t>();
  const int epochs = run.args.at("epochs").get<int>();
  if (auto r = run.driver.normalise(s->output, s->hidden, kRowSum); !r) return unexpected(r.error());
  const auto untrained = held_out(*s, seed);
  if (!untrained) return unexpected(untrained.error());
  Outcome o;
  Random rng(seed);
  RewardBaseline rewards;
  for (int e = 0; e < epochs; ++e) {
    const auto accuracy = train_epoch(*s, e, epochs, rng, rewards);
    if (!accuracy) return unexpected(accuracy.error());
    o.curve.push_back(*accuracy);
    run.progress({e + 1, epochs, *accuracy});
  }
  const auto trained = held_out(*s, seed);
  if (!trained) return unexpected(trained.error());
  const auto mapping = line_weights(*s);
  if (!mapping) return unexpected(mapping.error());
  o.score = trained->accuracy();
  o.parts = {{"held_out_accuracy", o.score},
             {"test_trials", trained->trials()},
             {"confusion", trained->to_json()},
             {"plasticity_off_confusion", untrained->to_json()}};
  o.baselines = {{"chance", 1.0 / kClasses}, {"plasticity_off", untrained->accuracy()}};
  o.curve_unit = "accuracy";
  o.baseline_units = {{"chance", o.curve_unit}, {"plasticity_off", o.curve_unit}};
  o.passed = o.score >= 0.93;
  o.details = {{"confusion_rows", "presented pattern"}, {"confusion_columns", "decided class"},
               {"line_weights", *mapping}, {"trials_per_epoch", kRepsPerEpoch * kClasses},
               {"ticks_per_trial", kTrialTicks}};
  return o;
}

}  // namespace

Expected<Outcome, Error> run_pattern_classify(Run& run) { return run_pattern(run); }

}  // namespace p3p::experiments
