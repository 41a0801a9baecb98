#pragma once
// boid_swarm's circuits: one small spiking circuit per boid, side by side in shared columns (the topology's
// `blocks`), in parts of a third of the flock each: a sense column of 4 populations of 5 per boid
// (alignment left/right, separation left/right) and a turn column of 2 populations of 5 (turn left/right,
// inhibiting each other). What goes in (rate-coded currents, exploration) and what comes out
// (a turn from the spike counts) is here, apart from the protocol (boid_swarm.cpp).
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "driver/cluster_driver.hpp"
#include "experiments/boid_world.hpp"

namespace p3p::experiments::boid {

inline constexpr int kPerPopulation = 5;
inline constexpr int kSensePopulations = 4;  // alignment L, alignment R, separation L, separation R
inline constexpr int kSenseNeurons = kSensePopulations * kPerPopulation;  // per boid
inline constexpr int kTurnNeurons = 2 * kPerPopulation;                   // per boid: turn L, turn R
inline constexpr std::int64_t kTicksPerStep = 10;
inline constexpr double kRateGain = 0.5;          // input current 0.5 |error| / pi per tick
inline constexpr double kExplorationMean = 0.02;  // per turn population per tick, plus N(0, sd)
inline constexpr double kExplorationSd = 0.03;
inline constexpr double kTurnGain = 0.15;         // turn = 0.15 (L - R) / 5 rad
inline constexpr double kMaxTurn = 0.6;

// One part's circuits: boids [first, first + boids) of the flock.
struct Part {
  std::string sense, turn;  // column ids
  int boids = 0;
  int first = 0;
};

struct Layout {
  std::vector<Part> parts;
  int boids = 0;  // in all parts
};

double normal(Random& rng);  // N(0, 1), Box-Muller on our own uniform draws

// Every current of one step from tick t0: each sensed error drives its left or right population for the
// whole step; each turn population gets its exploration current, drawn per tick.
std::vector<driver::Current> step_currents(const Layout& layout, std::span<const Sense> senses, Random& rng,
                                           std::int64_t t0);

// Each boid's turn from its turn populations' spike counts over the step.
std::vector<double> turns(const Layout& layout, const driver::SpikeCounts& counts);

// The synapses of `boids` circuits (sense -> turn, inside each block), with weights U(0, 0.3).
std::vector<driver::Synapse> random_weights(int boids, Random& rng);
// Hand-wired: each sense population onto the turn to its side (alignment `align`, separation `separation`),
// nothing across.
std::vector<driver::Synapse> hand_wired(int boids, double align, double separation);
// Mean weight of the alignment inputs onto the turn to their side less onto the other (0 for random
// weights, 0.25 hand-wired): how much of the right mapping was learnt.
double alignment_quality(std::span<const driver::Synapse> synapses);

}  // namespace p3p::experiments::boid
