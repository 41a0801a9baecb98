// cart_balance's world alone: CartPole-v1's step, failure bounds, Barto's boxes, the normal draws and the
// window scores of a run of episodes.
#include <catch2/catch.hpp>

#include <cmath>
#include <numbers>
#include <set>

#include "experiments/cart_pole.hpp"

namespace p3p::experiments::cart {

TEST_CASE("one step from rest matches CartPole-v1's Euler step, mirrored for a push left") {
  const State r = step(State{}, true);
  CHECK(r.x == Approx(0.0));
  CHECK(r.x_dot == Approx(0.19512195).epsilon(1e-7));
  CHECK(r.theta == Approx(0.0));
  CHECK(r.theta_dot == Approx(-0.29268293).epsilon(1e-7));
  const State l = step(State{}, false);
  CHECK(l.x_dot == Approx(-r.x_dot));
  CHECK(l.theta_dot == Approx(-r.theta_dot));
  // Gravity pulls a tilted pole further over: theta' grows with theta when the cart is pushed toward it.
  const State tilted = step(State{0.0, 0.0, 0.1, 0.0}, true);
  CHECK(tilted.theta == Approx(0.1));
  CHECK(tilted.theta_dot > step(State{0.0, 0.0, 0.0, 0.0}, true).theta_dot);
}

TEST_CASE("the episode fails beyond 12 degrees or 2.4 m, not at them") {
  const double limit = 12.0 * std::numbers::pi / 180.0;
  CHECK_FALSE(failed(State{2.4, 0, limit, 0}));
  CHECK(failed(State{2.4001, 0, 0, 0}));
  CHECK(failed(State{-2.4001, 0, 0, 0}));
  CHECK(failed(State{0, 0, limit + 1e-6, 0}));
  CHECK(failed(State{0, 0, -limit - 1e-6, 0}));
}

TEST_CASE("the random initial state lies in +-0.05 and the boxes cover 0..161, one per bin combination") {
  Random rng(3);
  for (int i = 0; i < 200; ++i) {
    const State s = initial_state(rng);
    for (const double v : {s.x, s.x_dot, s.theta, s.theta_dot}) CHECK(std::abs(v) <= 0.05);
  }
  const double deg = std::numbers::pi / 180.0;
  std::set<int> seen;
  for (const double x : {-1.0, 0.0, 1.0})
    for (const double v : {-1.0, 0.0, 1.0})
      for (const double th : {-7.0, -3.0, -0.5, 0.5, 3.0, 7.0})
        for (const double om : {-60.0, 0.0, 60.0}) seen.insert(box(State{x, v, th * deg, om * deg}));
  CHECK(seen.size() == 162);
  CHECK(*seen.begin() == 0);
  CHECK(*seen.rbegin() == kBoxes - 1);
  CHECK(box(State{-1.0, -1.0, -7.0 * deg, -60.0 * deg}) == 0);
  CHECK(box(State{0.0, 0.0, 0.0, 0.0}) == 1 + 3 + 9 * 3 + 54);  // theta 0 falls in [0, 1) degrees
  CHECK(box(State{0.8, 0.0, 0.0, 0.0}) == box(State{0.0, 0.0, 0.0, 0.0}) + 1);  // an edge goes right
}

TEST_CASE("normal draws have the asked spread and no bias, and repeat with the seed") {
  Random a(11), b(11);
  double sum = 0.0, squares = 0.0;
  const int n = 20000;
  for (int i = 0; i < n; ++i) {
    const double x = normal(a, 0.02);
    CHECK(x == normal(b, 0.02));
    sum += x;
    squares += x * x;
  }
  CHECK(std::abs(sum / n) < 0.001);
  CHECK(std::sqrt(squares / n) == Approx(0.02).epsilon(0.03));
}

TEST_CASE("episode scores: windows, the first window to reach the goal, what held after it, blocks") {
  std::vector<int> lengths(300, 20);
  for (int i = 100; i < 200; ++i) lengths[static_cast<std::size_t>(i)] = 300;  // episodes 101..200 at 300
  const EpisodeScores s = score_episodes(lengths, 100, 195.0);
  CHECK(s.last_window_mean == Approx(20.0));
  CHECK(s.best_window_mean == Approx(300.0));
  REQUIRE(s.first_reaching.has_value());
  // The window of episodes 64..163 holds 63 at 300: mean 196.4, the first >= 195 (62 of them: 193.6).
  CHECK(*s.first_reaching == 163);
  CHECK(s.share_after_first > 0.0);
  CHECK(s.share_after_first < 1.0);
  CHECK(s.block_means == std::vector<double>{20.0, 300.0, 20.0});
  const EpisodeScores never = score_episodes(std::vector<int>(150, 50), 100, 195.0);
  CHECK_FALSE(never.first_reaching.has_value());
  CHECK(never.block_means == std::vector<double>{50.0, 50.0});
  // Fewer episodes than a window: one window of all of them.
  const EpisodeScores short_run = score_episodes(std::vector<int>{10, 30}, 100, 15.0);
  CHECK(short_run.last_window_mean == Approx(20.0));
  CHECK(short_run.first_reaching == 2);
}

}  // namespace p3p::experiments::cart
