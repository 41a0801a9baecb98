// seizure_detect: anomaly detection on a streamed EEG-like signal by a spiking detector that learns from
// labelled training segments, against a classical line-length detector tuned on the same data.
//
// Region_Anomaly (roles): input (nodeA, the slope encoder's 4 levels per channel) -> plastic projection in
// eligibility mode -> detector (nodeB) -> one-to-one relay -> alert (nodeC), whose spikes are the read-out.
// The world (seizure_signal.hpp), encoder and line length (seizure_encoder.hpp), scoring (seizure_scoring.hpp)
// and the per-step protocol and read-out (seizure_detector.hpp) are apart from this file.
//
// 1. Training: `epochs` recordings of `epoch_seconds` (each with at least one episode, amplitudes 2-5x),
//    streamed one step (32 samples, 0.25 s) at a time. Exploration kicks fire each detector neuron at random
//    (kExploration per tick), so STDP (LTP only) leaves eligibility on the synapses from whatever the input
//    was doing; after each step dopamine = +1 if the step was labelled seizure, kBackgroundDopamine if not:
//    the synapses from slopes that come with seizures grow, those from the background's shrink.
// 2. Calibration: the detector frozen (its dopamine and eligibility cleared), no exploration, the training
//    recordings once more: the read-out threshold that maximises event F1 on them; the line-length detector
//    is tuned on the same recordings.
// 3. Test: a fresh recording of `test_seconds` with episodes of 3-5x, and one with every episode at 2x;
//    both detectors scored on both (precision, recall, F1, latency, false alarms per hour).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "experiments/catalog_entries.hpp"
#include "experiments/seizure_detector.hpp"

