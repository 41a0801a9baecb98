// The focus: silenced populations emit nothing, and what that lets a node run ahead of its peers.
#include <catch2/catch.hpp>

#include "tests/cortex/helpers.hpp"

using namespace p3p::cortex;
using namespace p3p::cortex::test;

TEST_CASE("a silenced population fires into nothing, and spikes again once the focus is lifted") {
  const NetworkSpec n = mixed(1);
  Engine plain = make_engine(n);
  Engine focused = make_engine(n);
  const std::uint32_t silenced[] = {1};
  REQUIRE(focused.set_silent(silenced));
  CHECK(focused.silent() == std::vector<std::uint32_t>{1});
  const auto lo = focused.global_id(1, 0), hi = focused.global_id(2, 0);
  const std::vector<Spike> with_focus = run_all(focused, 200);
  std::vector<Spike> others;  // the spikes of the populations not silenced, without a focus
  for (const Spike& s : run_all(plain, 200))
    if (s.neuron < lo || s.neuron >= hi) others.push_back(s);
  std::size_t from_silenced = 0;
  for (const Spike& s : with_focus) from_silenced += s.neuron >= lo && s.neuron < hi;
  CHECK(from_silenced == 0);
  // Population 1 excites 2 and inhibits 0: with it silent, the others' spikes change too.
  CHECK_FALSE(with_focus.empty());
  CHECK(hash_of(with_focus) != hash_of(others));
  REQUIRE(focused.set_silent({}));
  CHECK(focused.silent().empty());
  std::size_t after = 0;
  for (const Spike& s : run_all(focused, 200)) after += s.neuron >= lo && s.neuron < hi;
  CHECK(after > 0);
  const std::uint32_t unknown[] = {3};
  CHECK_FALSE(focused.set_silent(unknown));
  CHECK(focused.silent().empty());
}

TEST_CASE("a silenced split run gives the same raster as one engine with the same focus") {
  const NetworkSpec n = mixed(3);
  const auto silence = [](Engine& e) {
    const std::uint32_t silenced[] = {2};
    REQUIRE(e.set_silent(silenced));
  };
  Engine whole = make_engine(mixed(1));
  silence(whole);
  CHECK(hash_of(run_split(n, 3, 300, 1, silence)) == hash_of(run_all(whole, 300)));
}

TEST_CASE("the lookahead from a node is the smallest delay of its projections here that are not silenced") {
  const NetworkSpec n = mixed(3);  // 0 on node 0, 1 on node 1, 2 on node 2
  Engine e0 = make_engine(n, {0, 1});
  // Onto population 0: from 1 (delay 3), from 2 (delay 4).
  CHECK(e0.lookahead_from(1) == 3);
  CHECK(e0.lookahead_from(2) == 4);
  CHECK_FALSE(e0.lookahead_from(0));
  CHECK(e0.sends_to(1));
  CHECK_FALSE(e0.sends_to(2));
  const std::uint32_t silenced[] = {0, 1};
  REQUIRE(e0.set_silent(silenced));
  CHECK_FALSE(e0.lookahead_from(1));
  CHECK(e0.lookahead_from(2) == 4);
  CHECK_FALSE(e0.sends_to(1));
}

TEST_CASE("remote spikes too late for their tick are dropped and counted when asked, the rest delivered") {
  const NetworkSpec n = mixed(2);
  Engine e = make_engine(n, {0, 1});
  e.run(5);
  const std::uint64_t remote = e.global_id(1, 3);
  std::uint64_t late = 0;
  // Projection 1 -> 0 has delay 3: a spike of tick 1 was due at 4 (< 5), one of tick 4 is due at 7.
  REQUIRE(e.deliver_remote_spikes(std::vector<Spike>{{1, remote}, {4, remote}}, &late));
  CHECK(late == 1);
  CHECK(e.pending_input(0, 0) == 0.0);  // tick 5's input: the late spike did not land in a wrong slot
  CHECK_FALSE(e.deliver_remote_spikes(std::vector<Spike>{{1, remote}}));
}
