// boid_swarm learns to its floor in-process over topology/default.yaml, 2 seeds with the catalog's
// defaults (5000 training steps): polarisation >= 0.93 and >= 2.5x its random initial weights frozen,
// collisions <= 0.05 per step, >= 0.8 after 1000 training steps; the hand-wired control aligns too, and
// the learnt weights map alignment to the turn to its side.
#include <chrono>
#include <cstdio>

#include <catch2/catch.hpp>

#include "tests/experiments/experiment_support.hpp"

namespace p3p::test {

TEST_CASE("boid_swarm reaches its floor on two seeds, against its random-weight and hand-wired controls", "[long]") {
  for (const std::uint64_t seed : {1, 2}) {
    InProcessExperiment e;
    e.args = experiment_args("boid_swarm", seed);
    const auto start = std::chrono::steady_clock::now();
    const auto o = e.run("boid_swarm");
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    REQUIRE(o);
    std::printf("boid_swarm seed %llu: %.3f (random %.3f, hand-wired %.3f), checkpoint %.3f, collisions %.4f/step, "
                "%.1f s\n  curve %s\n", static_cast<unsigned long long>(seed), o->score,
                o->baselines["random_weights"].get<double>(), o->baselines["hand_wired"].get<double>(),
                o->parts["polarisation_at_checkpoint"].get<double>(), o->parts["collisions_per_step"].get<double>(),
                seconds, nlohmann::json(o->curve).dump().c_str());
    CHECK(o->score >= 0.93);
    CHECK(o->score >= 2.5 * o->baselines["random_weights"].get<double>());
    CHECK(o->parts["collisions_per_step"].get<double>() <= 0.05);
    CHECK(o->parts["polarisation_at_checkpoint"].get<double>() >= 0.8);
    CHECK(o->baselines["hand_wired"].get<double>() >= 0.9);
    CHECK(o->details["alignment_weight_quality"].get<double>() > 0.05);
    CHECK(o->passed);
  }
}

}  // namespace p3p::test
