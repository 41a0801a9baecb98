#include "experiments/rhythm_analysis.hpp"

#include <cmath>

namespace p3p::experiments::rhythm {

std::vector<std::size_t> volley_onsets(std::span<const std::uint64_t> counts, double threshold) {
  std::vector<std::size_t> out;
  for (std::size_t t = 0; t < counts.size(); ++t) {
    const bool above = static_cast<double>(counts[t]) >= threshold;
    const bool before = t > 0 && static_cast<double>(counts[t - 1]) >= threshold;
    if (above && !before) out.push_back(t);
  }
  return out;
}

std::optional<Period> period_of(std::span<const std::size_t> onsets, std::size_t min_intervals) {
  if (onsets.size() < 2 || onsets.size() - 1 < min_intervals) return std::nullopt;
  const std::size_t n = onsets.size() - 1;
  double sum = 0.0;
  for (std::size_t i = 0; i < n; ++i) sum += static_cast<double>(onsets[i + 1] - onsets[i]);
  const double mean = sum / static_cast<double>(n);
  double var = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double d = static_cast<double>(onsets[i + 1] - onsets[i]) - mean;
    var += d * d;
  }
  return Period{mean, std::sqrt(var / static_cast<double>(n)) / mean, n};
}

std::optional<double> autocorrelation_frequency(std::span<const std::uint64_t> counts, std::size_t min_lag) {
  const std::size_t n = counts.size();
  if (n < 2 * min_lag || min_lag == 0) return std::nullopt;
  double mean = 0.0;
  for (std::uint64_t c : counts) mean += static_cast<double>(c);
  mean /= static_cast<double>(n);
  std::vector<double> x(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = static_cast<double>(counts[i]) - mean;
  double best = 0.0;
  std::size_t best_lag = 0;
  // The biased estimate (sum over the overlap / n): a multiple of the period overlaps less than the period
  // itself, so the fundamental wins over its multiples.
  for (std::size_t lag = min_lag; lag <= n / 2; ++lag) {
    double r = 0.0;
    for (std::size_t i = 0; i + lag < n; ++i) r += x[i] * x[i + lag];
    if (r > best * (1.0 + 1e-9)) best = r, best_lag = lag;
  }
  if (best_lag == 0) return std::nullopt;
  return 1.0 / static_cast<double>(best_lag);
}

std::int64_t sustained_ticks(std::span<const Window> windows, std::uint64_t min_spikes) {
  std::int64_t ticks = 0;
  for (const Window& w : windows) {
    if (w.spikes < min_spikes) break;
    ticks += w.ticks;
  }
  return ticks;
}

}  // namespace p3p::experiments::rhythm
