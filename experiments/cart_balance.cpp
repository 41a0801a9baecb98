// cart_balance: a spiking actor-critic learns to balance the cart-pole from the TD error as dopamine
// (Fremaux, Sprekeler & Gerstner 2013, "TD-LTP"), on Region_Cart: the actor on nodeB, the critic on nodeC,
// each beside its copy of the place cells (cart_network.hpp).
//
// Each environment step is kTicksPerStep ticks: the active box's place cells fire every tick; the actor
// half (left/right) that fires more pushes the cart (a tie at random); the critic's spike count, against
// its count with every weight at 0 (C0, measured while the random policy runs), is the value
// V = kappa * (count - C0) / (C0 - C_floor), C_floor its count with every weight at the critic's w_min.
// The TD error delta = r + gamma V' - V (r = -1 on failure) goes as one dopamine pulse (tau_d ~ 0) to the
// region at the start of the next step; the projections in eligibility mode with LTP-only STDP (a_minus 0)
// turn it into weight changes eta * c * delta. Per step: one schedule, one advance, one spike_counts, at
// most one set_reward. An episode ends on failure or at the cap; then one quiet step lets the last pulse
// land and what is in flight arrive, and the region's potentials, traces and eligibility are reset (the
// weights stay).
//
// Phases: the random policy (its mean episode length is the baseline; the critic's C0 comes with it), one
// calibration block with the critic driven at its floor (C_floor), then the learning episodes. The curve
// is the mean episode length per block of 100 episodes.
#include <cmath>
#include <string>
#include <vector>

#include "experiments/cart_network.hpp"
#include "experiments/catalog_entries.hpp"

