#pragma once
// One scripted sequence of driver calls on the default topology, and what it saw: the same calls through
// the real cluster and through the in-process engine must see the same.
#include <catch2/catch.hpp>
#include <vector>

#include "driver/cluster_driver.hpp"

namespace p3p::test {

struct ScriptTrace {
  std::vector<std::int64_t> stops;
  std::vector<driver::SpikeCounts> windows;
  std::vector<std::vector<driver::ProjectionWeights>> weights;
  std::uint64_t raster_hash = 0;
};

template <class T>
T must(Expected<T, driver::Error> r) {
  INFO((r ? std::string() : r.error().text()));
  REQUIRE(r);
  return std::move(*r);
}

inline void must(Expected<void, driver::Error> r) {
  INFO((r ? std::string() : r.error().text()));
  REQUIRE(r);
}

// Drives Region_AB (the demo relay), Region_Pattern (plastic, gain dopamine) and Region_Cart (plastic,
// eligibility) with currents at chosen ticks, rewards between them, and reads counts and weights.
inline ScriptTrace run_script(driver::ClusterDriver& d) {
  ScriptTrace t;
  const std::int64_t t0 = d.tick();
  t.weights.push_back(must(d.weights("pattern_hidden_B")));
  std::vector<driver::Current> currents;
  for (std::int64_t k = 0; k < 8; ++k) {
    currents.push_back({"col_A1", 0, t0 + k, 0.7});
    currents.push_back({"pattern_sens_A", static_cast<std::uint32_t>(k % 4), t0 + 2 + k, 1.2});
    currents.push_back({"cart_sens_A", static_cast<std::uint32_t>((k + 1) % 4), t0 + 3 + k, 1.5});
  }
  must(d.schedule(currents));
  t.stops.push_back(must(d.advance_to(t0 + 6)));
  t.stops.push_back(must(d.advance_to(t0 + 15)));
  t.windows.push_back(must(d.spike_counts(t0, t0 + 6)));
  t.windows.push_back(must(d.spike_counts(t0 + 6, t0 + 15)));
  must(d.set_reward(0.8, t0 + 18));  // advances to t0 + 18 first
  std::vector<driver::Current> again;
  for (std::int64_t k = 0; k < 6; ++k) again.push_back({"pattern_sens_A", static_cast<std::uint32_t>(k % 4), t0 + 19 + k, 1.3});
  must(d.schedule(again));
  must(d.set_reward(-0.4, t0 + 22));
  t.stops.push_back(must(d.advance_to(t0 + 40)));
  t.windows.push_back(must(d.spike_counts(t0 + 18, t0 + 40)));
  t.windows.push_back(must(d.spike_counts(t0, t0 + 40)));
  t.weights.push_back(must(d.weights("pattern_hidden_B")));
  t.weights.push_back(must(d.weights("cart_actor_B")));
  t.raster_hash = d.raster_hash();
  return t;
}

inline void check_same(const ScriptTrace& a, const ScriptTrace& b) {
  CHECK(a.stops == b.stops);
  REQUIRE(a.windows.size() == b.windows.size());
  for (std::size_t i = 0; i < a.windows.size(); ++i) {
    INFO("window " << a.windows[i].from << ".." << a.windows[i].to);
    CHECK(a.windows[i].per_neuron == b.windows[i].per_neuron);
    CHECK(a.windows[i].per_column == b.windows[i].per_column);
    CHECK(a.windows[i].total == b.windows[i].total);
  }
  CHECK(a.weights == b.weights);
  CHECK(a.raster_hash == b.raster_hash);
}

}  // namespace p3p::test
