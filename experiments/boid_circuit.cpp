#include "experiments/boid_circuit.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace p3p::experiments::boid {
namespace {

constexpr double kPi = std::numbers::pi;

int side_of_sense(std::uint32_t source) { return static_cast<int>(source % kSenseNeurons) / kPerPopulation % 2; }
int side_of_turn(std::uint32_t target) { return static_cast<int>(target % kTurnNeurons) / kPerPopulation; }
bool alignment_sense(std::uint32_t source) { return static_cast<int>(source % kSenseNeurons) < 2 * kPerPopulation; }

// Every (sense, turn) pair of `boids` circuits, in a fixed order, with weight w(source, target).
template <class W>
std::vector<driver::Synapse> circuits(int boids, W&& w) {
  std::vector<driver::Synapse> out;
  out.reserve(static_cast<std::size_t>(boids) * kSenseNeurons * kTurnNeurons);
  for (int b = 0; b < boids; ++b)
    for (int t = 0; t < kTurnNeurons; ++t)
      for (int s = 0; s < kSenseNeurons; ++s) {
        const auto source = static_cast<std::uint32_t>(b * kSenseNeurons + s);
        const auto target = static_cast<std::uint32_t>(b * kTurnNeurons + t);
        out.push_back({source, target, w(source, target)});
      }
  return out;
}

// The left (positive error) or right population of sense `pair` (0 alignment, 1 separation) gets the
// error's rate current for every tick of the step.
void drive_sense(std::vector<driver::Current>& out, const Part& part, int local, int pair, double error, std::int64_t t0) {
  if (error == 0.0) return;
  const int population = 2 * pair + (error > 0.0 ? 0 : 1);
  const double current = kRateGain * std::abs(error) / kPi;
  const int first = local * kSenseNeurons + population * kPerPopulation;
  for (std::int64_t t = 0; t < kTicksPerStep; ++t)
    for (int n = 0; n < kPerPopulation; ++n)
      out.push_back({part.sense, static_cast<std::uint32_t>(first + n), t0 + t, current});
}

}  // namespace

double normal(Random& rng) {
  const double u1 = 1.0 - rng.uniform();  // (0, 1]: the log stays finite
  const double u2 = rng.uniform();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * kPi * u2);
}

std::vector<driver::Current> step_currents(const Layout& layout, std::span<const Sense> senses, Random& rng,
                                           std::int64_t t0) {
  std::vector<driver::Current> out;
  out.reserve(static_cast<std::size_t>(layout.boids) * kTicksPerStep * (2 * kPerPopulation + kTurnNeurons));
  for (const Part& part : layout.parts)
    for (int local = 0; local < part.boids; ++local) {
      const Sense& s = senses[static_cast<std::size_t>(part.first + local)];
      drive_sense(out, part, local, 0, s.alignment, t0);
      drive_sense(out, part, local, 1, s.separation, t0);
    }
  // Exploration: one draw per turn population per tick, shared by its neurons (the population wavers).
  for (std::int64_t t = 0; t < kTicksPerStep; ++t)
    for (const Part& part : layout.parts)
      for (int p = 0; p < 2 * part.boids; ++p) {
        const double current = kExplorationMean + kExplorationSd * normal(rng);
        for (int n = 0; n < kPerPopulation; ++n)
          out.push_back({part.turn, static_cast<std::uint32_t>(p * kPerPopulation + n), t0 + t, current});
      }
  return out;
}

std::vector<double> turns(const Layout& layout, const driver::SpikeCounts& counts) {
  std::vector<double> out(static_cast<std::size_t>(layout.boids), 0.0);
  for (const Part& part : layout.parts) {
    const auto it = counts.per_neuron.find(part.turn);
    if (it == counts.per_neuron.end()) continue;
    const std::vector<std::uint64_t>& spikes = it->second;
    for (int local = 0; local < part.boids; ++local) {
      double left = 0.0, right = 0.0;
      for (int n = 0; n < kTurnNeurons; ++n) {
        const auto i = static_cast<std::size_t>(local * kTurnNeurons + n);
        const double c = i < spikes.size() ? static_cast<double>(spikes[i]) : 0.0;
        (n < kPerPopulation ? left : right) += c;
      }
      out[static_cast<std::size_t>(part.first + local)] =
          std::clamp(kTurnGain * (left - right) / kPerPopulation, -kMaxTurn, kMaxTurn);
    }
  }
  return out;
}

std::vector<driver::Synapse> random_weights(int boids, Random& rng) {
  return circuits(boids, [&rng](std::uint32_t, std::uint32_t) { return rng.uniform(0.0, 0.3); });
}

std::vector<driver::Synapse> hand_wired(int boids, double align, double separation) {
  return circuits(boids, [=](std::uint32_t s, std::uint32_t t) {
    if (side_of_sense(s) != side_of_turn(t)) return 0.0;
    return alignment_sense(s) ? align : separation;
  });
}

double alignment_quality(std::span<const driver::Synapse> synapses) {
  double same = 0.0, across = 0.0;
  int n_same = 0, n_across = 0;
  for (const driver::Synapse& w : synapses) {
    if (!alignment_sense(w.source)) continue;
    if (side_of_sense(w.source) == side_of_turn(w.target)) {
      same += w.weight;
      ++n_same;
    } else {
      across += w.weight;
      ++n_across;
    }
  }
  if (n_same == 0 || n_across == 0) return 0.0;
  return same / n_same - across / n_across;
}

}  // namespace p3p::experiments::boid
