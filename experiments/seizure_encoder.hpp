#pragma once
// From samples to the detector's input, and the classical detector's feature, both per block of samples
// (one block per environment step) and both normalised per channel by the same calibration: the RMS of the
// sample-to-sample difference over background (seizure-free) samples.
//
// Encoder: per channel kLevels neurons, a thermometer code of the slope: neuron (c, k) fires on every sample
// whose |x[n] - x[n-1]| / scale[c] reaches kLevels[k] (a kick that fires it that very tick). So a sharp
// spike fires the high levels of every channel it reaches, the alpha rhythm and the 1/f background mostly
// the low ones, and the detector learns which of them mean a seizure.
// Line length (Esteller et al. 2001): sum over the block of |x[n] - x[n-1]| / scale[c], mean over channels.
#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "experiments/seizure_signal.hpp"

namespace p3p::experiments::seizure {

inline constexpr std::array<double, 6> kLevels = {1.5, 2.0, 2.5, 3.0, 4.0, 5.0};
inline constexpr int kLevelCount = static_cast<int>(kLevels.size());

// Per channel, the RMS of the sample-to-sample difference over the samples outside every episode (1 for
// a channel that never moves, so nothing divides by 0).
std::vector<double> slope_scale(const Recording& r);

struct InputSpike {
  std::uint32_t neuron = 0;  // channel * kLevelCount + level
  int sample = 0;            // index in the block
};

// Both keep the block's last sample to take the first difference of the next block.
class SlopeEncoder {
 public:
  explicit SlopeEncoder(std::vector<double> scale) : scale_(std::move(scale)) {}
  int channels() const { return static_cast<int>(scale_.size()); }
  int neurons() const { return channels() * kLevelCount; }
  // `block`: whole samples, sample-major. Appends its spikes to `out`.
  void encode(std::span<const float> block, std::vector<InputSpike>& out);
 private:
  std::vector<double> scale_;
  std::vector<float> last_;
};

class LineLength {
 public:
  explicit LineLength(std::vector<double> scale) : scale_(std::move(scale)) {}
  double block(std::span<const float> block);
 private:
  std::vector<double> scale_;
  std::vector<float> last_;
};

// The sum of the last `window` values (fewer at the start) at every index.
std::vector<double> trailing_sum(std::span<const double> values, int window);

}  // namespace p3p::experiments::seizure
