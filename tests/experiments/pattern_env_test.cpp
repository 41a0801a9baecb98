// pattern_classify's environment alone: the patterns' lines, the noise of a presentation, the decision
// and its tie-break, the reward baseline, the annealed exploration, the epoch order and the confusion matrix.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "experiments/pattern_env.hpp"

namespace p3p::experiments::pattern {

TEST_CASE("each pattern turns on one line of each bit, and the four patterns differ") {
  std::set<std::array<bool, kLines>> seen;
  for (int p = 0; p < kClasses; ++p) {
    const auto lines = active_lines(p);
    CHECK(lines[0] != lines[1]);
    CHECK(lines[2] != lines[3]);
    seen.insert(lines);
  }
  CHECK(seen.size() == 4);
  CHECK(active_lines(2) == std::array<bool, kLines>{true, false, false, true});
}

TEST_CASE("a noise-free presentation fires exactly the active lines, each neuron once at offset 0") {
  Random rng(1);
  const Presentation p = present(1, 8, Noise{0.0, 0}, rng);
  REQUIRE(p.spike_at.size() == 32);
  for (std::size_t i = 0; i < 32; ++i) CHECK((p.spike_at[i] == 0) == active_lines(1)[i / 8]);
}

TEST_CASE("a noisy presentation flips about the asked fraction and jitters within 0..jitter") {
  Random rng(7);
  std::uint64_t flipped = 0, total = 0;
  std::set<int> offsets;
  for (int trial = 0; trial < 500; ++trial) {
    const Presentation p = present(trial % 4, 8, Noise{0.10, 3}, rng);
    const auto lines = active_lines(trial % 4);
    for (std::size_t i = 0; i < p.spike_at.size(); ++i, ++total) {
      flipped += (p.spike_at[i] >= 0) != lines[i / 8] ? 1U : 0U;
      if (p.spike_at[i] >= 0) offsets.insert(p.spike_at[i]);
    }
  }
  CHECK(static_cast<double>(flipped) / static_cast<double>(total) == Approx(0.10).margin(0.015));
  CHECK(offsets == std::set<int>{0, 1, 2, 3});
}

TEST_CASE("the same seed gives the same presentations, another seed others") {
  Random a(3), b(3), c(4);
  const auto pa = present(0, 8, Noise{}, a).spike_at;
  CHECK(pa == present(0, 8, Noise{}, b).spike_at);
  CHECK(pa != present(0, 8, Noise{}, c).spike_at);
}

TEST_CASE("the decision is the class with most spikes, ties (silence included) broken at random") {
  Random rng(5);
  const std::vector<std::uint64_t> clear{0, 0, 0, 0, 1, 0, 0, 0, 3, 2, 0, 1, 0, 0, 0, 0};
  CHECK(decide(clear, 4, rng) == 2);
  const std::vector<std::uint64_t> silent(16, 0);
  std::array<int, kClasses> picks{};
  for (int i = 0; i < 400; ++i) ++picks[static_cast<std::size_t>(decide(silent, 4, rng))];
  for (const int n : picks) CHECK(n > 60);
  const std::vector<std::uint64_t> two{1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  for (int i = 0; i < 50; ++i) {
    const int d = decide(two, 4, rng);
    CHECK((d == 0 || d == 3));
  }
}

TEST_CASE("dopamine is the reward minus the pattern's running mean, kept per pattern") {
  RewardBaseline b(0.2);
  CHECK(b.dopamine(0, 1.0) == Approx(1.0));
  CHECK(b.dopamine(0, 1.0) == Approx(0.8));
  CHECK(b.dopamine(1, -1.0) == Approx(-1.0));
  double last = 1.0;
  for (int i = 0; i < 50; ++i) last = b.dopamine(0, 1.0);
  CHECK(last == Approx(0.0).margin(1e-4));
}

TEST_CASE("exploration is annealed from the full amplitude to a quarter, and the biases stay within it") {
  CHECK(exploration(0.004, 0, 20) == Approx(0.004));
  CHECK(exploration(0.004, 10, 20) == Approx(0.002));
  CHECK(exploration(0.004, 19, 20) == Approx(0.001));
  Random rng(2);
  for (int i = 0; i < 100; ++i)
    for (const double x : class_bias(0.004, rng)) CHECK(std::abs(x) <= 0.004);
}

TEST_CASE("an epoch presents every pattern reps times in a shuffled order") {
  Random rng(9);
  const std::vector<int> order = epoch_order(5, rng);
  REQUIRE(order.size() == 20);
  for (int p = 0; p < kClasses; ++p) CHECK(std::count(order.begin(), order.end(), p) == 5);
  CHECK_FALSE(std::is_sorted(order.begin(), order.end()));
}

TEST_CASE("the confusion matrix counts presented x decided and gives the accuracy") {
  Confusion c;
  CHECK(c.accuracy() == 0.0);
  c.add(0, 0);
  c.add(1, 1);
  c.add(2, 3);
  c.add(3, 3);
  CHECK(c.trials() == 4);
  CHECK(c.accuracy() == Approx(0.75));
  CHECK(c.to_json() == nlohmann::json::parse("[[1,0,0,0],[0,1,0,0],[0,0,0,1],[0,0,0,1]]"));
}

}  // namespace p3p::experiments::pattern
