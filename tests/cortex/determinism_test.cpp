// Same spikes whatever the seed's consumers, threads, partition over engines or split into columns.
#include "bench/workload/reference_network.hpp"
#include "tests/cortex/helpers.hpp"

using namespace p3p::cortex;
using namespace p3p::cortex::test;

namespace {

std::uint64_t single_hash(const NetworkSpec& n, std::int64_t ticks, unsigned threads = 1,
                          const std::function<void(Engine&)>& prepare = {}) {
  Engine e = make_engine(n, {0, threads});
  if (prepare) prepare(e);
  return hash_of(run_all(e, ticks));
}

}  // namespace

TEST_CASE("same seed gives the same raster and a different seed a different one") {
  const NetworkSpec n = mixed(1);
  const std::uint64_t a = single_hash(n, 300);
  CHECK(a == single_hash(n, 300));
  NetworkSpec m = n;
  m.seed = 100;
  CHECK(a != single_hash(m, 300));
  Engine e = make_engine(n);
  CHECK(run_all(e, 300).size() > 1000);  // the network is really active
}

TEST_CASE("one two and three threads give the same raster hash") {
  for (const DopamineMode mode : {DopamineMode::gain, DopamineMode::eligibility}) {
    const NetworkSpec n = mixed(1, mode);
    const std::uint64_t one = single_hash(n, 300, 1);
    CHECK(one == single_hash(n, 300, 2));
    CHECK(one == single_hash(n, 300, 3));
  }
  // The reference workload (plastic) as well.
  const NetworkSpec r = p3p::bench::reference_network({2000, 20, true, 5});
  CHECK(single_hash(r, 100, 1) == single_hash(r, 100, 2));
}

TEST_CASE("one engine and the same network split over 2 or 3 engines give the same raster") {
  for (const DopamineMode mode : {DopamineMode::gain, DopamineMode::eligibility}) {
    const std::uint64_t one = single_hash(mixed(1, mode), 300);
    CHECK(hash_of(run_split(mixed(2, mode), 2, 300)) == one);
    CHECK(hash_of(run_split(mixed(3, mode), 3, 300)) == one);
    CHECK(hash_of(run_split(mixed(3, mode), 3, 300, 2)) == one);
  }
}

TEST_CASE("a dopamine mode per projection and a reward to some populations: the same raster for any threads and split") {
  // Gain level 0.6 on 0 -> 1; dopamine 0.6 - 0.4 on the eligibility projection onto population 0.
  const auto prepare = [](Engine& e) { reward_some(e, 0.6, 0, -0.4); };
  const std::uint64_t one = single_hash(mixed_modes(1), 300, 1, prepare);
  CHECK(one != single_hash(mixed_modes(1), 300, 1));  // the rewards show
  CHECK(one != single_hash(mixed_modes(1), 300, 1, [](Engine& e) { e.reward(0.6); }));  // and the targeted one
  CHECK(one == single_hash(mixed_modes(1), 300, 2, prepare));
  CHECK(one == single_hash(mixed_modes(1), 300, 3, prepare));
  CHECK(hash_of(run_split(mixed_modes(2), 2, 300, 1, prepare)) == one);
  CHECK(hash_of(run_split(mixed_modes(3), 3, 300, 1, prepare)) == one);
  CHECK(hash_of(run_split(mixed_modes(3), 3, 300, 2, prepare)) == one);
}

TEST_CASE("one population and the same neurons split into several columns give the same raster") {
  // Probability and all_to_all rules with a shared connectivity key draw per (global source, global
  // target) pair, so splitting a population into columns changes nothing.
  auto whole = [] {
    NetworkSpec n;
    n.seed = 3;
    n.populations = {active(150, 0)};
    ProjectionSpec p = proj(0, 0, ConnectionRule::probability, 0.04, 2, true);
    p.key = 77;
    n.projections = {p};
    return n;
  };
  auto split = [](int parts_nodes) {
    NetworkSpec n;
    n.seed = 3;
    n.populations = {active(50, 0), active(70, parts_nodes > 1 ? 1 : 0), active(30, 0)};
    for (std::uint32_t s = 0; s < 3; ++s)
      for (std::uint32_t t = 0; t < 3; ++t) {
        ProjectionSpec p = proj(s, t, ConnectionRule::probability, 0.04, 2, true);
        p.key = 77;
        n.projections.push_back(p);
      }
    return n;
  };
  Engine a = make_engine(whole());
  const auto spikes = run_all(a, 300);
  CHECK(spikes.size() > 500);
  const std::uint64_t one = hash_of(spikes);
  Engine b = make_engine(split(1));
  CHECK(hash_of(run_all(b, 300)) == one);
  CHECK(hash_of(run_split(split(2), 2, 300)) == one);
}

TEST_CASE("remote spikes that arrive too late or are not remote are rejected without effect") {
  const NetworkSpec n = mixed(2);
  Engine e = make_engine(n, {0, 1});
  REQUIRE(e.min_cross_delay() == 2);
  e.run(5);
  const std::uint64_t remote = e.global_id(1, 3);
  auto late = e.deliver_remote_spikes(std::vector<Spike>{{4, remote}, {1, remote}});  // 1 + 2 < 5
  REQUIRE_FALSE(late);
  CHECK(late.error().code == ErrorCode::too_late);
  CHECK_FALSE(e.deliver_remote_spikes(std::vector<Spike>{{4, e.global_id(0, 0)}}));
  CHECK_FALSE(e.deliver_remote_spikes(std::vector<Spike>{{9, remote}}));
  CHECK(e.deliver_remote_spikes(std::vector<Spike>{{4, remote}, {3, remote}}));
  const auto r = e.routes();
  REQUIRE(r.size() == 1);
  CHECK(r[0].node == 1);
  CHECK(r[0].populations == std::vector<std::uint32_t>{0});
}
