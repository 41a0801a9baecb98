#pragma once
// cart_balance's spiking actor-critic as the cluster holds it (Region_Cart), and what one environment step
// sends to it and reads from it. Roles: `actor` (two halves: push left, push right, with mutual inhibition),
// `critic` (its spike count codes the value), and beside each its own copy of the 162 place cells, one per
// Barto box (`actor_sensors`, `critic_sensors`), driven alike, feeding it through a plastic projection in
// eligibility mode (the topology sets its tau_c, eta and bounds).
//
// The host supplies what the prototype's neurons got as constant currents: the active box's place cells
// fire every tick, the actor halves a tonic drive plus one exploration draw per half per step, each critic
// neuron its own tonic drive. The engine leaks an injected current once (v <- (v + I) * leak + baseline),
// so each is sent divided by its column's leak, to act as the prototype's v <- v * leak + baseline + I.
#include <cstdint>
#include <string>
#include <vector>

#include "experiments/cart_pole.hpp"
#include "experiments/experiment.hpp"

namespace p3p::experiments::cart {

inline constexpr std::int64_t kTicksPerStep = 5;

struct Network {
  std::vector<std::string> place_cells;  // the actor's, then the critic's: both driven with the active box
  std::string actor, critic;
  int per_side = 0;                      // actor neurons per half (left: [0, per_side), right: the rest)
  double actor_place_leak = 0.95, critic_place_leak = 0.95, actor_leak = 0.95, critic_leak = 0.95;
  double critic_w_min = 0.0;             // the critic projection's lower bound (the value scale's floor)
  std::vector<double> critic_tonic;      // per critic neuron, drawn once per run
};

// The network of the run's region, with the critic's tonic currents drawn from `rng`; bad_args naming what
// does not fit (sizes, a missing plastic projection).
Expected<Network, Error> network(const Run& run, double tonic_lo, double tonic_hi, Random& rng);

struct StepDrive {
  int box = -1;                   // -1: no place cell driven
  double actor_left = 0.0;        // drive of each half (tonic + exploration)
  double actor_right = 0.0;
  double critic_offset = 0.0;     // added to every critic neuron's tonic drive (calibration)
};

// Every current of one step starting at tick t0 (kTicksPerStep ticks).
std::vector<driver::Current> step_currents(const Network& n, const StepDrive& drive, std::int64_t t0);

struct StepSpikes {
  std::uint64_t left = 0, right = 0, critic = 0;
};
StepSpikes read_step(const Network& n, const driver::SpikeCounts& counts);

}  // namespace p3p::experiments::cart
