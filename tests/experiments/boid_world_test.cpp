// boid_swarm's world and circuits alone: what a boid senses (alignment, separation, cohesion, across the
// periodic edge), collisions, polarisation, a move, the reward of a turn, the flock's dopamine, the rate
// and exploration currents of a step, the turn read from spike counts, and the weight sets.
#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <numbers>

#include "experiments/boid_circuit.hpp"

namespace p3p::experiments::boid {
namespace {

constexpr double kPi = std::numbers::pi;

}  // namespace

TEST_CASE("wrap brings any angle into -pi to pi") {
  CHECK(wrap(0.5) == Approx(0.5));
  CHECK(wrap(2 * kPi + 0.5) == Approx(0.5));
  CHECK(wrap(-kPi - 0.5) == Approx(kPi - 0.5));
  CHECK(wrap(kPi) == Approx(-kPi));
}

TEST_CASE("a boid senses its neighbours' mean heading as a signed alignment error, and no one beyond the radius") {
  // Boid 0 heads east; boid 1 (1.0 away, a neighbour) heads north: turn left (+pi/2). Boid 2 is 3.0 away.
  const World w({{1.0, 1.0, 0.0}, {2.0, 1.0, kPi / 2}, {1.0, 4.0, kPi}});
  const std::vector<Sense> s = w.sense();
  CHECK(s[0].neighbours);
  CHECK(s[0].alignment == Approx(kPi / 2));
  CHECK(s[1].alignment == Approx(-kPi / 2));  // boid 1 sees boid 0 heading east: turn right
  CHECK(s[0].cohesion == Approx(0.0).margin(1e-12));  // boid 1 lies straight ahead
  CHECK_FALSE(s[2].neighbours);
  CHECK(s[2].alignment == 0.0);
  CHECK(s[0].separation == 0.0);  // nobody too close
  CHECK(s[0].closeness == 0.0);
}

TEST_CASE("a boid too close to another senses the way away from it, across the periodic edge, and collisions count pairs") {
  // Boid 0 at x 7.9 heading north, boid 1 at x 0.05 (0.15 to its east across the edge): away is west (pi),
  // so turn left by pi/2. They collide (< 0.2); boid 2 is far from both.
  const World w({{7.9, 4.0, kPi / 2}, {0.05, 4.0, kPi / 2}, {4.0, 1.0, 0.0}});
  const std::vector<Sense> s = w.sense();
  CHECK(std::abs(s[0].away) == Approx(kPi));
  CHECK(s[0].separation == Approx(kPi / 2));
  CHECK(s[1].separation == Approx(-kPi / 2));
  CHECK(s[0].closeness == Approx((0.5 - 0.15) / 0.5));
  CHECK(w.collisions() == 1);
}

TEST_CASE("polarisation is 1 for a flock heading alike and 0 for one heading apart") {
  CHECK(World({{1, 1, 0.3}, {5, 5, 0.3}, {3, 3, 0.3}}).polarisation() == Approx(1.0));
  CHECK(World({{1, 1, 0.0}, {5, 5, kPi}}).polarisation() == Approx(0.0).margin(1e-12));
}

TEST_CASE("a move turns each boid, adds heading noise of at most 0.15 rad and moves it 0.1 ahead, wrapping") {
  World w({{7.95, 1.0, 0.0}, {1.0, 1.0, 0.0}});
  Random rng(3);
  const std::vector<double> turns = {0.0, 0.5};
  w.move(turns, rng);
  const Boid& a = w.boids()[0];
  const Boid& b = w.boids()[1];
  CHECK(std::abs(a.heading) <= 0.15);
  CHECK(std::abs(b.heading - 0.5) <= 0.15);
  CHECK(a.x < 0.1);  // wrapped over the east edge
  CHECK(std::hypot(b.x - 1.0, b.y - 1.0) == Approx(0.1));
}

TEST_CASE("a turn toward the neighbours' heading or away from a too-close one is rewarded, the other way punished") {
  Sense s;
  s.neighbours = true;
  s.mean_heading = 1.0;
  CHECK(turn_reward(s, 0.0, 0.3) > 0.0);
  CHECK(turn_reward(s, 0.0, -0.3) < 0.0);
  CHECK(turn_reward(s, 0.0, 0.0) == 0.0);
  Sense close;
  close.away = -1.0;
  close.closeness = 1.0;
  CHECK(turn_reward(close, 0.0, -0.3) == Approx(3.0 * (std::cos(0.7) - std::cos(1.0))));
  CHECK(turn_reward(Sense{}, 0.0, 0.3) == 0.0);  // alone: nothing to gain
}

TEST_CASE("the flock's dopamine is the mean reward less each boid's running mean, over 0.1") {
  FlockDopamine d(2);
  CHECK(d.dopamine(std::vector<double>{0.1, 0.3}) == Approx((1.0 + 3.0) / 2));
  // The means moved by 1/50 of the rewards: a repeated reward gives less.
  CHECK(d.dopamine(std::vector<double>{0.1, 0.3}) == Approx((0.1 * 49 / 50 + 0.3 * 49 / 50) / 0.1 / 2));
  FlockDopamine alone(1);
  CHECK(alone.dopamine(std::vector<double>{-0.2}) == Approx(-2.0));
}

TEST_CASE("a step's currents: each error drives its side's 5 sense neurons for 10 ticks, exploration every turn population") {
  const Layout layout{{{"s_a", "t_a", 1, 0}, {"s_b", "t_b", 1, 1}}, 2};
  Sense left, none;
  left.alignment = kPi / 2;    // current 0.25 into alignment-left (neurons 0..4)
  left.separation = -kPi / 4;  // 0.125 into separation-right (15..19)
  Random rng(5);
  const std::vector<Sense> senses = {left, none};
  const std::vector<driver::Current> c = step_currents(layout, senses, rng, 100);
  std::map<std::pair<std::string, std::uint32_t>, int> ticks;
  std::map<std::pair<std::string, std::uint32_t>, double> sum;
  for (const driver::Current& x : c) {
    CHECK((x.tick >= 100 && x.tick < 110));
    ++ticks[{x.column, x.neuron}];
    sum[{x.column, x.neuron}] += x.current;
  }
  for (std::uint32_t n = 0; n < 20; ++n) {
    const bool driven = n < 5 || n >= 15;
    CHECK(ticks[{"s_a", n}] == (driven ? 10 : 0));
  }
  CHECK(sum[{"s_a", 0}] == Approx(10 * 0.25));
  CHECK(sum[{"s_a", 19}] == Approx(10 * 0.125));
  for (std::uint32_t n = 0; n < 20; ++n) CHECK(ticks[{"s_b", n}] == 0);  // boid 1 senses nothing
  for (const char* t : {"t_a", "t_b"})
    for (std::uint32_t n = 0; n < 10; ++n) CHECK(ticks[{t, n}] == 10);
  // A population's neurons share each tick's draw; the two populations draw apart.
  CHECK(sum[{"t_a", 0}] == sum[{"t_a", 4}]);
  CHECK(sum[{"t_a", 0}] != sum[{"t_a", 5}]);
  CHECK(c.size() == 10 * (5 + 5) + 2 * 10 * 10);
}

TEST_CASE("the exploration's normal draws have mean 0 and variance 1") {
  Random rng(9);
  double sum = 0.0, sq = 0.0;
  const int n = 20000;
  for (int i = 0; i < n; ++i) {
    const double x = normal(rng);
    sum += x;
    sq += x * x;
  }
  CHECK(std::abs(sum / n) < 0.03);
  CHECK(sq / n == Approx(1.0).epsilon(0.05));
}

TEST_CASE("a boid turns by 0.15 (left - right) / 5, capped at 0.6 rad") {
  const Layout layout{{{"s_a", "t_a", 2, 0}}, 2};
  driver::SpikeCounts counts;
  std::vector<std::uint64_t> spikes(20, 0);
  spikes[0] = 3;   // boid 0: 3 left spikes, 1 right
  spikes[7] = 1;
  for (int n = 15; n < 20; ++n) spikes[static_cast<std::size_t>(n)] = 10;  // boid 1: 50 right
  counts.per_neuron["t_a"] = spikes;
  const std::vector<double> t = turns(layout, counts);
  REQUIRE(t.size() == 2);
  CHECK(t[0] == Approx(0.15 * 2 / 5));
  CHECK(t[1] == Approx(-0.6));
}

TEST_CASE("random weights lie in 0 to 0.3 for every pair of each circuit and hand-wired ones connect each sense to its side") {
  Random rng(2);
  const std::vector<driver::Synapse> r = random_weights(3, rng);
  CHECK(r.size() == 3 * 20 * 10);
  for (const driver::Synapse& s : r) {
    CHECK((s.weight >= 0.0 && s.weight < 0.3));
    CHECK(s.source / 20 == s.target / 10);  // inside one boid's block
  }
  CHECK(std::abs(alignment_quality(r)) < 0.05);
  const std::vector<driver::Synapse> h = hand_wired(2, 0.25, 0.3);
  CHECK(alignment_quality(h) == Approx(0.25));
  for (const driver::Synapse& s : h) {
    const int population = static_cast<int>(s.source % 20) / 5, side = static_cast<int>(s.target % 10) / 5;
    const double expected = population % 2 != side ? 0.0 : population < 2 ? 0.25 : 0.3;
    CHECK(s.weight == expected);
  }
}

}  // namespace p3p::experiments::boid
