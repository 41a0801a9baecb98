#include "experiments/seizure_encoder.hpp"

#include <cmath>

namespace p3p::experiments::seizure {

std::vector<double> slope_scale(const Recording& r) {
  std::vector<double> sum(static_cast<std::size_t>(r.channels), 0.0);
  std::int64_t n = 0;
  for (std::int64_t i = 1; i < r.length(); ++i) {
    if (in_episode(r.episodes, i) || in_episode(r.episodes, i - 1)) continue;
    const auto a = r.sample(i - 1), b = r.sample(i);
    for (std::size_t c = 0; c < sum.size(); ++c) sum[c] += std::pow(static_cast<double>(b[c]) - a[c], 2);
    ++n;
  }
  for (double& s : sum) s = n == 0 || s <= 0.0 ? 1.0 : std::sqrt(s / static_cast<double>(n));
  return sum;
}

void SlopeEncoder::encode(std::span<const float> block, std::vector<InputSpike>& out) {
  const std::size_t c_n = scale_.size();
  for (std::size_t at = 0; at + c_n <= block.size(); at += c_n) {
    if (last_.size() == c_n)
      for (std::size_t c = 0; c < c_n; ++c) {
        const double slope = std::abs(static_cast<double>(block[at + c]) - last_[c]) / scale_[c];
        for (int k = 0; k < kLevelCount && slope >= kLevels[static_cast<std::size_t>(k)]; ++k)
          out.push_back({static_cast<std::uint32_t>(c * kLevelCount + static_cast<std::size_t>(k)), static_cast<int>(at / c_n)});
      }
    last_.assign(block.begin() + static_cast<std::ptrdiff_t>(at), block.begin() + static_cast<std::ptrdiff_t>(at + c_n));
  }
}

double LineLength::block(std::span<const float> block) {
  const std::size_t c_n = scale_.size();
  double sum = 0.0;
  for (std::size_t at = 0; at + c_n <= block.size(); at += c_n) {
    if (last_.size() == c_n)
      for (std::size_t c = 0; c < c_n; ++c) sum += std::abs(static_cast<double>(block[at + c]) - last_[c]) / scale_[c];
    last_.assign(block.begin() + static_cast<std::ptrdiff_t>(at), block.begin() + static_cast<std::ptrdiff_t>(at + c_n));
  }
  return c_n == 0 ? 0.0 : sum / static_cast<double>(c_n);
}

std::vector<double> trailing_sum(std::span<const double> values, int window) {
  std::vector<double> out(values.size(), 0.0);
  double sum = 0.0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    sum += values[i];
    if (i >= static_cast<std::size_t>(window)) sum -= values[i - static_cast<std::size_t>(window)];
    out[i] = sum;
  }
  return out;
}

}  // namespace p3p::experiments::seizure
