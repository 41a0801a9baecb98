#pragma once
// seizure_detect's world, apart from any cluster: a seeded, synthetic but EEG-like multichannel recording.
//
// Background, per channel: 1/f ("pink") noise over the octaves 0.5-64 Hz (Voss-McCartney) plus an alpha
// rhythm (8.5-11.5 Hz, its amplitude waxing and waning over ~10 s), scaled to standard deviation 1: the
// "background amplitude" every other figure is relative to.
// Episodes: 3 Hz spike-and-wave (2.5-3.5 Hz per episode; each cycle a sharp spike, sigma 15 ms, then a slow
// wave of the opposite sign, sigma 60 ms), on every channel with a channel gain in [0.7, 1], 0.25 s ramps at
// both ends, added to the background with an RMS of `amplitude` x the background's; durations and the gaps
// between episodes drawn uniformly, so onsets are random.
#include <cstdint>
#include <span>
#include <vector>

#include "experiments/pattern_env.hpp"

namespace p3p::experiments::seizure {

inline constexpr double kSampleRate = 128.0;  // Hz; one sample per tick

struct Episode {
  std::int64_t onset = 0;  // first sample
  std::int64_t end = 0;    // one past the last
  double amplitude = 0.0;  // RMS relative to the background's
};

struct SignalSpec {
  int channels = 4;
  double seconds = 600.0;
  double amplitude_min = 3.0, amplitude_max = 5.0;  // each episode's amplitude, uniform in [min, max]
  double duration_min = 2.0, duration_max = 20.0;    // seconds
  double gap_min = 30.0, gap_max = 90.0;             // seconds of background before each episode
};

struct Recording {
  int channels = 0;
  double rate = kSampleRate;
  std::vector<float> samples;  // sample-major: samples[n * channels + c]
  std::vector<Episode> episodes;
  std::int64_t length() const { return channels == 0 ? 0 : static_cast<std::int64_t>(samples.size()) / channels; }
  std::span<const float> sample(std::int64_t n) const {
    return {samples.data() + n * channels, static_cast<std::size_t>(channels)};
  }
  double seconds() const { return static_cast<double>(length()) / rate; }
};

// A standard normal draw (Box-Muller on the experiments' own uniform generator: the same on every library).
double normal(pattern::Random& rng);

// The recording `spec` asks for, the same for the same seed.
Recording generate(const SignalSpec& spec, std::uint64_t seed);

// Whether sample n lies inside an episode.
bool in_episode(const std::vector<Episode>& episodes, std::int64_t n);

}  // namespace p3p::experiments::seizure
