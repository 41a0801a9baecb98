#include "experiments/pattern_env.hpp"

#include <algorithm>
#include <limits>
#include <utility>

namespace p3p::experiments::pattern {

double Random::uniform() { return static_cast<double>(bits_() >> 11) * 0x1.0p-53; }

double Random::uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }

std::uint32_t Random::below(std::uint32_t n) {
  // Rejection keeps it exactly uniform (a plain modulo favours small values).
  const std::uint64_t limit = std::numeric_limits<std::uint64_t>::max() - std::numeric_limits<std::uint64_t>::max() % n;
  std::uint64_t x = bits_();
  while (x >= limit) x = bits_();
  return static_cast<std::uint32_t>(x % n);
}

std::array<bool, kLines> active_lines(int pattern) {
  const bool b1 = (pattern >> 1 & 1) != 0;
  const bool b0 = (pattern & 1) != 0;
  return {b1, !b1, b0, !b0};
}

Presentation present(int pattern, int per_line, const Noise& noise, Random& rng) {
  const std::array<bool, kLines> lines = active_lines(pattern);
  Presentation p{pattern, std::vector<int>(static_cast<std::size_t>(kLines * per_line), -1)};
  for (std::size_t i = 0; i < p.spike_at.size(); ++i) {
    const bool flipped = rng.uniform() < noise.flip;
    const auto offset = static_cast<int>(rng.below(static_cast<std::uint32_t>(noise.jitter + 1)));
    if (lines[i / static_cast<std::size_t>(per_line)] != flipped) p.spike_at[i] = offset;
  }
  return p;
}

int decide(std::span<const std::uint64_t> output_spikes, int per_class, Random& rng) {
  std::array<std::uint64_t, kClasses> counts{};
  for (std::size_t i = 0; i < output_spikes.size() && i < static_cast<std::size_t>(kClasses * per_class); ++i)
    counts[i / static_cast<std::size_t>(per_class)] += output_spikes[i];
  const std::uint64_t best = *std::max_element(counts.begin(), counts.end());
  std::vector<int> tied;
  for (int c = 0; c < kClasses; ++c)
    if (counts[static_cast<std::size_t>(c)] == best) tied.push_back(c);
  return tied.size() == 1 ? tied[0] : tied[rng.below(static_cast<std::uint32_t>(tied.size()))];
}

double RewardBaseline::dopamine(int pattern, double reward) {
  double& mean = mean_[static_cast<std::size_t>(pattern)];
  const double d = reward - mean;
  mean += rate_ * d;
  return d;
}

double exploration(double amplitude, int epoch, int epochs) {
  return amplitude * std::max(0.25, 1.0 - static_cast<double>(epoch) / static_cast<double>(epochs));
}

std::array<double, kClasses> class_bias(double amplitude, Random& rng) {
  std::array<double, kClasses> b{};
  for (double& x : b) x = rng.uniform(-amplitude, amplitude);
  return b;
}

std::vector<int> epoch_order(int reps, Random& rng) {
  std::vector<int> order;
  for (int r = 0; r < reps; ++r)
    for (int p = 0; p < kClasses; ++p) order.push_back(p);
  for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng.below(static_cast<std::uint32_t>(i))]);
  return order;
}

void Confusion::add(int truth, int predicted) {
  ++counts_[static_cast<std::size_t>(truth)][static_cast<std::size_t>(predicted)];
}

std::uint64_t Confusion::trials() const {
  std::uint64_t n = 0;
  for (const auto& row : counts_)
    for (const std::uint64_t c : row) n += c;
  return n;
}

double Confusion::accuracy() const {
  const std::uint64_t n = trials();
  std::uint64_t right = 0;
  for (std::size_t c = 0; c < counts_.size(); ++c) right += counts_[c][c];
  return n == 0 ? 0.0 : static_cast<double>(right) / static_cast<double>(n);
}

nlohmann::json Confusion::to_json() const {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& row : counts_) rows.push_back(row);
  return rows;
}

}  // namespace p3p::experiments::pattern
