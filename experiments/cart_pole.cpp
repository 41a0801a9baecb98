#include "experiments/cart_pole.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace p3p::experiments::cart {
namespace {

constexpr double kGravity = 9.8, kCartMass = 1.0, kPoleMass = 0.1, kHalfLength = 0.5, kForce = 10.0, kDt = 0.02;
constexpr double kTotalMass = kCartMass + kPoleMass, kPoleMoment = kPoleMass * kHalfLength;
constexpr double kThetaLimit = 12.0 * 2.0 * std::numbers::pi / 360.0, kXLimit = 2.4;

// Index of the bin of `v` among ascending `edges` (numpy's digitize: v == edge goes right).
int bin(double v, std::span<const double> edges) {
  return static_cast<int>(std::upper_bound(edges.begin(), edges.end(), v) - edges.begin());
}

}  // namespace

State initial_state(Random& rng) {
  State s;
  s.x = rng.uniform(-0.05, 0.05);
  s.x_dot = rng.uniform(-0.05, 0.05);
  s.theta = rng.uniform(-0.05, 0.05);
  s.theta_dot = rng.uniform(-0.05, 0.05);
  return s;
}

State step(const State& s, bool push_right) {
  const double force = push_right ? kForce : -kForce;
  const double c = std::cos(s.theta), sn = std::sin(s.theta);
  const double temp = (force + kPoleMoment * s.theta_dot * s.theta_dot * sn) / kTotalMass;
  const double theta_acc =
      (kGravity * sn - c * temp) / (kHalfLength * (4.0 / 3.0 - kPoleMass * c * c / kTotalMass));
  const double x_acc = temp - kPoleMoment * theta_acc * c / kTotalMass;
  return {s.x + kDt * s.x_dot, s.x_dot + kDt * x_acc, s.theta + kDt * s.theta_dot, s.theta_dot + kDt * theta_acc};
}

bool failed(const State& s) { return std::abs(s.x) > kXLimit || std::abs(s.theta) > kThetaLimit; }

int box(const State& s) {
  static constexpr double x_edges[] = {-0.8, 0.8}, v_edges[] = {-0.5, 0.5};
  static constexpr double th_edges[] = {-6.0, -1.0, 0.0, 1.0, 6.0}, om_edges[] = {-50.0, 50.0};
  const double deg = 180.0 / std::numbers::pi;
  return bin(s.x, x_edges) + 3 * bin(s.x_dot, v_edges) + 9 * bin(s.theta * deg, th_edges) +
         54 * bin(s.theta_dot * deg, om_edges);
}

double normal(Random& rng, double sd) {
  const double u1 = 1.0 - rng.uniform();  // (0, 1]: log stays finite
  const double u2 = rng.uniform();
  return sd * std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

EpisodeScores score_episodes(std::span<const int> lengths, int window, double goal) {
  EpisodeScores r;
  if (lengths.empty() || window < 1) return r;
  const std::size_t n = lengths.size(), w = std::min<std::size_t>(static_cast<std::size_t>(window), n);
  std::vector<double> means;  // mean of lengths[i, i + w) for each i
  double sum = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    sum += lengths[i];
    if (i + 1 >= w) {
      means.push_back(sum / static_cast<double>(w));
      sum -= lengths[i + 1 - w];
    }
  }
  r.last_window_mean = means.back();
  r.best_window_mean = *std::max_element(means.begin(), means.end());
  const auto first = std::find_if(means.begin(), means.end(), [&](double m) { return m >= goal; });
  if (first != means.end()) {
    r.first_reaching = static_cast<int>(first - means.begin() + static_cast<std::ptrdiff_t>(w));
    const auto held = std::count_if(first, means.end(), [&](double m) { return m >= goal; });
    r.share_after_first = static_cast<double>(held) / static_cast<double>(means.end() - first);
  }
  for (std::size_t b = 0; b < n; b += static_cast<std::size_t>(window)) {
    const std::size_t e = std::min(n, b + static_cast<std::size_t>(window));
    double s = 0.0;
    for (std::size_t i = b; i < e; ++i) s += lengths[i];
    r.block_means.push_back(s / static_cast<double>(e - b));
  }
  return r;
}

}  // namespace p3p::experiments::cart
