#include "experiments/boid_world.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace p3p::experiments::boid {
namespace {

constexpr double kPi = std::numbers::pi;

double floor_mod(double a, double m) { return a - m * std::floor(a / m); }

// The shortest periodic offset from a to b along one axis.
double offset(double a, double b) {
  const double d = b - a;
  return d - kBox * std::round(d / kBox);
}

}  // namespace

double wrap(double angle) { return floor_mod(angle + kPi, 2.0 * kPi) - kPi; }

World::World(int boids, Random& rng) : boids_(static_cast<std::size_t>(boids)) {
  for (Boid& b : boids_) {
    b.x = rng.uniform(0.0, kBox);
    b.y = rng.uniform(0.0, kBox);
  }
  for (Boid& b : boids_) b.heading = rng.uniform(-kPi, kPi);
}

std::vector<Sense> World::sense() const {
  std::vector<Sense> out(boids_.size());
  for (std::size_t i = 0; i < boids_.size(); ++i) {
    const Boid& me = boids_[i];
    double hx = 0.0, hy = 0.0, cx = 0.0, cy = 0.0, rx = 0.0, ry = 0.0;
    bool close = false, any = false;
    for (std::size_t j = 0; j < boids_.size(); ++j) {
      if (j == i) continue;
      const double dx = offset(me.x, boids_[j].x), dy = offset(me.y, boids_[j].y);
      const double dist = std::hypot(dx, dy);
      if (dist >= kRadius) continue;
      any = true;
      hx += std::cos(boids_[j].heading);
      hy += std::sin(boids_[j].heading);
      cx += dx;
      cy += dy;
      if (dist >= kSeparation) continue;
      // Pushed away from each too-close neighbour, the harder the closer.
      const double weight = (kSeparation - dist) / kSeparation / std::max(dist, 1e-9);
      rx -= weight * dx;
      ry -= weight * dy;
      close = true;
    }
    Sense& s = out[i];
    s.neighbours = any;
    if (s.neighbours) {
      s.mean_heading = std::atan2(hy, hx);
      s.alignment = wrap(s.mean_heading - me.heading);
      s.cohesion = wrap(std::atan2(cy, cx) - me.heading);
    }
    s.away = std::atan2(ry, rx);
    s.closeness = std::min(1.0, std::hypot(rx, ry));
    if (close) s.separation = wrap(s.away - me.heading);
  }
  return out;
}

int World::collisions() const {
  int n = 0;
  for (std::size_t i = 0; i < boids_.size(); ++i)
    for (std::size_t j = i + 1; j < boids_.size(); ++j)
      if (std::hypot(offset(boids_[i].x, boids_[j].x), offset(boids_[i].y, boids_[j].y)) < kCollision) ++n;
  return n;
}

double World::polarisation() const {
  if (boids_.empty()) return 0.0;
  double x = 0.0, y = 0.0;
  for (const Boid& b : boids_) {
    x += std::cos(b.heading);
    y += std::sin(b.heading);
  }
  return std::hypot(x, y) / static_cast<double>(boids_.size());
}

void World::move(std::span<const double> turns, Random& rng) {
  for (std::size_t i = 0; i < boids_.size(); ++i) {
    Boid& b = boids_[i];
    const double turn = i < turns.size() ? turns[i] : 0.0;
    b.heading = wrap(wrap(b.heading + turn) + rng.uniform(-kHeadingNoise, kHeadingNoise));
    b.x = floor_mod(b.x + kSpeed * std::cos(b.heading), kBox);
    b.y = floor_mod(b.y + kSpeed * std::sin(b.heading), kBox);
  }
}

double turn_reward(const Sense& s, double heading, double turn) {
  const double after = heading + turn;
  double r = 0.0;
  if (s.neighbours) r += std::cos(after - s.mean_heading) - std::cos(heading - s.mean_heading);
  r += kSeparationGain * s.closeness * (std::cos(after - s.away) - std::cos(heading - s.away));
  return r;
}

double FlockDopamine::dopamine(std::span<const double> rewards) {
  constexpr double kTau = 50.0, kScale = 0.1;
  double sum = 0.0;
  for (std::size_t i = 0; i < mean_.size() && i < rewards.size(); ++i) {
    sum += (rewards[i] - mean_[i]) / kScale;
    mean_[i] += (rewards[i] - mean_[i]) / kTau;
  }
  return mean_.empty() ? 0.0 : sum / static_cast<double>(mean_.size());
}

}  // namespace p3p::experiments::boid
