#include "client/experiment_catalog.hpp"

#include <algorithm>

namespace p3p::control {
namespace {

ArgSpec integer(std::string name, long long fallback, double min, double max, std::string help) {
  return {std::move(name), ArgType::integer, fallback, false, min, max, std::move(help)};
}

ArgSpec number(std::string name, double fallback, double min, double max, std::string help) {
  return {std::move(name), ArgType::number, fallback, false, min, max, std::move(help)};
}

ArgSpec optional_integer(std::string name, double min, double max, std::string help) {
  return {std::move(name), ArgType::integer, nullptr, true, min, max, std::move(help)};
}

// seq_gen: its arguments and criterion mirror experiments/seq_gen.cpp (the floors of issue 14).
ExperimentInfo seq_gen() {
  return {"seq_gen",
          "learns a symbol sequence from teacher-forced presentations (one sub-population per symbol-in-context, "
          "plastic recurrent projection one symbol long), then generates it from a cue of its first symbol",
          "Region_Seq",
          {"input", "hidden", "output"},
          {integer("epochs", 20, 1, 1000, "presentations of the sequence (generation is scored after each)"),
           optional_integer("seq_len", 2, 16,
                            "length of the sequence: drawn with sequence=random (default 8), else must match it"),
           {"sequence", ArgType::string, "010101", false, {}, {},
            "the taught sequence: up to 16 digits 0-3, or `random` (seq_len symbols over the alphabet, from the seed)"},
           optional_integer("alphabet", 2, 4,
                            "symbols 0..alphabet-1 (chance = 1/alphabet); default: the sequence's largest + 1, 4 for random")},
          "the generated sequence (after the cue) is perfect from the 3rd presentation at the latest to the last, and "
          "the same network with plasticity off scores <= chance",
          true};
}

// cart_balance: its arguments and criterion mirror experiments/cart_balance.cpp (the floors of issue 15).
ExperimentInfo cart_balance() {
  return {"cart_balance",
          "balances the classic cart-pole with a spiking actor-critic: 162 place cells (Barto's boxes) drive a "
          "left/right actor and a critic; the TD error is the dopamine of eligibility-trace STDP (TD-LTP)",
          "Region_Cart",
          {"actor_sensors", "actor", "critic_sensors", "critic"},
          {integer("episodes", 1000, 1, 100000, "learning episodes (the curve: mean episode length per 100)"),
           integer("steps_per_episode", 500, 1, 100000, "an episode's cap in environment steps (5 ticks each)"),
           integer("random_episodes", 100, 1, 100000, "episodes of the random policy, the baseline run first"),
           number("exploration_decay", 0.0, 0.0, 1e6,
                  "A: the actor's exploration noise scaled by A/(A + episode) (0: constant N(0, 0.02))"),
           number("dopamine_decay", 0.0, 0.0, 1e6, "A: the TD error sent scaled by A/(A + episode) (0: constant)")},
          "some 100 consecutive episodes average >= 195 steps and the last 100 average >= 100 (5 seeds: the last-100 "
          "means average >= 150; random policy ~22)",
          true};
}

// boid_swarm: its arguments and criterion mirror experiments/boid_swarm.cpp (the floors of issue 15).
ExperimentInfo boid_swarm() {
  return {"boid_swarm",
          "a flock of boids in a periodic box, each steered by its own spiking circuit (alignment and separation "
          "senses, turn left/right), learns to align by LTP-only eligibility STDP with the flock's reward as "
          "dopamine; against the same circuits with their random weights frozen and hand-wired",
          "Region_Flock",
          {"sense_1", "turn_1", "sense_2", "turn_2", "sense_3", "turn_3"},
          {integer("train_steps", 5000, 1, 100000, "environment steps of learning (10 ticks each)"),
           integer("eval_steps", 1000, 2, 100000, "steps of each frozen evaluation episode (2 per circuit; polarisation over the second half)"),
           integer("checkpoint_steps", 1000, 1, 100000, "training steps after which the circuit is evaluated frozen once (at most train_steps)"),
           integer("epoch_steps", 250, 1, 100000, "training steps per epoch (one point of the curve: online polarisation)")},
          "learnt polarisation >= 0.93 and >= 2.5x the random weights', collisions <= 0.05 per step, and "
          "polarisation >= 0.8 at the checkpoint",
          true};
}

// seizure_detect: its arguments and criterion mirror experiments/seizure_detect.cpp (the floors of issue 15).
ExperimentInfo seizure_detect() {
  return {"seizure_detect",
          "a spiking detector learns from labelled EEG-like recordings (1/f background, alpha, 3 Hz spike-and-wave "
          "episodes) to raise anomaly events, scored against a line-length detector tuned on the same data",
          "Region_Anomaly",
          {"input", "detector", "alert"},
          {integer("epochs", 10, 1, 1000, "training recordings, each with at least one episode (2-5x the background)"),
           number("epoch_seconds", 60, 40, 3600, "seconds of signal per training recording (128 samples/s)"),
           number("test_seconds", 1200, 60, 36000, "seconds of each test recording (one at 3-5x, one at 2x)"),
           integer("channels", 4, 1, 16, "channels of the recordings (6 input neurons each)")},
          "at 3-5x: event F1 >= 0.95, mean latency <= 1 s and <= 1.2x the line-length detector's; at 2x: F1 >= the "
          "line-length detector's",
          true};
}

// One entry per experiment, in the order experiments/registry.cpp lists them (the tests check they agree).
std::vector<ExperimentInfo> build() {
  std::vector<ExperimentInfo> c;
  c.push_back({"pattern_classify",
               "four noisy two-bit patterns learnt by reward-modulated STDP (eligibility traces, dopamine = reward - "
               "running mean), scored on held-out presentations (Region_Pattern)",
               "Region_Pattern", {"input", "hidden", "output"},
               {integer("epochs", 20, 1, 1000, "training epochs of 20 trials (45 ticks each)"),
                integer("pattern_len", 8, 1, 4096, "input neurons per line (4 lines: two on/off coded bits)"),
                integer("test_trials", 200, 4, 10000, "held-out noisy presentations scored, before and after training")},
               "held-out accuracy >= 0.93 after the training (5 seeds: mean >= 0.95; chance 0.25)", true});
  c.push_back({"rhythm_gen",
               "one kick starts a rhythm that sustains itself in a loop of excitation across nodeA and nodeC, kept "
               "to single-spike volleys by inhibition on nodeB; period, CV and duration for loop delays 1, 2, 4",
               "Region_Osc",
               {"excitatory_a", "inhibitory", "excitatory_b"},
               {integer("epochs", 20, 1, 1000, "epochs of the run after the kick (sustained ticks count whole epochs)"),
                integer("ticks_per_epoch", 100, 1, 10000, "ticks per epoch"),
                integer("pattern_len", 1, 1, 16, "ticks the kick into the first group lasts (the original's pattern_len)"),
                integer("loop_delay", 2, 1, 4, "the loop delay D reported first (ticks each way; period 2D); 1, 2, 4 always run"),
                integer("measure_ticks", 400, 20, 100000, "ticks after the kick read one by one for the period and CV")},
               "for each loop delay D of 1, 2, 4: activity sustained >= 1000 ticks after one kick, period = 2D +-10%, "
               "period CV <= 0.05",
               true});
  c.push_back({"hopfield_assoc",
               "sparse patterns stored by STDP in recurrent weights across nodeB and nodeC, recalled from cues with "
               "10/20/30% of their active neurons moved; overlap of the recalled state with the stored pattern",
               "Region_Memory",
               {"cue", "associative", "output"},
               {integer("epochs", 2, 1, 100, "presentations of every pattern (20 synchronous volleys each)"),
                integer("pattern_len", 16, 1, 100000, "active neurons per pattern (at most half the column)"),
                integer("patterns", 3, 1, 20, "patterns stored"),
                integer("probes", 20, 1, 1000, "noisy cues recalled per noise level"),
                number("recall_weight", 0.4, 0.0, 2.0, "W0: mean of the learned weights once scaled for recall"),
                number("recall_inhibition", 0.36, 0.0, 2.0, "G: uniform inhibition subtracted from every recall weight")},
               "at 20% of a cue's active neurons moved: mean overlap (Pearson) >= 0.95 and every probe >= 0.9",
               true});
  c.push_back(cart_balance());
  c.push_back(boid_swarm());
  c.push_back(seq_gen());
  c.push_back(seizure_detect());
  return c;
}

}  // namespace

const std::vector<ExperimentInfo>& experiment_catalog() {
  static const std::vector<ExperimentInfo> catalog = build();
  return catalog;
}

const ExperimentInfo* find_experiment(std::string_view name) {
  const auto& c = experiment_catalog();
  const auto it = std::find_if(c.begin(), c.end(), [&](const ExperimentInfo& e) { return e.name == name; });
  return it == c.end() ? nullptr : &*it;
}

}  // namespace p3p::control
