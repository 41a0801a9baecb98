// pattern_classify learns to its criterion in-process over the default topology (EngineDriver), prepared as
// the runner prepares it, for two seeds (the benchmark runs five), while the same network before learning
// stays near chance on the same held-out trials.
#include <catch2/catch.hpp>

#include <chrono>
#include <iostream>

#include "pattern_support.hpp"

namespace p3p::experiments {

TEST_CASE("pattern_classify learns the four noisy patterns, held out, and without learning stays near chance") {
  const topology::Topology t = test::default_topology();
  for (const std::uint64_t seed : {1U, 2U}) {
    const auto begin = std::chrono::steady_clock::now();
    const auto r = test::run_pattern(t, test::pattern_args(seed));
    REQUIRE(r.outcome.has_value());
    const Outcome& o = *r.outcome;
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    std::cout << "pattern_classify seed " << seed << ": held-out accuracy " << o.score << " (" << seconds
              << " s), baselines " << o.baselines.dump() << ", confusion " << o.parts["confusion"].dump() << "\n";
    INFO("seed " << seed << ": " << o.parts.dump());
    CHECK(o.score >= 0.93);
    CHECK(o.passed);
    CHECK(o.baselines["chance"] == 0.25);
    CHECK(o.baselines["plasticity_off"].get<double>() <= 0.35);
    CHECK(o.curve.size() == 20);
    CHECK(o.parts["test_trials"] == 200);
    CHECK(o.parts["confusion"].size() == 4);
  }
}

}  // namespace p3p::experiments
