#pragma once
// boid_swarm's world, apart from any cluster: boids in a 2-D periodic box, what each senses of its
// neighbours, how a turn moves it, and the flock's measures (polarisation, collisions) and the reward a
// boid's own turn earns. Pure and seeded (the numpy prototype's constants), so the
// protocol (boid_swarm.cpp) only moves the cluster, and this part is tested alone.
#include <cstdint>
#include <span>
#include <vector>

#include "experiments/pattern_env.hpp"

namespace p3p::experiments::boid {

using pattern::Random;

inline constexpr double kBox = 8.0;          // side of the periodic box
inline constexpr double kSpeed = 0.1;        // distance per step
inline constexpr double kHeadingNoise = 0.15;  // U(-0.15, 0.15) rad added to every heading each step
inline constexpr double kRadius = 2.0;       // neighbours: closer than this
inline constexpr double kSeparation = 0.5;   // too close: closer than this (the separation sense)
inline constexpr double kCollision = 0.2;    // a collision: a pair closer than this
inline constexpr double kSeparationGain = 3.0;  // weight of the separation improvement in the reward

double wrap(double angle);  // into [-pi, pi)

// What one boid senses. Errors are angles from its heading (left positive), 0 without anyone to sense.
struct Sense {
  double alignment = 0.0;   // toward the mean heading of its neighbours
  double separation = 0.0;  // toward away from the neighbours that are too close
  double cohesion = 0.0;    // toward the centroid of its neighbours
  bool neighbours = false;
  double mean_heading = 0.0;  // of the neighbours (valid with neighbours)
  double away = 0.0;          // direction away from the too-close ones
  double closeness = 0.0;     // in [0, 1]: how strongly they push (0: none too close)
};

struct Boid {
  double x = 0.0, y = 0.0, heading = 0.0;
};

class World {
 public:
  // `boids` boids at uniform positions and headings.
  World(int boids, Random& rng);
  explicit World(std::vector<Boid> boids) : boids_(std::move(boids)) {}

  std::vector<Sense> sense() const;
  int collisions() const;       // pairs closer than kCollision
  double polarisation() const;  // |mean unit heading|: 1 all alike, ~0 disordered
  // Each boid turns by its turn, its heading gets the noise, then it moves kSpeed ahead (wrapping).
  void move(std::span<const double> turns, Random& rng);
  const std::vector<Boid>& boids() const { return boids_; }

 private:
  std::vector<Boid> boids_;
};

// What a boid's own turn from `heading` to heading + turn did for it: the alignment with its neighbours'
// mean heading gained, plus kSeparationGain x the gain toward `away`, weighted by closeness.
double turn_reward(const Sense& s, double heading, double turn);

// Dopamine from every boid's reward: each boid's reward less its running mean (tau 50 steps), over 0.1,
// averaged over the flock (one dopamine for the region: the engine's reward is per projection, not per boid).
class FlockDopamine {
 public:
  explicit FlockDopamine(int boids) : mean_(static_cast<std::size_t>(boids), 0.0) {}
  double dopamine(std::span<const double> rewards);
 private:
  std::vector<double> mean_;
};

}  // namespace p3p::experiments::boid
