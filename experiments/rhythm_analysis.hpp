#pragma once
// The measures of a rhythm in a population's spike count per tick (rhythm_gen): when its volleys start,
// their mean period and its coefficient of variation, the frequency of the strongest autocorrelation peak,
// and how long activity lasted. Pure functions on counts, tested alone.
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace p3p::experiments::rhythm {

// Ticks (indices into `counts`) where a volley starts: the count reaches `threshold` after a tick below it.
// The first tick counts as an onset when it is at or above the threshold.
std::vector<std::size_t> volley_onsets(std::span<const std::uint64_t> counts, double threshold);

struct Period {
  double mean = 0.0;  // ticks between successive onsets
  double cv = 0.0;    // their standard deviation / mean
  std::size_t intervals = 0;
};
// Of the intervals between onsets; none with fewer than `min_intervals` intervals.
std::optional<Period> period_of(std::span<const std::size_t> onsets, std::size_t min_intervals = 4);

// The lag in [min_lag, counts.size() / 2] where the autocorrelation of the mean-removed counts is largest,
// as cycles per tick (1 / lag); none for a flat signal.
std::optional<double> autocorrelation_frequency(std::span<const std::uint64_t> counts, std::size_t min_lag = 2);

// Windows of activity in a row from the first: how many ticks from the start the activity lasted, counting
// whole windows whose spikes reach `min_spikes` (each window given as its spikes and its length in ticks).
struct Window {
  std::uint64_t spikes = 0;
  std::int64_t ticks = 0;
};
std::int64_t sustained_ticks(std::span<const Window> windows, std::uint64_t min_spikes);

}  // namespace p3p::experiments::rhythm
