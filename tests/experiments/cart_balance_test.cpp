// cart_balance learns to its floor in-process on the default topology with 2 seeds (issue 15): per seed some
// 100 consecutive episodes average >= 195 steps and the last 100 >= 100, with the random policy of the same
// run near CartPole's ~22 steps and far below what was learnt. Prints the curve and the speed.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>

#include "experiment_support.hpp"

namespace p3p::experiments {

TEST_CASE("cart_balance reaches its floor with seeds 1 and 2 in-process and the random policy stays near 22 steps",
          "[experiments][cart_balance]") {
  for (const std::uint64_t seed : {1ULL, 2ULL}) {
    test::InProcessExperiment x;
    x.args = test::experiment_args("cart_balance", seed);
    const auto start = std::chrono::steady_clock::now();
    const auto o = x.run("cart_balance");
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    REQUIRE(o.has_value());
    const auto steps = o->details.at("env_steps").get<std::uint64_t>();
    std::printf("cart_balance seed %llu: last-100 %.1f, best-100 %.1f, first 195 window at %s, random %.1f; curve",
                static_cast<unsigned long long>(seed), o->score, o->parts.at("best_100_mean").get<double>(),
                o->parts.at("episodes_to_first_195").dump().c_str(), o->baselines.at("random_policy").get<double>());
    for (const double c : o->curve) std::printf(" %.0f", c);
    std::printf("; %llu env steps in %.1f s (%.0f steps/s)\n", static_cast<unsigned long long>(steps), seconds, steps / seconds);
    INFO("seed " << seed);
    CHECK(o->parts.at("best_100_mean").get<double>() >= 195.0);
    CHECK(o->parts.at("episodes_to_first_195").is_number());
    CHECK(o->score >= 100.0);
    CHECK(o->passed);
    CHECK(o->curve.size() == 10);
    const double random = o->baselines.at("random_policy").get<double>();
    CHECK(random > 15.0);
    CHECK(random < 30.0);
    CHECK(o->score >= 4.0 * random);
  }
}

}  // namespace p3p::experiments
