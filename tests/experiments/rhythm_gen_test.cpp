// rhythm_gen in-process on the default topology: one kick sustains a rhythm of period 2D for D = 1, 2, 4
// with the loop written, the region without it falls silent, and a topology without the loop's room is
// refused by name.
#include <catch2/catch.hpp>

#include "tests/experiments/experiment_support.hpp"

using namespace p3p;
using namespace p3p::test;

TEST_CASE("rhythm_gen: one kick sustains the loop's rhythm, period 2D, for delays 1, 2, 4, and without the loop it dies", "[experiments]") {
  for (std::uint64_t seed : {1u, 2u}) {
    InProcessExperiment x;
    x.args = experiment_args("rhythm_gen", seed);
    const auto out = must(x.run("rhythm_gen"));
    INFO(out.parts.dump() << "\n" << out.baselines.dump());
    CHECK(out.passed);
    for (int d : {1, 2, 4}) {
      const auto& part = out.parts.at("delay_" + std::to_string(d));
      CHECK(part.at("sustained_ticks").get<std::int64_t>() >= 1000);
      CHECK(part.at("period").get<double>() == Approx(2.0 * d).epsilon(0.1));
      CHECK(part.at("period_cv").get<double>() <= 0.05);
      CHECK(part.at("frequency").get<double>() == Approx(1.0 / (2.0 * d)).epsilon(0.1));
    }
    CHECK(out.score == out.parts.at("delay_2").at("sustained_ticks").get<double>());
    CHECK(out.baselines.at("ring_off_sustained_ticks").get<std::int64_t>() == 0);
    CHECK(out.curve.size() == 20);
    // The region is left as built: no loop weights, nothing firing.
    const auto w = must(x.driver->weights("osc_exc_C"));
    for (const auto& p : w)
      if (p.plastic)
        for (const auto& s : p.synapses) REQUIRE(s.weight == 0.0);
    const std::int64_t t = x.driver->tick();
    must(x.driver->advance_to(t + 50));
    CHECK(must(x.driver->spike_counts(t, t + 50)).per_column.at("osc_exc_A") == 0);
  }
}

TEST_CASE("rhythm_gen: the same seed gives the same outcome, whatever tick it starts at", "[experiments]") {
  auto once = [](std::uint64_t seed, std::int64_t start) {
    InProcessExperiment x;
    if (start > 0) must(x.driver->advance_to(start));
    x.args = experiment_args("rhythm_gen", seed, {{"epochs", 12}});
    auto out = must(x.run("rhythm_gen"));
    return out.parts.dump() + out.baselines.dump() + nlohmann::json(out.curve).dump();
  };
  const std::string first = once(7, 0);
  CHECK(first == once(7, 0));
  CHECK(first == once(7, 53));
}

TEST_CASE("rhythm_gen: a topology whose excitatory columns are too small for the loop is refused by name", "[experiments]") {
  InProcessExperiment x{topology_with("{id: osc_exc_C, node: nodeC, size: 160", "{id: osc_exc_C, node: nodeC, size: 100")};
  x.args = experiment_args("rhythm_gen", 1);
  const auto out = x.run("rhythm_gen");
  REQUIRE_FALSE(out);
  CHECK(out.error().code == ErrorCode::bad_args);
  CHECK_THAT(out.error().message, Catch::Contains("osc_exc_C") && Catch::Contains("160"));
}
