// rhythm_gen's measures on spike counts made up here: onsets, period and CV, autocorrelation frequency,
// sustained ticks.
#include "experiments/rhythm_analysis.hpp"

#include <catch2/catch.hpp>

namespace p3p::experiments::rhythm {
namespace {

// A volley of `size` spikes every `period` ticks from tick `first`, for `ticks` ticks.
std::vector<std::uint64_t> train(std::size_t ticks, std::size_t period, std::size_t first = 0, std::uint64_t size = 30) {
  std::vector<std::uint64_t> c(ticks, 0);
  for (std::size_t t = first; t < ticks; t += period) c[t] = size;
  return c;
}

}  // namespace

TEST_CASE("volley onsets are the ticks a count reaches the threshold from below") {
  const std::vector<std::uint64_t> c{12, 12, 0, 3, 11, 0, 0, 9, 10};
  CHECK(volley_onsets(c, 10) == std::vector<std::size_t>{0, 4, 8});
  CHECK(volley_onsets(std::vector<std::uint64_t>(5, 0), 10).empty());
}

TEST_CASE("a regular train has its period and CV 0, an irregular one a CV above 0") {
  for (std::size_t p : {2u, 4u, 8u}) {
    const auto onsets = volley_onsets(train(400, p, 3), 10);
    const auto period = period_of(onsets);
    REQUIRE(period);
    CHECK(period->mean == Approx(static_cast<double>(p)));
    CHECK(period->cv == Approx(0.0).margin(1e-12));
    CHECK(autocorrelation_frequency(train(400, p, 3)) == Approx(1.0 / static_cast<double>(p)));
  }
  // Intervals 2, 6, 2, 6: mean 4, sd 2.
  const std::vector<std::size_t> onsets{0, 2, 8, 10, 16};
  const auto period = period_of(onsets);
  REQUIRE(period);
  CHECK(period->mean == Approx(4.0));
  CHECK(period->cv == Approx(0.5));
}

TEST_CASE("too few volleys or a flat signal give no period or frequency") {
  CHECK_FALSE(period_of(volley_onsets(train(10, 4), 10)));  // 3 onsets, 2 intervals
  CHECK_FALSE(autocorrelation_frequency(std::vector<std::uint64_t>(100, 5)));
  CHECK_FALSE(autocorrelation_frequency(std::vector<std::uint64_t>{1, 0, 1}));
}

TEST_CASE("sustained ticks count whole active windows from the first until one falls short") {
  const std::vector<Window> w{{100, 50}, {90, 50}, {5, 50}, {100, 50}};
  CHECK(sustained_ticks(w, 50) == 100);
  CHECK(sustained_ticks(w, 1) == 200);
  CHECK(sustained_ticks(w, 200) == 0);
  CHECK(sustained_ticks({}, 1) == 0);
}

}  // namespace p3p::experiments::rhythm
