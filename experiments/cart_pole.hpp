#pragma once
// cart_balance's world, apart from any cluster: the classic cart-pole (Barto, Sutton & Anderson 1983, with
// CartPole-v1's constants and Euler step of 0.02 s), Barto's 162 boxes that turn a state into the one place
// cell that fires, and the scores of a run of episodes. Pure and seeded, so cart_balance.cpp only moves the
// cluster, and this part is tested alone.
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "experiments/pattern_env.hpp"

namespace p3p::experiments::cart {

using Random = pattern::Random;

inline constexpr int kBoxes = 162;  // x 3 x x' 3 x theta 6 x theta' 3

struct State {
  double x = 0.0;          // m
  double x_dot = 0.0;      // m/s
  double theta = 0.0;      // rad, 0 = upright
  double theta_dot = 0.0;  // rad/s
};

// Every component uniform in [-0.05, 0.05) (CartPole-v1's reset).
State initial_state(Random& rng);
// One Euler step of 0.02 s under a force of +10 N (push right) or -10 N.
State step(const State& s, bool push_right);
// |theta| > 12 degrees or |x| > 2.4 m.
bool failed(const State& s);
// Barto's box of the state, 0..161: x by +-0.8, x' by +-0.5, theta by -6, -1, 0, 1, 6 degrees, theta' by
// +-50 degrees/s.
int box(const State& s);

// One normal draw (Box-Muller on the generator's uniforms: the same on every standard library).
double normal(Random& rng, double sd);

// A run's episode lengths, scored over windows of consecutive episodes (the floor).
struct EpisodeScores {
  double last_window_mean = 0.0;            // mean of the last `window` episodes (all, if fewer)
  double best_window_mean = 0.0;            // best mean over `window` consecutive episodes
  std::optional<int> first_reaching;        // episodes run when a window mean first reached `goal`
  double share_after_first = 0.0;           // after that, the share of windows still >= goal
  std::vector<double> block_means;          // mean of each block of `window` episodes (the last may be short)
};
EpisodeScores score_episodes(std::span<const int> lengths, int window, double goal);

}  // namespace p3p::experiments::cart
