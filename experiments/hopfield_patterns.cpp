#include "experiments/hopfield_patterns.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace p3p::experiments::hopfield {
namespace {

// k distinct indices of `from`, uniformly (a partial Fisher-Yates shuffle with our own index draw, so the
// choice does not depend on the standard library's distributions).
std::vector<std::size_t> choose(std::vector<std::size_t> from, std::size_t k, std::mt19937_64& rng) {
  for (std::size_t i = 0; i < k && i < from.size(); ++i) std::swap(from[i], from[i + rng() % (from.size() - i)]);
  from.resize(std::min(k, from.size()));
  return from;
}

std::vector<std::size_t> where(const Pattern& p, bool value) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < p.size(); ++i)
    if (p[i] == value) out.push_back(i);
  return out;
}

}  // namespace

std::vector<Pattern> make_patterns(std::size_t count, std::size_t neurons, std::size_t active, std::mt19937_64& rng) {
  std::vector<std::size_t> all(neurons);
  std::iota(all.begin(), all.end(), std::size_t{0});
  std::vector<Pattern> out;
  for (std::size_t k = 0; k < count; ++k) {
    Pattern p(neurons, false);
    for (std::size_t i : choose(all, active, rng)) p[i] = true;
    out.push_back(std::move(p));
  }
  return out;
}

Pattern noisy_cue(const Pattern& p, double noise, std::mt19937_64& rng) {
  const auto on = where(p, true), off = where(p, false);
  const auto moved = static_cast<std::size_t>(std::lround(noise * static_cast<double>(on.size())));
  Pattern cue = p;
  for (std::size_t i : choose(on, moved, rng)) cue[i] = false;
  for (std::size_t i : choose(off, moved, rng)) cue[i] = true;
  return cue;
}

double overlap(const Pattern& a, const Pattern& b) {
  const auto n = static_cast<double>(a.size());
  double sa = 0, sb = 0, sab = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    sa += a[i], sb += b[i], sab += a[i] && b[i];
  }
  const double va = sa / n * (1 - sa / n), vb = sb / n * (1 - sb / n);
  if (va <= 0 || vb <= 0) return 0.0;
  return (sab / n - sa / n * sb / n) / std::sqrt(va * vb);
}

std::vector<driver::Synapse> recall_weights(const std::vector<driver::Synapse>& learned, std::uint32_t neurons,
                                            const RecallScaling& s) {
  std::vector<double> w(static_cast<std::size_t>(neurons) * neurons, 0.0);
  double sum = 0;
  std::size_t positive = 0;
  for (const driver::Synapse& l : learned) {
    if (l.source >= neurons || l.target >= neurons || l.source == l.target) continue;
    w[l.source * neurons + l.target] = l.weight;
    if (l.weight > 0) sum += l.weight, ++positive;
  }
  const double scale = positive ? s.mean_weight * static_cast<double>(positive) / sum : 0.0;
  std::vector<driver::Synapse> out;
  for (std::uint32_t i = 0; i < neurons; ++i)
    for (std::uint32_t j = 0; j < neurons; ++j)
      if (i != j) out.push_back({i, j, std::clamp(scale * w[i * neurons + j] - s.inhibition, s.w_min, s.w_max)});
  return out;
}

}  // namespace p3p::experiments::hopfield
