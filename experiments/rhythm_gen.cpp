// rhythm_gen: one kick starts a rhythm that sustains itself in Region_Osc. The excitatory columns A and C
// (nodeA, nodeC) each hold kGroups groups of kGroup neurons; a loop of delay D is the chain of groups
// A0 -> C0 -> A1 -> C1 -> ... -> C(D-1) -> A0, every hop one tick across nodes, so the kicked group A0 fires
// every 2D ticks. The inhibitory column (nodeB), fed by A, keeps each volley to one spike per neuron. The
// topology builds both loop projections at weight 0 and frozen; each run writes the hops of its loop (a
// random half of each group pair, from the seed) and resets the region afterwards. The baseline is the
// region without a loop - the original's design - which falls silent after the kick.
//
// Measured on the kicked group: its spikes per tick for the first measure_ticks (one driver step per tick),
// then per epoch. Period and CV from the volley onsets, frequency from the autocorrelation peak, sustained
// ticks = whole epochs in a row in which the group kept firing.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "experiments/catalog_entries.hpp"
#include "experiments/rhythm_analysis.hpp"

namespace p3p::experiments {
namespace {

using driver::Synapse;

constexpr std::uint32_t kGroup = 40;     // neurons per group of an excitatory column
constexpr std::uint32_t kGroups = 4;     // groups per column: loops of delay 1 to kGroups
// ~20 inputs of 0.15 from a volley: 3.0. A group fires once per loop but the inhibition, fed by every group of
// A, comes every 2 ticks: in a loop of delay 4 a neuron sinks to about -0.7 between its spikes.
constexpr double kHopWeight = 0.15;
constexpr double kHopProbability = 0.5;
constexpr double kKick = 1.5;            // one tick of it makes a resting neuron fire
constexpr double kVolley = kGroup / 4.0; // spikes in one tick that count as a volley of the group
constexpr std::size_t kTransient = 16;   // ticks after the kick left out of the period
constexpr double kPeriodTolerance = 0.1; // pass: period within 2D +-10%
constexpr double kMaxCv = 0.05;
constexpr std::int64_t kMinSustained = 1000;
constexpr std::int64_t kSettleTicks = 5; // spikes in flight die out (the region's delays are 1)
const std::vector<int> kSweep = {1, 2, 4};

struct Roles {
  std::string region, a, c;
};

struct LoopResult {
  std::int64_t sustained = 0;
  std::uint64_t spikes = 0;  // of the kicked group, over the whole run
  std::optional<rhythm::Period> period;
  std::optional<double> frequency;
  std::vector<double> rate;  // the kicked group's spikes per tick, per epoch
};

Error cancelled() { return {ErrorCode::cancelled, "rhythm_gen cancelled"}; }

// The hops of a loop of delay `delay`: A group g -> C group g, C group g -> A group (g+1) % delay.
void add_hop(std::vector<Synapse>& out, std::uint32_t from_group, std::uint32_t to_group, std::mt19937_64& rng) {
  for (std::uint32_t s = 0; s < kGroup; ++s)
    for (std::uint32_t t = 0; t < kGroup; ++t)
      if (static_cast<double>(rng() >> 11) * 0x1.0p-53 < kHopProbability)
        out.push_back({from_group * kGroup + s, to_group * kGroup + t, kHopWeight});
}

Expected<void, Error> write_loop(driver::ClusterDriver& d, const Roles& r, int delay, std::uint64_t seed) {
  std::mt19937_64 rng(seed * 0x9E3779B97F4A7C15ull + static_cast<std::uint64_t>(delay));
  std::vector<Synapse> a_to_c, c_to_a;
  const auto groups = static_cast<std::uint32_t>(delay);
  for (std::uint32_t g = 0; g < groups; ++g) {
    add_hop(a_to_c, g, g, rng);
    add_hop(c_to_a, g, (g + 1) % groups, rng);
  }
  if (auto ok = d.set_weights(r.c, r.a, a_to_c); !ok) return ok;
  return d.set_weights(r.a, r.c, c_to_a);
}

// The region back to its built state (no loop) with nothing of it in flight, its noise keyed by the seed
// from here (so a run does not depend on the tick it starts at).
Expected<void, Error> settle(driver::ClusterDriver& d, const Roles& r, std::uint64_t seed) {
  if (auto ok = d.reset_region(r.region, true, seed); !ok) return ok;
  if (auto t = d.advance_to(d.tick() + kSettleTicks); !t) return unexpected(t.error());
  return d.reset_region(r.region, true, seed);
}

Expected<std::uint64_t, Error> group_spikes(const driver::ClusterDriver& d, const std::string& column, std::int64_t from,
                                            std::int64_t to) {
  auto counts = d.spike_counts(from, to);
  if (!counts) return unexpected(counts.error());
  const auto& n = counts->per_neuron.at(column);
  return std::accumulate(n.begin(), n.begin() + kGroup, std::uint64_t{0});
}

struct Schedule {
  int epochs = 0;
  std::int64_t ticks_per_epoch = 0, measure_ticks = 0, kick_ticks = 0;
};

Expected<void, Error> kick(driver::ClusterDriver& d, const Roles& r, std::int64_t ticks) {
  std::vector<driver::Current> currents;
  for (std::int64_t k = 0; k < ticks; ++k)
    for (std::uint32_t n = 0; n < kGroup; ++n) currents.push_back({r.a, n, d.tick() + k, kKick});
  return d.schedule(currents);
}

// One epoch: tick by tick while within the measured ticks (each tick's count into `per_tick`), else in one
// step. Returns the epoch's spikes of the kicked group.
Expected<std::uint64_t, Error> run_epoch(driver::ClusterDriver& d, const Roles& r, std::int64_t start, std::int64_t end,
                                         std::int64_t measure_end, std::vector<std::uint64_t>& per_tick) {
  const std::int64_t epoch_start = d.tick();
  while (d.tick() < end) {
    const std::int64_t from = d.tick();
    auto reached = d.advance_to(from < measure_end ? from + 1 : end);
    if (!reached) return unexpected(reached.error());
    if (from >= measure_end) break;
    auto n = group_spikes(d, r.a, from, *reached);
    if (!n) return n;
    // A lockstep epoch longer than a tick lumps its ticks: the count goes to its last tick.
    per_tick.resize(static_cast<std::size_t>(*reached - start), 0);
    per_tick.back() = *n;
  }
  return group_spikes(d, r.a, epoch_start, d.tick());
}

Expected<LoopResult, Error> run_loop(Run& run, const Roles& r, int delay, const Schedule& s,
                                     const std::function<void(int, double)>& on_epoch) {
  const auto seed = run.args.at("seed").get<std::uint64_t>();
  if (auto ok = settle(run.driver, r, seed); !ok) return unexpected(ok.error());
  if (delay > 0)
    if (auto ok = write_loop(run.driver, r, delay, seed); !ok) return unexpected(ok.error());
  if (auto ok = kick(run.driver, r, s.kick_ticks); !ok) return unexpected(ok.error());
  const std::int64_t start = run.driver.tick();
  LoopResult out;
  std::vector<std::uint64_t> per_tick;
  std::vector<rhythm::Window> windows;
  // An epoch counts as sustained with at least a volley per 16 ticks on average (a dying kick gives one).
  const auto min_spikes = static_cast<std::uint64_t>(kVolley * static_cast<double>(std::max<std::int64_t>(1, s.ticks_per_epoch / 16)));
  for (int e = 0; e < s.epochs; ++e) {
    if (run.cancelled()) return unexpected(cancelled());
    const std::int64_t from = run.driver.tick();
    auto spikes = run_epoch(run.driver, r, start, start + (e + 1) * s.ticks_per_epoch, start + s.measure_ticks, per_tick);
    if (!spikes) return unexpected(spikes.error());
    const std::int64_t ticks = run.driver.tick() - from;
    windows.push_back({*spikes, ticks});
    out.spikes += *spikes;
    out.rate.push_back(static_cast<double>(*spikes) / static_cast<double>(ticks));
    on_epoch(e + 1, out.rate.back());
    if (*spikes < min_spikes) break;  // silent from here on: the rest would only cost time
  }
  out.sustained = rhythm::sustained_ticks(windows, min_spikes);
  if (per_tick.size() > kTransient) {
    const std::span<const std::uint64_t> measured(per_tick.begin() + kTransient, per_tick.end());
    const auto onsets = rhythm::volley_onsets(measured, kVolley);
    out.period = rhythm::period_of(onsets);
    out.frequency = rhythm::autocorrelation_frequency(measured);
  }
  if (auto ok = settle(run.driver, r, seed); !ok) return unexpected(ok.error());
  return out;
}

bool loop_passed(const LoopResult& l, int delay) {
  return l.sustained >= kMinSustained && l.period && std::fabs(l.period->mean - 2.0 * delay) <= kPeriodTolerance * 2.0 * delay &&
         l.period->cv <= kMaxCv;
}

nlohmann::json loop_json(const LoopResult& l, int delay) {
  nlohmann::json j = {{"loop_delay", delay}, {"sustained_ticks", l.sustained}, {"spikes", l.spikes}, {"expected_period", 2 * delay}};
  j["period"] = l.period ? nlohmann::json(l.period->mean) : nlohmann::json(nullptr);
  j["period_cv"] = l.period ? nlohmann::json(l.period->cv) : nlohmann::json(nullptr);
  j["volleys"] = l.period ? l.period->intervals + 1 : 0;
  j["frequency"] = l.frequency ? nlohmann::json(*l.frequency) : nlohmann::json(nullptr);
  if (delay > 0) j["passed"] = loop_passed(l, delay);
  return j;
}

Expected<Roles, Error> roles_of(const Run& run) {
  for (const char* role : {"excitatory_a", "excitatory_b"})
    if (!run.columns.contains(role))
      return unexpected(Error{ErrorCode::bad_args, "rhythm_gen needs a column with role " + std::string(role) + " in " + run.region});
  Roles r{run.region, run.columns.at("excitatory_a"), run.columns.at("excitatory_b")};
  for (const std::string* id : {&r.a, &r.c}) {
    const topology::Column* c = topology::find_column(run.topology, *id);
    if (!c || c->size < kGroup * kGroups)
      return unexpected(Error{ErrorCode::bad_args, "rhythm_gen needs " + std::to_string(kGroup * kGroups) + " neurons in column " +
                                                       *id + " (" + std::to_string(kGroups) + " groups of " + std::to_string(kGroup) + ")"});
  }
  return r;
}

}  // namespace

Expected<Outcome, Error> run_rhythm_gen(Run& run) {
  auto roles = roles_of(run);
  if (!roles) return unexpected(roles.error());
  const Schedule s{run.args.at("epochs").get<int>(), run.args.at("ticks_per_epoch").get<std::int64_t>(),
                   run.args.at("measure_ticks").get<std::int64_t>(), run.args.at("pattern_len").get<std::int64_t>()};
  const int headline = run.args.at("loop_delay").get<int>();
  std::vector<int> delays = kSweep;
  if (std::find(delays.begin(), delays.end(), headline) == delays.end()) delays.push_back(headline);
  const int total = s.epochs * static_cast<int>(delays.size() + 1);
  int done = 0;
  Outcome out;
  auto progress = [&](int, double rate) { run.progress({++done, total, rate}); };

  auto off = run_loop(run, *roles, 0, s, progress);
  if (!off) return unexpected(off.error());
  out.baselines = {{"ring_off_sustained_ticks", off->sustained}, {"ring_off_spikes", off->spikes}};
  out.curve_unit = "spikes per tick of the kicked group";
  out.baseline_units = {{"ring_off_sustained_ticks", "ticks"}, {"ring_off_spikes", "spikes"}};
  out.details["ring_off"] = loop_json(*off, 0);
  out.passed = true;
  for (std::size_t i = 0; i < delays.size(); ++i) {
    const int delay = delays[i];
    done = s.epochs * static_cast<int>(i + 1);
    auto loop = run_loop(run, *roles, delay, s, progress);
    if (!loop) return unexpected(loop.error());
    out.parts["delay_" + std::to_string(delay)] = loop_json(*loop, delay);
    if (std::find(kSweep.begin(), kSweep.end(), delay) != kSweep.end()) out.passed = out.passed && loop_passed(*loop, delay);
    if (delay == headline) {
      out.score = static_cast<double>(loop->sustained);
      out.curve = loop->rate;
      out.details["headline"] = loop_json(*loop, delay);
    }
  }
  return out;
}

}  // namespace p3p::experiments
