#include "experiments/seizure_signal.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <numbers>

namespace p3p::experiments::seizure {
namespace {

constexpr int kPinkRows = 8;          // octaves of the 1/f noise below the Nyquist rate
constexpr double kPinkShare = 0.8;    // of the background's variance before scaling: the rest is alpha
constexpr double kRamp = 0.25;        // seconds of fade-in and fade-out of an episode

// Voss-McCartney: one row is redrawn per sample, row k (the number of trailing zeros of the sample count)
// every 2^(k+1) samples, so the sum has (about) equal power per octave and no sample jumps by every row.
class Pink {
 public:
  double next(pattern::Random& rng) {
    ++count_;
    const int k = std::min(kPinkRows - 1, std::countr_zero(static_cast<std::uint64_t>(count_)));
    sum_ -= rows_[static_cast<std::size_t>(k)];
    rows_[static_cast<std::size_t>(k)] = normal(rng);
    sum_ += rows_[static_cast<std::size_t>(k)];
    return (sum_ + normal(rng)) / std::sqrt(static_cast<double>(kPinkRows + 1));
  }
 private:
  std::int64_t count_ = 0;
  double sum_ = 0.0;
  std::array<double, kPinkRows> rows_{};
};

// One background channel, scaled to standard deviation 1.
std::vector<double> background(std::int64_t n, double rate, pattern::Random& rng) {
  Pink pink;
  const double alpha_hz = rng.uniform(8.5, 11.5);
  const double phase = rng.uniform(0.0, 2.0 * std::numbers::pi);
  const double wax_hz = rng.uniform(0.07, 0.13);
  const double wax_phase = rng.uniform(0.0, 2.0 * std::numbers::pi);
  std::vector<double> x(static_cast<std::size_t>(n));
  double sum = 0.0, sum2 = 0.0;
  for (std::int64_t i = 0; i < n; ++i) {
    const double t = static_cast<double>(i) / rate;
    const double envelope = 0.5 + 0.5 * std::sin(2.0 * std::numbers::pi * wax_hz * t + wax_phase);
    const double alpha = std::sqrt(2.0 * (1.0 - kPinkShare)) * 1.2 * envelope * std::sin(2.0 * std::numbers::pi * alpha_hz * t + phase);
    const double v = std::sqrt(kPinkShare) * pink.next(rng) + alpha;
    x[static_cast<std::size_t>(i)] = v;
    sum += v;
    sum2 += v * v;
  }
  const double mean = sum / static_cast<double>(n);
  const double sd = std::sqrt(std::max(1e-12, sum2 / static_cast<double>(n) - mean * mean));
  for (double& v : x) v = (v - mean) / sd;
  return x;
}

// One cycle of spike-and-wave at phase time t (seconds into the cycle).
double spike_and_wave(double t) {
  const auto bump = [](double x, double centre, double sigma) { return std::exp(-0.5 * std::pow((x - centre) / sigma, 2)); };
  return -bump(t, 0.05, 0.015) + 0.6 * bump(t, 0.17, 0.06);
}

// The RMS of spike_and_wave over one cycle of `period` seconds sampled at `rate`.
double cycle_rms(double period, double rate) {
  const auto n = static_cast<int>(std::max(1.0, std::round(period * rate)));
  double s = 0.0;
  for (int i = 0; i < n; ++i) s += std::pow(spike_and_wave(static_cast<double>(i) / rate), 2);
  return std::sqrt(s / n);
}

std::vector<Episode> place_episodes(const SignalSpec& spec, std::int64_t n, double rate, pattern::Random& rng) {
  std::vector<Episode> out;
  double t = rng.uniform(spec.gap_min / 3.0, spec.gap_max / 3.0);
  while (true) {
    const double duration = rng.uniform(spec.duration_min, spec.duration_max);
    const double amplitude = rng.uniform(spec.amplitude_min, spec.amplitude_max);
    const auto onset = static_cast<std::int64_t>(t * rate);
    const auto end = static_cast<std::int64_t>((t + duration) * rate);
    if (end + static_cast<std::int64_t>(2.0 * rate) > n) break;
    out.push_back({onset, end, amplitude});
    t += duration + rng.uniform(spec.gap_min, spec.gap_max);
  }
  return out;
}

void add_episode(Recording& r, const Episode& e, std::span<const double> gains, pattern::Random& rng) {
  const double period = 1.0 / rng.uniform(2.5, 3.5);
  const double scale = e.amplitude / cycle_rms(period, r.rate);
  const double length = static_cast<double>(e.end - e.onset) / r.rate;
  for (std::int64_t i = e.onset; i < e.end; ++i) {
    const double t = static_cast<double>(i - e.onset) / r.rate;
    const double ramp = std::min({1.0, t / kRamp, (length - t) / kRamp});
    const double v = scale * ramp * spike_and_wave(std::fmod(t, period));
    for (int c = 0; c < r.channels; ++c)
      r.samples[static_cast<std::size_t>(i * r.channels + c)] += static_cast<float>(gains[static_cast<std::size_t>(c)] * v);
  }
}

}  // namespace

double normal(pattern::Random& rng) {
  const double u = 1.0 - rng.uniform();  // (0, 1]: log(0) never happens
  return std::sqrt(-2.0 * std::log(u)) * std::cos(2.0 * std::numbers::pi * rng.uniform());
}

Recording generate(const SignalSpec& spec, std::uint64_t seed) {
  pattern::Random rng(seed);
  Recording r;
  r.channels = spec.channels;
  const auto n = static_cast<std::int64_t>(spec.seconds * r.rate);
  r.samples.assign(static_cast<std::size_t>(n * r.channels), 0.0f);
  for (int c = 0; c < r.channels; ++c) {
    const std::vector<double> x = background(n, r.rate, rng);
    for (std::int64_t i = 0; i < n; ++i) r.samples[static_cast<std::size_t>(i * r.channels + c)] = static_cast<float>(x[static_cast<std::size_t>(i)]);
  }
  r.episodes = place_episodes(spec, n, r.rate, rng);
  for (const Episode& e : r.episodes) {
    std::vector<double> gains(static_cast<std::size_t>(r.channels));
    for (double& g : gains) g = rng.uniform(0.7, 1.0);
    add_episode(r, e, gains, rng);
  }
  return r;
}

bool in_episode(const std::vector<Episode>& episodes, std::int64_t n) {
  return std::any_of(episodes.begin(), episodes.end(), [n](const Episode& e) { return n >= e.onset && n < e.end; });
}

}  // namespace p3p::experiments::seizure