namespace p3p::experiments {
namespace {

using namespace seizure;

constexpr int kSamplesPerStep = 32;
constexpr int kWindowSteps = 4;                // the read-out and the line length look at the last second
constexpr double kExploration = 0.02;          // chance per tick that a detector neuron is kicked while learning
constexpr double kBackgroundDopamine = -0.2;   // per background step while learning (a seizure step: +1)
constexpr std::uint64_t kTrainStream = 0x5e12a7e5u, kTestStream = 0x7e57da7au, kTest2xStream = 0x2a2a2a2au;
constexpr std::uint64_t kExploreStream = 0xe8910e5au;

Unexpected<Error> bad_args(std::string message) { return unexpected(Error{ErrorCode::bad_args, std::move(message)}); }
Unexpected<Error> cancelled() { return unexpected(Error{ErrorCode::cancelled, "seizure_detect cancelled"}); }

struct Setup {
  Run& run;
  DetectorColumns columns;
  int channels = 0;
  std::uint32_t detectors = 0;
};

Expected<Setup, Error> setup(Run& run) {
  for (const char* role : {"input", "detector", "alert"})
    if (!run.columns.contains(role)) return bad_args(run.region + " has no column with role '" + role + "'");
  Setup s{run, {run.columns.at("input"), run.columns.at("detector"), run.columns.at("alert")}, run.args.at("channels").get<int>(), 0};
  const topology::Column* in = topology::find_column(run.topology, s.columns.input);
  const topology::Column* det = topology::find_column(run.topology, s.columns.detector);
  if (in == nullptr || det == nullptr) return unexpected(Error{ErrorCode::unknown_column, "a column of " + run.region + " is missing"});
  if (in->size < static_cast<std::uint32_t>(s.channels * kLevelCount))
    return bad_args(std::to_string(s.channels) + " channels need " + std::to_string(s.channels * kLevelCount) + " input neurons (" +
                    std::to_string(kLevelCount) + " per channel), and " + s.columns.input + " has " + std::to_string(in->size));
  s.detectors = det->size;
  auto weights = run.driver.weights(s.columns.detector);
  if (!weights) return unexpected(weights.error());
  for (const driver::ProjectionWeights& p : *weights)
    if (p.from == s.columns.input && p.plastic) return s;
  return bad_args(run.region + " needs a plastic projection " + s.columns.input + " -> " + s.columns.detector);
}

// `count` recordings of `seconds` one after the other, as one (episodes shifted to their place).
Recording concatenated(const SignalSpec& spec, int count, std::uint64_t seed) {
  Recording all;
  for (int i = 0; i < count; ++i) {
    Recording r = generate(spec, seed + static_cast<std::uint64_t>(i) * 0x9e3779b97f4a7c15ULL);
    const std::int64_t shift = all.length();
    all.channels = r.channels;
    all.samples.insert(all.samples.end(), r.samples.begin(), r.samples.end());
    for (Episode e : r.episodes) all.episodes.push_back({e.onset + shift, e.end + shift, e.amplitude});
  }
  return all;
}

std::span<const float> block_of(const Recording& r, std::int64_t step) {
  const std::int64_t from = step * kSamplesPerStep, to = std::min(r.length(), from + kSamplesPerStep);
  return {r.samples.data() + from * r.channels, static_cast<std::size_t>((to - from) * r.channels)};
}

std::int64_t steps_of(const Recording& r) { return r.length() / kSamplesPerStep; }

bool seizure_step(const Recording& r, std::int64_t step) {
  int inside = 0;
  for (std::int64_t n = step * kSamplesPerStep; n < (step + 1) * kSamplesPerStep; ++n) inside += in_episode(r.episodes, n) ? 1 : 0;
  return 2 * inside >= kSamplesPerStep;
}

// Step-level ROC area of the alert counts: the chance that a seizure step has more alert spikes than a
// background step (ties count half). The learning curve: 0.5 before the detector tells them apart.
double step_auc(const std::vector<double>& counts, const std::vector<bool>& seizure) {
  std::vector<double> pos, neg;
  for (std::size_t i = 0; i < counts.size(); ++i) (seizure[i] ? pos : neg).push_back(counts[i]);
  if (pos.empty() || neg.empty()) return 0.5;
  std::sort(neg.begin(), neg.end());
  double wins = 0.0;
  for (const double p : pos) {
    const auto lo = std::lower_bound(neg.begin(), neg.end(), p), hi = std::upper_bound(neg.begin(), neg.end(), p);
    wins += static_cast<double>(lo - neg.begin()) + 0.5 * static_cast<double>(hi - lo);
  }
  return wins / (static_cast<double>(pos.size()) * static_cast<double>(neg.size()));
}

// Exploration kicks for the ticks of one step.
std::vector<driver::Current> exploration(const Setup& s, std::int64_t t0, pattern::Random& rng) {
  std::vector<driver::Current> c;
  for (int t = 0; t < kSamplesPerStep; ++t)
    for (std::uint32_t n = 0; n < s.detectors; ++n)
      if (rng.uniform() < kExploration) c.push_back({s.columns.detector, n, t0 + t, kKick});
  return c;
}

// One training epoch: steps [from, to) of the training recording, learning; returns its step-level AUC.
Expected<double, Error> train_epoch(const Setup& s, const Recording& r, SlopeEncoder& encoder, std::int64_t from, std::int64_t to,
                                    pattern::Random& rng) {
  std::vector<double> counts;
  std::vector<bool> labels;
  for (std::int64_t step = from; step < to; ++step) {
    if (s.run.cancelled()) return cancelled();
    const std::vector<driver::Current> kicks = exploration(s, s.run.driver.tick(), rng);
    const auto c = detector_step(s.run.driver, s.columns, encoder, block_of(r, step), kicks);
    if (!c) return unexpected(c.error());
    const bool seizure = seizure_step(r, step);
    if (auto ok = s.run.driver.set_reward(seizure ? 1.0 : kBackgroundDopamine, s.run.driver.tick(), s.run.region); !ok)
      return unexpected(ok.error());
    counts.push_back(static_cast<double>(c->alert));
    labels.push_back(seizure);
  }
  return step_auc(counts, labels);
}

// The frozen detector over a whole recording: its alert spikes per step.
Expected<std::vector<double>, Error> replay(const Setup& s, const Recording& r, std::vector<double> scale) {
  SlopeEncoder encoder(std::move(scale));
  std::vector<double> counts;
  for (std::int64_t step = 0; step < steps_of(r); ++step) {
    if (s.run.cancelled()) return cancelled();
    const auto c = detector_step(s.run.driver, s.columns, encoder, block_of(r, step));
    if (!c) return unexpected(c.error());
    counts.push_back(static_cast<double>(c->alert));
  }
  return counts;
}

std::vector<double> line_lengths(const Recording& r, std::vector<double> scale) {
  LineLength ll(std::move(scale));
  std::vector<double> v;
  for (std::int64_t step = 0; step < steps_of(r); ++step) v.push_back(ll.block(block_of(r, step)));
  return trailing_sum(v, kWindowSteps);
}

// Mean learned weight from each slope level (over channels and detector neurons): what a person reads the
// learned selectivity from.
Expected<nlohmann::json, Error> level_weights(const Setup& s) {
  auto weights = s.run.driver.weights(s.columns.detector);
  if (!weights) return unexpected(weights.error());
  std::vector<double> sum(kLevelCount, 0.0);
  std::vector<int> n(kLevelCount, 0);
  for (const driver::ProjectionWeights& p : *weights) {
    if (p.from != s.columns.input || !p.plastic) continue;
    for (const driver::Synapse& w : p.synapses) {
      if (w.source >= static_cast<std::uint32_t>(s.channels * kLevelCount)) continue;
      sum[w.source % kLevelCount] += w.weight;
      ++n[w.source % kLevelCount];
    }
  }
  nlohmann::json out = nlohmann::json::object();
  for (int k = 0; k < kLevelCount; ++k) {
    char level[16];
    std::snprintf(level, sizeof level, "%.1f", kLevels[static_cast<std::size_t>(k)]);
    out[level] = n[k] == 0 ? 0.0 : std::round(sum[k] / n[k] * 1e4) / 1e4;
  }
  return out;
}

struct Scored {
  EventScore spiking, classical;
};

// Both detectors on one test recording.
Expected<Scored, Error> test_on(const Setup& s, const Recording& r, const std::vector<double>& scale, double spiking_threshold,
                                double classical_threshold) {
  const Timing timing{kSamplesPerStep, r.rate};
  const auto counts = replay(s, r, scale);
  if (!counts) return unexpected(counts.error());
  return Scored{score(trailing_sum(*counts, kWindowSteps), spiking_threshold, r.episodes, timing),
                score(line_lengths(r, scale), classical_threshold, r.episodes, timing)};
}

bool passes(const Scored& main, const Scored& at_2x) {
  return main.spiking.f1 >= 0.95 && main.spiking.latency_s <= 1.0 && main.spiking.latency_s <= 1.2 * main.classical.latency_s &&
         at_2x.spiking.f1 >= at_2x.classical.f1;
}

Expected<Outcome, Error> run_seizure(Run& run) {
  auto s = setup(run);
  if (!s) return unexpected(s.error());
  const auto seed = run.args.at("seed").get<std::uint64_t>();
  const int epochs = run.args.at("epochs").get<int>();
  const double epoch_seconds = run.args.at("epoch_seconds").get<double>();
  SignalSpec spec{s->channels, epoch_seconds, 2.0, 5.0};
  const Recording train = concatenated(spec, epochs, seed ^ kTrainStream);
  const std::vector<double> scale = slope_scale(train);
  const Timing timing{kSamplesPerStep, train.rate};
  Outcome o;
  SlopeEncoder encoder(scale);
  pattern::Random rng(seed ^ kExploreStream);
  const std::int64_t per_epoch = steps_of(train) / epochs;
  for (int e = 0; e < epochs; ++e) {
    const auto auc = train_epoch(*s, train, encoder, e * per_epoch, (e + 1) * per_epoch, rng);
    if (!auc) return unexpected(auc.error());
    o.curve.push_back(std::round(*auc * 1e4) / 1e4);
    run.progress({e + 1, epochs, o.curve.back()});
  }
  // Frozen from here: no dopamine, no eligibility left to act on the weights.
  const std::string frozen[] = {s->columns.detector, s->columns.alert};
  if (auto r = run.driver.reset_columns(frozen); !r) return unexpected(r.error());
  const auto calibration = replay(*s, train, scale);
  if (!calibration) return unexpected(calibration.error());
  const Tuned spiking = tune(trailing_sum(*calibration, kWindowSteps), train.episodes, timing);
  const Tuned classical = tune(line_lengths(train, scale), train.episodes, timing);
  spec.seconds = run.args.at("test_seconds").get<double>();
  spec.amplitude_min = 3.0;
  spec.amplitude_max = 5.0;
  const auto main = test_on(*s, generate(spec, seed ^ kTestStream), scale, spiking.threshold, classical.threshold);
  if (!main) return unexpected(main.error());
  spec.amplitude_min = spec.amplitude_max = 2.0;
  const auto at_2x = test_on(*s, generate(spec, seed ^ kTest2xStream), scale, spiking.threshold, classical.threshold);
  if (!at_2x) return unexpected(at_2x.error());
  const auto weights = level_weights(*s);
  if (!weights) return unexpected(weights.error());
  o.score = main->spiking.f1;
  o.parts = {{"spiking_3_5x", main->spiking.to_json()}, {"line_length_3_5x", main->classical.to_json()},
             {"spiking_2x", at_2x->spiking.to_json()}, {"line_length_2x", at_2x->classical.to_json()},
             {"spiking_training", spiking.score.to_json()}, {"line_length_training", classical.score.to_json()}};
  // The curve is a step-level ROC area (chance 0.5), the score an event F1: the line-length detector's
  // figures compare with the score, only chance with the curve.
  o.baselines = {{"line_length_f1", main->classical.f1}, {"line_length_latency_s", main->classical.latency_s},
                 {"line_length_f1_2x", at_2x->classical.f1}, {"chance", 0.5}};
  o.curve_unit = "step ROC area";
  o.baseline_units = {{"line_length_f1", "event F1"}, {"line_length_latency_s", "s"}, {"line_length_f1_2x", "event F1"}, {"chance", o.curve_unit}};
  o.passed = passes(*main, *at_2x);
  const auto fingerprint = weights_fingerprint(run.driver, s->columns);
  if (!fingerprint) return unexpected(fingerprint.error());
  const Readout readout{s->channels, train.rate, kSamplesPerStep, kWindowSteps, spiking.threshold, scale, *fingerprint};
  const std::int64_t test_steps = static_cast<std::int64_t>(spec.seconds * train.rate) / kSamplesPerStep;
  o.details = {{"detector", readout.to_json()}, {"line_length_threshold", classical.threshold}, {"level_weights", *weights},
               {"sample_rate_hz", train.rate}, {"step_seconds", timing.step_seconds()},
               {"training_seconds", train.seconds()}, {"test_seconds", spec.seconds},
               {"env_steps", 2 * steps_of(train) + 2 * test_steps}, {"curve", "step-level ROC area of the alert spikes, per training epoch"}};
  return o;
}

}  // namespace

Expected<Outcome, Error> run_seizure_detect(Run& run) { return run_seizure(run); }

}  // namespace p3p::experiments
