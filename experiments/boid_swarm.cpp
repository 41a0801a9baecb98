// boid_swarm: a flock that learns to align. Every boid of the world (boid_world.hpp) is steered by its own
// small spiking circuit (boid_circuit.hpp); Region_Flock holds them side by side in three parts of a third
// of the flock (roles sense_1/turn_1 .. sense_3/turn_3), each part's circuits crossing from one node to the
// next (topology/default.yaml).
//
// One environment step is kTicksPerStep ticks: the boids sense, their errors drive the sense populations
// and exploration the turn populations for the whole step (one schedule), the cluster runs the step (one
// advance), the turn populations' spike counts turn the boids (one spike_counts). While learning, the
// sense -> turn synapses (eligibility mode, LTP-only STDP, topology/default.yaml) take one dopamine for the
// region: the flock's mean of each boid's reward (what its own turn gained in alignment + 3 x separation)
// less its running mean (one set_reward), and each turn neuron's incoming weights are scaled back to
// kRowSum (one normalise per node's projection).
//
// Protocol, per seed: the random initial weights (U(0, 0.3), scaled to kRowSum) frozen, then a hand-wired
// circuit, are evaluated; then the circuit learns from the same random weights for train_steps, with a
// frozen evaluation after checkpoint_steps; then the learnt weights are evaluated frozen. An evaluation
// is 2 episodes of eval_steps from fixed starts and neuron noise (the same for every circuit): polarisation
// over each episode's second half, collisions per step over all of it.
#include <cmath>
#include <string>
#include <vector>

#include "experiments/boid_circuit.hpp"
#include "experiments/catalog_entries.hpp"

