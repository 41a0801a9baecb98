#pragma once
// pattern_classify's environment, apart from any cluster: the four patterns, their noisy presentations,
// the decision from output spike counts, the reward baseline and the scoring. Pure and seeded, so the
// experiment's protocol (pattern_classify.cpp) only moves the cluster, and this part is tested alone.
//
// Two bits, each on/off coded by two lines of `per_line` input neurons: bit 1 of the pattern fires line 0
// (else line 1), bit 0 fires line 2 (else line 3). A presentation is latency coded: each active input
// neuron fires one spike at a jittered offset; a fraction of the input neurons is flipped (on <-> off).
#include <array>
#include <cstdint>
#include <random>
#include <span>
#include <vector>

#include <nlohmann/json.hpp>

namespace p3p::experiments::pattern {

inline constexpr int kClasses = 4;
inline constexpr int kLines = 4;

// std::mt19937_64's sequence is fixed by the standard; the std distributions are not, so the draws are ours
// (the same result document on every standard library).
class Random {
 public:
  explicit Random(std::uint64_t seed) : bits_(seed) {}
  double uniform();                     // [0, 1)
  double uniform(double lo, double hi); // [lo, hi)
  std::uint32_t below(std::uint32_t n); // [0, n), n >= 1
 private:
  std::mt19937_64 bits_;
};

struct Noise {
  double flip = 0.10;  // probability that an input neuron is flipped (on <-> off) in a presentation
  int jitter = 3;      // each spike at offset 0 .. jitter
};

// Which of the four lines pattern p (0..3) turns on.
std::array<bool, kLines> active_lines(int pattern);

struct Presentation {
  int pattern = 0;
  std::vector<int> spike_at;  // per input neuron (kLines * per_line): offset of its one spike, or -1 (silent)
};
Presentation present(int pattern, int per_line, const Noise& noise, Random& rng);

// The class whose `per_class` output neurons fired most; a tie (no spike at all included) is broken at
// random among the tied classes, so a silent network scores chance, not class 0.
int decide(std::span<const std::uint64_t> output_spikes, int per_class, Random& rng);

// Per pattern, the running mean of the rewards it earned: dopamine = reward - mean (a reward-prediction
// error), so a pattern already answered right stops changing the weights.
class RewardBaseline {
 public:
  explicit RewardBaseline(double rate = 0.2) : rate_(rate) {}
  double dopamine(int pattern, double reward);  // reward - mean, then the mean moves toward reward
 private:
  double rate_;
  std::array<double, kClasses> mean_{};
};

// Exploration bias amplitude in epoch `epoch` (0-based) of `epochs`: annealed to a quarter.
double exploration(double amplitude, int epoch, int epochs);
// One bias current per class, uniform in [-amplitude, amplitude).
std::array<double, kClasses> class_bias(double amplitude, Random& rng);
// An epoch's presentation order: every pattern `reps` times, shuffled.
std::vector<int> epoch_order(int reps, Random& rng);

class Confusion {
 public:
  void add(int truth, int predicted);
  std::uint64_t trials() const;
  double accuracy() const;  // 0 with no trials
  nlohmann::json to_json() const;  // rows = the presented pattern, columns = the decided class
 private:
  std::array<std::array<std::uint64_t, kClasses>, kClasses> counts_{};
};

}  // namespace p3p::experiments::pattern
