#pragma once
// One scripted sequence of driver calls on the default topology, and what it saw: the same calls through
// the real cluster and through the in-process engine must see the same.
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <string>
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

// Weights written into a plastic and a static projection, then resets with and without weights, each
// followed by input and a window of counts. weights[3..9]: pattern_out_C and mem_assoc_B after the
// writes; pattern_out_C before and after the reset of Region_Pattern without weights; pattern_out_C,
// mem_assoc_B and cart_actor_B after resets with weights.
inline void edit_and_reset(driver::ClusterDriver& d, ScriptTrace& t, std::int64_t at) {
  const std::vector<driver::Synapse> plastic{{0, 0, 1.5}, {2, 1, 0.5}}, memory{{0, 0, 0.9}, {1, 1, 0.2}};
  must(d.set_weights("pattern_out_C", "pattern_hidden_B", plastic));
  must(d.set_weights("mem_assoc_B", "mem_in_A", memory));
  t.weights.push_back(must(d.weights("pattern_out_C")));
  t.weights.push_back(must(d.weights("mem_assoc_B")));
  std::vector<driver::Current> currents;
  for (std::int64_t k = 0; k < 6; ++k) {
    currents.push_back({"mem_in_A", static_cast<std::uint32_t>(k % 2), at + k, 1.2});
    currents.push_back({"pattern_sens_A", static_cast<std::uint32_t>(k % 4), at + 1 + k, 1.2});
  }
  must(d.schedule(currents));
  t.stops.push_back(must(d.advance_to(at + 12)));
  t.windows.push_back(must(d.spike_counts(at, at + 12)));
  t.weights.push_back(must(d.weights("pattern_out_C")));
  must(d.reset_region("Region_Pattern", false));
  t.weights.push_back(must(d.weights("pattern_out_C")));
  must(d.schedule(currents = {{"pattern_sens_A", 1, at + 13, 1.4}, {"mem_in_A", 0, at + 14, 1.3}}));
  t.stops.push_back(must(d.advance_to(at + 24)));
  t.windows.push_back(must(d.spike_counts(at + 12, at + 24)));
  const std::vector<std::string> columns{"mem_assoc_B", "pattern_out_C"};
  must(d.reset_columns(columns, true));
  must(d.reset_region("Region_Cart", true));
  t.weights.push_back(must(d.weights("pattern_out_C")));
  t.weights.push_back(must(d.weights("mem_assoc_B")));
  t.weights.push_back(must(d.weights("cart_actor_B")));
  must(d.schedule(currents = {{"pattern_sens_A", 2, at + 25, 1.4}, {"cart_sens_B", 0, at + 26, 1.5}, {"col_A1", 1, at + 27, 1.1}}));
  t.stops.push_back(must(d.advance_to(at + 40)));
  t.windows.push_back(must(d.spike_counts(at + 24, at + 40)));
}

// Incoming weights normalised (pattern_out_C from pattern_hidden_B to sum 1.2 per neuron), then input
// through them and a window of counts. weights[10]: pattern_out_C right after.
inline void normalise_and_drive(driver::ClusterDriver& d, ScriptTrace& t, std::int64_t at) {
  must(d.normalise("pattern_out_C", "pattern_hidden_B", 1.2));
  t.weights.push_back(must(d.weights("pattern_out_C")));
  std::vector<driver::Current> currents;
  for (std::int64_t k = 0; k < 6; ++k) currents.push_back({"pattern_sens_A", static_cast<std::uint32_t>(k % 4), at + k, 1.3});
  must(d.schedule(currents));
  t.stops.push_back(must(d.advance_to(at + 12)));
  t.windows.push_back(must(d.spike_counts(at, at + 12)));
}

// Region_Pattern and Region_Memory reset with weights and noise seed `seed`, then currents near the
// threshold (whether each one fires is decided by the noise) at ticks relative to the reset, and the
// spikes of every tick after it: what a run after a seeded reset sees, whatever tick it started at.
inline std::vector<std::map<std::string, std::vector<std::uint64_t>>> seeded_run(driver::ClusterDriver& d, std::uint64_t seed) {
  for (const char* region : {"Region_Pattern", "Region_Memory"}) must(d.reset_region(region, true, seed));
  const std::int64_t t0 = d.tick();
  std::vector<driver::Current> currents;
  // Neuron k of each input column gets one current at t0 + k, within the noise's reach of its threshold: a
  // resting neuron has v = 0.2 (1 - 0.95^k) k ticks after a reset (baseline 0.01, leak 0.95) and fires when
  // (v + I) 0.95 + 0.01 + noise >= 1, noise in [-0.005, 0.005).
  for (std::int64_t k = 0; k < 30; ++k) {
    const double v = 0.2 * (1.0 - std::pow(0.95, static_cast<double>(k)));
    const double current = 0.99 / 0.95 - v + 0.003 * static_cast<double>(k % 3 - 1);
    currents.push_back({"pattern_sens_A", static_cast<std::uint32_t>(k), t0 + k, current});
    currents.push_back({"mem_in_A", static_cast<std::uint32_t>(k), t0 + k, current});
  }
  must(d.schedule(currents));
  std::vector<std::map<std::string, std::vector<std::uint64_t>>> per_tick;
  for (std::int64_t k = 0; k < 40; ++k) {
    const std::int64_t from = d.tick();
    per_tick.push_back(must(d.spike_counts(from, must(d.advance_to(from + 1)))).per_neuron);
  }
  return per_tick;
}