namespace p3p::experiments {
namespace {

using namespace cart;

constexpr double kActorDrive = 0.35, kExploration = 0.02;  // per half; one exploration draw per half per step
constexpr double kCriticLo = 0.3, kCriticHi = 0.6;         // critic tonic drives, uniform per neuron
constexpr double kGamma = 0.95, kKappa = 1.2;
constexpr int kWindow = 100;                               // episodes per window and per curve point
constexpr double kGoal = 195.0;
constexpr int kCalibrationSteps = 40;
constexpr std::uint64_t kPolicyStream = 0x6a09e667f3bcc908ULL;  // the run's draws, apart from the critic's tonics

Unexpected<Error> cancelled() { return unexpected(Error{ErrorCode::cancelled, "cart_balance cancelled"}); }

struct Session {
  Run& run;
  const Network& net;
  Random& rng;
  int cap = 500;
  double exploration = kExploration;   // this episode's (annealed with exploration_decay)
  double learning = 1.0;               // this episode's dopamine scale (annealed with dopamine_decay)
  std::uint64_t env_steps = 0;
  double c0 = 0.0, value_scale = 0.0;  // V = value_scale * (count - c0)
};

// One step's drive: the active box, the actor's tonic drive with this step's exploration.
StepDrive drive_for(const State& s, double exploration, Random& rng) {
  StepDrive d;
  d.box = box(s);
  d.actor_left = kActorDrive + normal(rng, exploration);
  d.actor_right = kActorDrive + normal(rng, exploration);
  return d;
}

// A / (A + episode): 1 at the start, 1/2 after A episodes; A = 0: constant.
double annealed(double a, int episode) { return a > 0.0 ? a / (a + episode) : 1.0; }

// One step: the pending dopamine (if any), the step's currents, advance, read.
Expected<StepSpikes, Error> env_step(Session& s, const StepDrive& drive, double dopamine) {
  driver::ClusterDriver& d = s.run.driver;
  const std::int64_t t0 = d.tick();
  if (dopamine != 0.0)
    if (auto r = d.set_reward(dopamine, t0, s.run.region); !r) return unexpected(r.error());
  const std::vector<driver::Current> currents = step_currents(s.net, drive, t0);
  if (auto r = d.schedule(currents); !r) return unexpected(r.error());
  const auto reached = d.advance_to(t0 + kTicksPerStep);
  if (!reached) return unexpected(reached.error());
  const auto counts = d.spike_counts(t0, *reached);
  if (!counts) return unexpected(counts.error());
  ++s.env_steps;
  return read_step(s.net, *counts);
}

// After an episode: the last pulse lands during one quiet step, then the region starts afresh (weights kept).
Expected<void, Error> end_episode(Session& s, double dopamine) {
  driver::ClusterDriver& d = s.run.driver;
  const std::int64_t t0 = d.tick();
  if (dopamine != 0.0)
    if (auto r = d.set_reward(dopamine, t0, s.run.region); !r) return unexpected(r.error());
  if (auto r = d.advance_to(t0 + kTicksPerStep); !r) return unexpected(r.error());
  return d.reset_region(s.run.region);
}

// One episode; `learn`: the actor decides and the TD error is the dopamine, else the policy is random and
// the critic's counts add to `critic_counts` (C0). Returns its length in steps.
Expected<int, Error> episode(Session& s, bool learn, double* critic_counts) {
  State state = initial_state(s.rng);
  double v_prev = 0.0, pending = 0.0;
  for (int steps = 1;; ++steps) {
    if (s.run.cancelled()) return cancelled();
    const auto spikes = env_step(s, drive_for(state, s.exploration, s.rng), learn ? s.learning * pending : 0.0);
    if (!spikes) return unexpected(spikes.error());
    bool right = spikes->right > spikes->left;
    if (!learn || spikes->right == spikes->left) right = s.rng.below(2) == 1;
    if (critic_counts != nullptr) *critic_counts += static_cast<double>(spikes->critic);
    const double v = s.value_scale * (static_cast<double>(spikes->critic) - s.c0);
    pending = steps > 1 ? kGamma * v - v_prev : 0.0;
    v_prev = v;
    state = step(state, right);
    const bool fell = failed(state);
    if (fell) pending += -1.0 - v;
    if (fell || steps >= s.cap) {
      if (auto r = end_episode(s, learn ? s.learning * pending : 0.0); !r) return unexpected(r.error());
      return steps;
    }
  }
}

// The critic's mean count per step with every neuron's drive lowered by |w_min| (all weights at the floor).
Expected<double, Error> critic_floor(Session& s) {
  StepDrive drive;
  drive.critic_offset = s.net.critic_w_min;
  double count = 0.0;
  for (int i = 0; i < kCalibrationSteps; ++i) {
    const auto spikes = env_step(s, drive, 0.0);
    if (!spikes) return unexpected(spikes.error());
    if (i >= kCalibrationSteps / 2) count += static_cast<double>(spikes->critic);
  }
  if (auto r = end_episode(s, 0.0); !r) return unexpected(r.error());
  return count / (kCalibrationSteps - kCalibrationSteps / 2);
}

Expected<double, Error> random_policy(Session& s, int episodes) {
  double lengths = 0.0, critic = 0.0;
  const std::uint64_t steps_before = s.env_steps;
  for (int e = 0; e < episodes; ++e) {
    const auto n = episode(s, false, &critic);
    if (!n) return unexpected(n.error());
    lengths += *n;
  }
  s.c0 = critic / static_cast<double>(s.env_steps - steps_before);
  return lengths / episodes;
}

Outcome outcome(const std::vector<int>& lengths, double random_mean, const Session& s, double c_floor) {
  const EpisodeScores sc = score_episodes(lengths, kWindow, kGoal);
  Outcome o;
  o.score = sc.last_window_mean;
  o.curve = sc.block_means;
  o.parts = {{"last_100_mean", sc.last_window_mean},
             {"best_100_mean", sc.best_window_mean},
             {"episodes_to_first_195", sc.first_reaching ? nlohmann::json(*sc.first_reaching) : nlohmann::json(nullptr)},
             {"share_of_windows_at_195_after_first", sc.share_after_first},
             {"episodes", lengths.size()}};
  o.baselines = {{"random_policy", random_mean}};
  o.curve_unit = "steps per episode";
  o.baseline_units = {{"random_policy", o.curve_unit}};
  o.passed = sc.best_window_mean >= kGoal && sc.last_window_mean >= 100.0;
  double first = 0.0;
  const std::size_t n20 = std::min<std::size_t>(20, lengths.size());
  for (std::size_t i = 0; i < n20; ++i) first += lengths[i];
  o.details = {{"env_steps", s.env_steps}, {"episodes_per_curve_point", kWindow}, {"ticks_per_step", kTicksPerStep},
               {"first_20_mean", n20 == 0 ? 0.0 : first / static_cast<double>(n20)},
               {"critic_c0", s.c0}, {"critic_floor", c_floor}, {"episode_lengths_last_100",
               std::vector<int>(lengths.end() - static_cast<std::ptrdiff_t>(std::min<std::size_t>(100, lengths.size())), lengths.end())}};
  return o;
}

Expected<Outcome, Error> run_cart(Run& run) {
  const auto seed = run.args.at("seed").get<std::uint64_t>();
  Random tonic_rng(seed);
  const auto net = network(run, kCriticLo, kCriticHi, tonic_rng);
  if (!net) return unexpected(net.error());
  // A step reads the actor and the critic only: the 324 place cells' counts need not travel every step.
  if (auto ok = run.driver.watch({net->actor, net->critic}); !ok) return unexpected(ok.error());
  Random rng(seed ^ kPolicyStream);
  Session s{run, *net, rng, run.args.at("steps_per_episode").get<int>()};
  const auto random_mean = random_policy(s, run.args.at("random_episodes").get<int>());
  if (!random_mean) return unexpected(random_mean.error());
  const auto c_floor = critic_floor(s);
  if (!c_floor) return unexpected(c_floor.error());
  s.value_scale = s.c0 > *c_floor ? kKappa / (s.c0 - *c_floor) : 0.0;
  const int episodes = run.args.at("episodes").get<int>();
  const double exploration_decay = run.args.at("exploration_decay").get<double>();
  const double dopamine_decay = run.args.at("dopamine_decay").get<double>();
  std::vector<int> lengths;
  for (int e = 0; e < episodes; ++e) {
    s.exploration = kExploration * annealed(exploration_decay, e);
    s.learning = annealed(dopamine_decay, e);
    const auto n = episode(s, true, nullptr);
    if (!n) return unexpected(n.error());
    lengths.push_back(*n);
    if (lengths.size() % kWindow == 0 || e + 1 == episodes) {
      const EpisodeScores sc = score_episodes(lengths, kWindow, kGoal);
      run.progress({static_cast<int>((lengths.size() + kWindow - 1) / kWindow), (episodes + kWindow - 1) / kWindow,
                    sc.block_means.back()});
    }
  }
  return outcome(lengths, *random_mean, s, *c_floor);
}

}  // namespace

Expected<Outcome, Error> run_cart_balance(Run& run) { return run_cart(run); }

}  // namespace p3p::experiments
