// hopfield_assoc's environment: patterns, noisy cues, overlap and the recall weights, on data made here.
#include "experiments/hopfield_patterns.hpp"

#include <algorithm>
#include <catch2/catch.hpp>

namespace p3p::experiments::hopfield {
namespace {

std::size_t active(const Pattern& p) { return static_cast<std::size_t>(std::count(p.begin(), p.end(), true)); }

}  // namespace

TEST_CASE("patterns have exactly their active neurons, and a seed gives the same ones") {
  std::mt19937_64 a(5), b(5), c(6);
  const auto p = make_patterns(3, 64, 16, a);
  REQUIRE(p.size() == 3);
  for (const Pattern& x : p) {
    CHECK(x.size() == 64);
    CHECK(active(x) == 16);
  }
  CHECK(make_patterns(3, 64, 16, b) == p);
  CHECK(make_patterns(3, 64, 16, c) != p);
}

TEST_CASE("a noisy cue moves round(noise x active) active neurons to silent ones") {
  std::mt19937_64 rng(1);
  const Pattern p = make_patterns(1, 64, 16, rng)[0];
  for (auto [noise, moved] : {std::pair{0.1, 2}, {0.2, 3}, {0.3, 5}, {0.0, 0}}) {
    const Pattern cue = noisy_cue(p, noise, rng);
    CHECK(active(cue) == 16);
    int lost = 0;
    for (std::size_t i = 0; i < p.size(); ++i) lost += p[i] && !cue[i];
    CHECK(lost == moved);
  }
}

TEST_CASE("overlap is 1 for the same state, -1 for the complement, 0 for a constant one") {
  Pattern a(8, false), b(8, false);
  a[0] = a[1] = true;
  CHECK(overlap(a, a) == Approx(1.0));
  Pattern inverse = a;
  inverse.flip();
  CHECK(overlap(a, inverse) == Approx(-1.0));
  CHECK(overlap(a, b) == 0.0);
  b[0] = b[2] = true;  // one of two in common: (1/8 - 1/16) / (2/8 x 6/8)
  CHECK(overlap(a, b) == Approx((1.0 / 8 - 1.0 / 16) / (0.25 * 0.75)));
}

TEST_CASE("recall weights: learned ones scaled to mean W0, every pair less G, no self-synapse, clipped") {
  const std::vector<driver::Synapse> learned{{0, 1, 0.02}, {1, 0, 0.06}, {2, 2, 5.0}, {0, 2, 0.0}};
  const auto w = recall_weights(learned, 3, {0.4, 0.36, -2.0, 0.1});
  REQUIRE(w.size() == 6);
  auto at = [&](std::uint32_t s, std::uint32_t t) {
    for (const auto& x : w)
      if (x.source == s && x.target == t) return x.weight;
    FAIL("no pair");
    return 0.0;
  };
  CHECK(at(0, 1) == Approx(0.2 - 0.36));  // mean of the positive ones 0.04: 0.02 -> 0.2
  CHECK(at(1, 0) == Approx(0.1));         // 0.6 - 0.36 = 0.24, clipped to w_max 0.1
  CHECK(at(0, 2) == Approx(-0.36));
  CHECK(at(2, 1) == Approx(-0.36));
  const auto none = recall_weights({}, 2, {});
  CHECK(none == std::vector<driver::Synapse>{{0, 1, -0.36}, {1, 0, -0.36}});
}

}  // namespace p3p::experiments::hopfield