namespace p3p::experiments {
namespace {

using namespace boid;

constexpr double kRowSum = 3.0;  // each turn neuron's incoming weight: 20 inputs at the initial mean 0.15
constexpr double kHandAlign = 0.25, kHandSeparation = 0.3;
constexpr int kEvalEpisodes = 2;
constexpr std::uint64_t kEvalStream = 10000;  // evaluation episode e of seed s starts from 10000 + 97 s + e

Unexpected<Error> bad_args(std::string message) { return unexpected(Error{ErrorCode::bad_args, std::move(message)}); }
Unexpected<Error> cancelled() { return unexpected(Error{ErrorCode::cancelled, "boid_swarm cancelled"}); }

struct Setup {
  Run& run;
  Layout layout;
  std::vector<std::string> columns;  // every column of the circuits
};

// One part: its sense and turn columns, whole circuits in matching blocks, a plastic sense -> turn.
Expected<Part, Error> part_of(const Run& run, int index) {
  const std::string sense_role = "sense_" + std::to_string(index), turn_role = "turn_" + std::to_string(index);
  const topology::Column* sense = topology::find_column(run.topology, run.columns.at(sense_role));
  const topology::Column* turn = topology::find_column(run.topology, run.columns.at(turn_role));
  if (sense == nullptr || turn == nullptr) return unexpected(Error{ErrorCode::unknown_column, "a column of " + run.region + " is missing"});
  const auto boids = static_cast<int>(sense->size / kSenseNeurons);
  if (sense->size % kSenseNeurons != 0 || turn->size != static_cast<std::uint32_t>(boids * kTurnNeurons))
    return bad_args("the columns " + sense->id + " and " + turn->id + " must hold whole circuits: 20 sense and 10 turn "
                    "neurons per boid, not " + std::to_string(sense->size) + " and " + std::to_string(turn->size));
  for (const topology::Projection& p : run.topology.projections)
    if (p.from == sense->id && p.to == turn->id && p.plastic && p.blocks == static_cast<std::uint32_t>(boids))
      return Part{sense->id, turn->id, boids, 0};
  return bad_args(run.region + " needs a plastic projection " + sense->id + " -> " + turn->id + " with blocks: " +
                  std::to_string(boids) + " (one circuit per boid)");
}

Expected<Setup, Error> setup(Run& run) {
  Setup s{run, {}, {}};
  for (const int index : {1, 2, 3}) {
    auto part = part_of(run, index);
    if (!part) return unexpected(part.error());
    part->first = s.layout.boids;
    s.layout.boids += part->boids;
    s.columns.push_back(part->sense);
    s.columns.push_back(part->turn);
    s.layout.parts.push_back(*part);
  }
  if (s.layout.boids < 2) return bad_args(run.region + " holds " + std::to_string(s.layout.boids) + " boids: a flock needs 2 or more");
  return s;
}

struct StepResult {
  double polarisation = 0.0;
  int collisions = 0;
};

// One environment step; with `learn` the region gets the flock's dopamine and the weights are scaled.
Expected<StepResult, Error> step(const Setup& s, World& world, Random& rng, FlockDopamine* learn) {
  driver::ClusterDriver& d = s.run.driver;
  const std::int64_t t0 = d.tick();
  const std::vector<Sense> senses = world.sense();
  const StepResult result{0.0, world.collisions()};
  if (auto r = d.schedule(step_currents(s.layout, senses, rng, t0)); !r) return unexpected(r.error());
  const auto t1 = d.advance_to(t0 + kTicksPerStep);
  if (!t1) return unexpected(t1.error());
  const auto counts = d.spike_counts(t0, *t1);
  if (!counts) return unexpected(counts.error());
  const std::vector<double> turn = turns(s.layout, *counts);
  if (learn != nullptr) {
    std::vector<double> rewards(turn.size());
    for (std::size_t i = 0; i < turn.size(); ++i) rewards[i] = turn_reward(senses[i], world.boids()[i].heading, turn[i]);
    if (auto r = d.set_reward(learn->dopamine(rewards), *t1, s.run.region); !r) return unexpected(r.error());
    for (const Part& p : s.layout.parts)
      if (auto r = d.normalise(p.turn, p.sense, kRowSum); !r) return unexpected(r.error());
  }
  world.move(turn, rng);
  return StepResult{world.polarisation(), result.collisions};
}

struct Evaluation {
  double polarisation = 0.0;  // mean over the episodes' second halves
  double collisions = 0.0;    // per step
};

// Every episode starts clean and keyed by (seed, episode) alone: a quiet step lands what the last phase
// left (its spikes in flight, its last dopamine pulse), then the columns are reset with the episode's key
// as their noise seed. So every circuit meets the same world starts, heading noise, exploration and neuron
// noise, and the circuits compared differ in their weights only, wherever in the run they are evaluated.
Expected<void, Error> start_episode(const Setup& s, std::uint64_t key) {
  driver::ClusterDriver& d = s.run.driver;
  if (auto t = d.advance_to(d.tick() + kTicksPerStep); !t) return unexpected(t.error());
  if (auto r = d.reset_columns(s.columns, false, key); !r) return unexpected(r.error());
  return {};
}

// Frozen: no reward, and the dopamine, traces and eligibility of the last phase cleared.
Expected<Evaluation, Error> evaluate(const Setup& s, std::uint64_t seed, int episodes) {
  const int steps = s.run.args.at("eval_steps").get<int>();
  Evaluation e;
  for (int ep = 0; ep < episodes; ++ep) {
    const std::uint64_t key = kEvalStream + 97 * seed + static_cast<std::uint64_t>(ep);
    if (auto r = start_episode(s, key); !r) return unexpected(r.error());
    Random rng(key);
    World world(s.layout.boids, rng);
    double phi = 0.0;
    long collisions = 0;
    for (int i = 0; i < steps; ++i) {
      if (s.run.cancelled()) return cancelled();
      const auto r = step(s, world, rng, nullptr);
      if (!r) return unexpected(r.error());
      if (i >= steps / 2) phi += r->polarisation;
      collisions += r->collisions;
    }
    e.polarisation += phi / (steps - steps / 2) / episodes;
    e.collisions += static_cast<double>(collisions) / steps / episodes;
  }
  return e;
}

// Writes one weight set (per part, its circuits' synapses) into every part; `scale`: then scaled to kRowSum.
Expected<void, Error> write_weights(const Setup& s, const std::vector<std::vector<driver::Synapse>>& per_part, bool scale) {
  for (std::size_t i = 0; i < s.layout.parts.size(); ++i) {
    const Part& p = s.layout.parts[i];
    if (auto r = s.run.driver.set_weights(p.turn, p.sense, per_part[i]); !r) return unexpected(r.error());
    if (scale)
      if (auto r = s.run.driver.normalise(p.turn, p.sense, kRowSum); !r) return unexpected(r.error());
  }
  return {};
}

// alignment_quality of the circuits' weights as they stand.
Expected<double, Error> weight_quality(const Setup& s) {
  std::vector<driver::Synapse> all;
  for (const Part& p : s.layout.parts) {
    auto weights = s.run.driver.weights(p.turn);
    if (!weights) return unexpected(weights.error());
    for (const driver::ProjectionWeights& w : *weights)
      if (w.from == p.sense && w.plastic) all.insert(all.end(), w.synapses.begin(), w.synapses.end());
  }
  return alignment_quality(all);
}

struct Training {
  std::vector<double> curve;        // online polarisation per epoch
  std::vector<double> collisions;   // per step, per epoch
  Evaluation checkpoint;            // frozen, after checkpoint_steps
};

// train_steps of learning from the random weights already written, one world from `rng`; the frozen
// checkpoint evaluation after checkpoint_steps, then learning goes on where it was (traces cleared).
Expected<Training, Error> train(const Setup& s, std::uint64_t seed, Random& rng) {
  const int steps = s.run.args.at("train_steps").get<int>();
  const int per_epoch = s.run.args.at("epoch_steps").get<int>();
  const int checkpoint = s.run.args.at("checkpoint_steps").get<int>();
  const int epochs = (steps + per_epoch - 1) / per_epoch;
  if (auto r = s.run.driver.reset_columns(s.columns); !r) return unexpected(r.error());
  World world(s.layout.boids, rng);
  FlockDopamine dopamine(s.layout.boids);
  Training t;
  double phi = 0.0;
  long collisions = 0;
  for (int i = 1; i <= steps; ++i) {
    if (s.run.cancelled()) return cancelled();
    const auto r = step(s, world, rng, &dopamine);
    if (!r) return unexpected(r.error());
    phi += r->polarisation;
    collisions += r->collisions;
    if (i % per_epoch == 0 || i == steps) {
      const int n = i % per_epoch == 0 ? per_epoch : i % per_epoch;
      t.curve.push_back(phi / n);
      t.collisions.push_back(static_cast<double>(collisions) / n);
      s.run.progress({static_cast<int>(t.curve.size()), epochs, t.curve.back()});
      phi = 0.0;
      collisions = 0;
    }
    if (i == checkpoint) {
      auto e = evaluate(s, seed, kEvalEpisodes);
      if (!e) return unexpected(e.error());
      t.checkpoint = *e;
    }
  }
  return t;
}

double rounded(double x) { return std::round(x * 1e4) / 1e4; }

nlohmann::json rounded(const std::vector<double>& xs) {
  nlohmann::json out = nlohmann::json::array();
  for (const double x : xs) out.push_back(rounded(x));
  return out;
}

Outcome outcome(const Setup& s, const Evaluation& random, const Evaluation& hand, const Training& t,
                const Evaluation& learnt, double quality, double random_quality) {
  const nlohmann::json& a = s.run.args;
  Outcome o;
  o.score = learnt.polarisation;
  const double ratio = random.polarisation > 0.0 ? learnt.polarisation / random.polarisation : 0.0;
  o.parts = {{"polarisation", rounded(learnt.polarisation)},
             {"collisions_per_step", rounded(learnt.collisions)},
             {"polarisation_at_checkpoint", rounded(t.checkpoint.polarisation)},
             {"ratio_to_random_weights", rounded(ratio)},
             {"random_weights_collisions_per_step", rounded(random.collisions)},
             {"hand_wired_collisions_per_step", rounded(hand.collisions)}};
  o.baselines = {{"random_weights", rounded(random.polarisation)}, {"hand_wired", rounded(hand.polarisation)}};
  o.curve_unit = "polarisation";
  o.baseline_units = {{"random_weights", o.curve_unit}, {"hand_wired", o.curve_unit}};
  o.passed = learnt.polarisation >= 0.93 && ratio >= 2.5 && learnt.collisions <= 0.05 && t.checkpoint.polarisation >= 0.8;
  o.curve = t.curve;
  const int train_steps = a.at("train_steps").get<int>(), eval_steps = a.at("eval_steps").get<int>();
  o.details = {{"boids", s.layout.boids},
               {"ticks_per_step", kTicksPerStep},
               {"train_steps", train_steps},
               {"checkpoint_steps", a.at("checkpoint_steps").get<int>()},
               {"curve", "online polarisation per epoch of " + std::to_string(a.at("epoch_steps").get<int>()) + " training steps"},
               {"training_collisions_per_step", rounded(t.collisions)},
               {"alignment_weight_quality", rounded(quality)},
               // The random draw's own lean toward aligning: what its frozen control's polarisation follows.
               {"random_weights_alignment_quality", rounded(random_quality)},
               {"hand_wired_weights", {{"alignment", kHandAlign}, {"separation", kHandSeparation}}},
               {"env_steps", train_steps + eval_steps * 4 * kEvalEpisodes}};
  return o;
}

Expected<Outcome, Error> run_boids(Run& run) {
  auto s = setup(run);
  if (!s) return unexpected(s.error());
  const auto seed = run.args.at("seed").get<std::uint64_t>();
  Random rng(seed);
  std::vector<std::vector<driver::Synapse>> initial, hand;
  for (const Part& p : s->layout.parts) {
    initial.push_back(random_weights(p.boids, rng));
    hand.push_back(hand_wired(p.boids, kHandAlign, kHandSeparation));
  }
  if (auto r = write_weights(*s, initial, true); !r) return unexpected(r.error());
  const auto random_quality = weight_quality(*s);
  if (!random_quality) return unexpected(random_quality.error());
  const auto random = evaluate(*s, seed, kEvalEpisodes);
  if (!random) return unexpected(random.error());
  if (auto r = write_weights(*s, hand, false); !r) return unexpected(r.error());
  const auto wired = evaluate(*s, seed, kEvalEpisodes);
  if (!wired) return unexpected(wired.error());
  if (auto r = write_weights(*s, initial, true); !r) return unexpected(r.error());
  const auto trained = train(*s, seed, rng);
  if (!trained) return unexpected(trained.error());
  const auto learnt = evaluate(*s, seed, kEvalEpisodes);
  if (!learnt) return unexpected(learnt.error());
  const auto quality = weight_quality(*s);
  if (!quality) return unexpected(quality.error());
  return outcome(*s, *random, *wired, *trained, *learnt, *quality, *random_quality);
}

}  // namespace

Expected<void, Error> check_boid_swarm(const nlohmann::json& args) {
  if (args.at("checkpoint_steps").get<int>() > args.at("train_steps").get<int>())
    return bad_args("checkpoint_steps " + std::to_string(args.at("checkpoint_steps").get<int>()) +
                    " is past the training's end (train_steps " + std::to_string(args.at("train_steps").get<int>()) + ")");
  return {};
}

Expected<Outcome, Error> run_boid_swarm(Run& run) { return run_boids(run); }

}  // namespace p3p::experiments