// Drives Region_AB (the demo relay), Region_Pattern (relay, then plastic with eligibility) and Region_Cart
// (plastic, eligibility) with currents at chosen ticks, rewards between them (to all, and to one region
// each), and reads counts and weights.
inline ScriptTrace run_script(driver::ClusterDriver& d) {
  ScriptTrace t;
  const std::int64_t t0 = d.tick();
  t.weights.push_back(must(d.weights("pattern_out_C")));
  std::vector<driver::Current> currents;
  for (std::int64_t k = 0; k < 8; ++k) {
    currents.push_back({"col_A1", 0, t0 + k, 0.7});
    currents.push_back({"pattern_sens_A", static_cast<std::uint32_t>(k % 4), t0 + 2 + k, 1.2});
    currents.push_back({"pattern_out_C", static_cast<std::uint32_t>(k % 4), t0 + 4 + k, 1.5});  // pairs with the relayed spikes
    currents.push_back({"cart_sens_B", static_cast<std::uint32_t>((k + 1) % 4), t0 + 3 + k, 1.5});
    currents.push_back({"cart_actor_B", static_cast<std::uint32_t>(k % 4), t0 + 4 + k, 1.5});  // pairs: its weights start at 0
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
  // A reward to one region reaches only the projections onto its columns: Region_Cart's learn with
  // eligibility (a dopamine event), as Region_Pattern's do.
  must(d.set_reward(0.9, t0 + 26, "Region_Cart"));
  must(d.set_reward(1.5, t0 + 30, "Region_Pattern"));
  t.stops.push_back(must(d.advance_to(t0 + 40)));
  t.windows.push_back(must(d.spike_counts(t0 + 18, t0 + 40)));
  t.windows.push_back(must(d.spike_counts(t0, t0 + 40)));
  t.weights.push_back(must(d.weights("pattern_out_C")));
  t.weights.push_back(must(d.weights("cart_actor_B")));
  edit_and_reset(d, t, t0 + 40);
  normalise_and_drive(d, t, t0 + 80);
  t.raster_hash = d.raster_hash();
  return t;
}

// Bad weight writes and resets: the error code of each, or "ok" (none should be).
inline std::vector<std::string> refusals(driver::ClusterDriver& d) {
  const auto code = [](const Expected<void, driver::Error>& r) { return r ? std::string("ok") : std::string(to_string(r.error().code)); };
  const std::vector<driver::Synapse> one{{0, 0, 0.5}}, missing{{0, 0, 0.5}, {0, 16, 0.5}}, too_big{{1, 1, 3.0}},
      not_a_number{{0, 0, std::nan("")}}, none;
  const std::vector<std::string> no_columns, unknown{"col_A1", "col_Z9"};
  return {code(d.set_weights("col_Z9", "col_A1", one)),
          code(d.set_weights("col_B1", "col_Z9", one)),
          code(d.set_weights("col_B1", "col_A1", none)),
          code(d.set_weights("col_B1", "col_A1", not_a_number)),
          code(d.set_weights("pattern_out_C", "pattern_hidden_B", missing)),  // 16 neurons
          code(d.set_weights("col_B1", "col_A1", one)),               // static: the topology's weights
          code(d.set_weights("pattern_out_C", "pattern_hidden_B", too_big)),  // above w_max 2
          code(d.set_weights("col_C1", "col_A1", one)),               // no projection between them
          code(d.reset_region("Region_Nowhere")),
          code(d.set_reward(0.5, d.tick(), "Region_Nowhere")),
          code(d.reset_columns(no_columns)),
          code(d.reset_columns(unknown, true)),
          code(d.normalise("col_Z9", "col_A1", 1.0)),
          code(d.normalise("col_B1", "col_A1", 1.0)),                 // static
          code(d.normalise("col_C1", "col_A1", 1.0)),                 // no projection between them
          code(d.normalise("pattern_out_C", "pattern_hidden_B", std::nan(""))),
          code(d.normalise("pattern_out_C", "pattern_hidden_B", 2e6))};
}

inline const std::vector<std::string> kRefusalCodes{"unknown_column", "unknown_column", "bad_args", "bad_args", "bad_args", "bad_args",
                                                    "bad_args",       "bad_args",       "unknown_region", "unknown_region",
                                                    "bad_args",       "unknown_column", "unknown_column", "bad_args",
                                                    "bad_args",       "bad_args",       "bad_args"};

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
