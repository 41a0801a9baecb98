// pattern_classify is reproducible and stops when asked: a short run (2 epochs, 20 held-out trials) gives
// the same outcome for the same seed on a fresh driver and another for another seed; a cancelled run ends
// with `cancelled` at its next trial.
#include <catch2/catch.hpp>

#include "pattern_support.hpp"

namespace p3p::experiments {

TEST_CASE("pattern_classify: the same seed gives the same outcome, another seed another") {
  const topology::Topology t = test::default_topology();
  const nlohmann::json short_run = {{"epochs", 2}, {"test_trials", 20}};
  const auto a = test::run_pattern(t, test::pattern_args(4, short_run));
  const auto b = test::run_pattern(t, test::pattern_args(4, short_run));
  const auto c = test::run_pattern(t, test::pattern_args(5, short_run));
  REQUIRE(a.outcome.has_value());
  REQUIRE(b.outcome.has_value());
  REQUIRE(c.outcome.has_value());
  CHECK(a.outcome->curve.size() == 2);
  CHECK(a.outcome->parts["test_trials"] == 20);
  CHECK(a.outcome->parts == b.outcome->parts);
  CHECK(a.outcome->curve == b.outcome->curve);
  CHECK(a.outcome->details == b.outcome->details);
  CHECK(a.driver->raster_hash() == b.driver->raster_hash());
  CHECK(a.driver->raster_hash() != c.driver->raster_hash());
}

TEST_CASE("pattern_classify stops with cancelled at the next trial when asked") {
  int polls = 0;
  const auto r = test::run_pattern(test::default_topology(), test::pattern_args(1), [&] { return ++polls > 3; });
  REQUIRE_FALSE(r.outcome.has_value());
  CHECK(r.outcome.error().code == ErrorCode::cancelled);
  CHECK(polls == 4);
}

}  // namespace p3p::experiments
