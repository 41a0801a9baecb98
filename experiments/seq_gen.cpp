// seq_gen: learn a symbol sequence from teacher-forced presentations, then generate it from a cue of its
// first symbol (the design of the team's numpy prototype with context sub-populations, on the cluster).
//
// The region (roles input, hidden, output; equal sizes, sub-populations of `group` neurons): position k of the
// sequence is a symbol-in-context and owns sub-population k of each column. A kick into the input's
// sub-population k makes it fire once; the one_to_one relay makes hidden's fire `relay_in` ticks later.
// hidden's plastic recurrent projection (no pairs inside a sub-population, delay = T ticks per symbol) learns
// by pair STDP that sub-population k+1 fires T ticks after k: the engine pairs a pre spike at its arrival,
// which the delay T puts on the tick of the next symbol's spike, a potentiating pair (engine.hpp: arrivals
// before post spikes). After each presentation every hidden neuron's incoming plastic weights are scaled to
// kTargetSum, so the strongest link (the previous symbol) alone brings a sub-population over threshold.
// The output mirrors hidden `relay_out` ticks later; it is read out (per slot, the symbol whose
// sub-populations fired most within T/2 of the slot) and feeds uniform inhibition back to hidden one symbol
// later, which keeps weaker second-order links from waking wrong sub-populations.
#include <algorithm>
#include <cmath>

#include "experiments/catalog_entries.hpp"
#include "experiments/seq_gen_task.hpp"

namespace p3p::experiments {
namespace {

using seq_gen::Task;

constexpr double kKick = 2.0;         // one tick of this fires a neuron at rest
constexpr double kTargetSum = 1.9;    // incoming plastic weight per hidden neuron after each presentation
constexpr std::int64_t kOffset = 5;   // ticks before the first slot
constexpr std::int64_t kGap = 100;    // silent ticks after a phase: traces decay (e^-5), nothing in flight

Unexpected<Error> bad(std::string message) { return unexpected(Error{ErrorCode::bad_args, std::move(message)}); }

struct Layout {
  std::string input, hidden, output;
  std::uint32_t group = 0;          // neurons per sub-population: the recurrent projection's exclude_same_group
  std::uint32_t units = 0;          // sub-populations per column
  std::int64_t symbol_ticks = 0;    // T: the recurrent delay
  std::int64_t relay_in = 0;        // input -> hidden delay
  std::int64_t relay_out = 0;       // hidden -> output delay
};

const topology::Projection* projection(const topology::Topology& t, const std::string& from, const std::string& to, bool plastic) {
  const auto it = std::find_if(t.projections.begin(), t.projections.end(), [&](const topology::Projection& p) {
    return p.from == from && p.to == to && p.plastic == plastic;
  });
  return it == t.projections.end() ? nullptr : &*it;
}

Expected<Layout, Error> layout_of(const Run& run, const Task& task) {
  Layout l{run.columns.at("input"), run.columns.at("hidden"), run.columns.at("output")};
  const auto* in = topology::find_column(run.topology, l.input);
  const auto* hid = topology::find_column(run.topology, l.hidden);
  const auto* out = topology::find_column(run.topology, l.output);
  if (!in || !hid || !out) return bad("seq_gen: a role's column is not in the topology");
  const auto* relay_in = projection(run.topology, l.input, l.hidden, false);
  const auto* recurrent = projection(run.topology, l.hidden, l.hidden, true);
  const auto* relay_out = projection(run.topology, l.hidden, l.output, false);
  if (!relay_in || !recurrent || !relay_out || recurrent->exclude_same_group == 0)
    return bad("seq_gen needs a static projection " + l.input + " -> " + l.hidden + ", a plastic one " + l.hidden + " -> " +
               l.hidden + " with exclude_same_group (the sub-population size) and a static one " + l.hidden + " -> " +
               l.output + " in region " + run.region);
  l.group = recurrent->exclude_same_group;
  if (in->size != hid->size || out->size != hid->size || hid->size % l.group != 0)
    return bad("seq_gen needs input, hidden and output columns of equal size, a multiple of " + std::to_string(l.group));
  l.units = hid->size / l.group;
  l.symbol_ticks = recurrent->delay;
  l.relay_in = relay_in->delay;
  l.relay_out = relay_out->delay;
  if (task.symbols.size() > l.units)
    return bad("sequence '" + task.text() + "' needs " + std::to_string(task.symbols.size()) + " sub-populations; column " +
               l.hidden + " holds " + std::to_string(l.units) + " of " + std::to_string(l.group));
  return l;
}

// One tick of kKick into every neuron of input sub-population `unit`.
void kick(const Layout& l, std::size_t unit, std::int64_t tick, std::vector<driver::Current>& out) {
  for (std::uint32_t i = 0; i < l.group; ++i)
    out.push_back({l.input, static_cast<std::uint32_t>(unit) * l.group + i, tick, kKick});
}

// The recurrent projection's synapses as they stand.
Expected<std::vector<driver::Synapse>, Error> recurrent_weights(Run& run, const Layout& l) {
  auto all = run.driver.weights(l.hidden);
  if (!all) return unexpected(all.error());
  const auto it = std::find_if(all->begin(), all->end(), [&](const driver::ProjectionWeights& p) { return p.plastic && p.from == l.hidden; });
  if (it == all->end()) return bad("seq_gen: no plastic projection " + l.hidden + " -> " + l.hidden);
  return std::move(it->synapses);
}

// Every hidden neuron's incoming plastic weights scaled to sum kTargetSum (a neuron with none learned stays).
Expected<void, Error> normalise(Run& run, const Layout& l) { return run.driver.normalise(l.hidden, l.hidden, kTargetSum); }

// Each phase starts as a trial does: potentials and STDP traces of the region as built (its weights kept),
// nothing of the last phase in flight (it ended with kGap silent ticks). Without it a trace left by the
// last phase's final spikes pairs with the first sub-population's next spike, and the scaling blows that
// tiny weight up to kTargetSum: the sequence would learn to follow its own end.
Expected<void, Error> new_trial(Run& run) { return run.driver.reset_region(run.region, false); }

// Teacher forcing: each position's sub-population kicked on its slot, then a silent gap; then scaling.
Expected<void, Error> present(Run& run, const Layout& l, const Task& task) {
  if (auto r = new_trial(run); !r) return r;
  const std::int64_t start = run.driver.tick() + kOffset;
  std::vector<driver::Current> currents;
  for (std::size_t k = 0; k < task.symbols.size(); ++k) kick(l, k, start + static_cast<std::int64_t>(k) * l.symbol_ticks, currents);
  if (auto r = run.driver.schedule(currents); !r) return r;
  const auto end = run.driver.advance_to(start + static_cast<std::int64_t>(task.symbols.size()) * l.symbol_ticks + kGap);
  if (!end) return unexpected(end.error());
  return normalise(run, l);
}

struct Generated {
  std::vector<int> symbols;  // per position; the cue's own is the cue
  double score = 0.0;
  std::uint64_t tail = 0;    // output spikes after the last slot's window (a sequence that does not stop)
};

// Output spikes per symbol in [from, to) (sub-populations of positions with that symbol).
Expected<std::vector<std::uint64_t>, Error> per_symbol(Run& run, const Layout& l, const Task& task, std::int64_t from, std::int64_t to) {
  const auto counts = run.driver.spike_counts(from, to);
  if (!counts) return unexpected(counts.error());
  const auto& neurons = counts->per_neuron.at(l.output);
  std::vector<std::uint64_t> r(static_cast<std::size_t>(task.alphabet), 0);
  for (std::size_t k = 0; k < task.symbols.size(); ++k)
    for (std::uint32_t i = 0; i < l.group; ++i) r[static_cast<std::size_t>(task.symbols[k])] += neurons[k * l.group + i];
  return r;
}

// The cue (the first position's sub-population kicked once), then free run; slot k's window is centred on
// the tick its output sub-population fires under teacher forcing.
Expected<Generated, Error> free_run(Run& run, const Layout& l, const Task& task) {
  if (auto r = new_trial(run); !r) return unexpected(r.error());
  const std::int64_t cue = run.driver.tick() + kOffset;
  std::vector<driver::Current> currents;
  kick(l, 0, cue, currents);
  if (auto r = run.driver.schedule(currents); !r) return unexpected(r.error());
  const std::int64_t T = l.symbol_ticks;
  const std::int64_t first = cue + l.relay_in + l.relay_out + T - T / 2;  // slot 1's window opens
  auto at = run.driver.advance_to(first);
  if (!at) return unexpected(at.error());
  Generated g{{task.symbols[0]}};
  for (std::size_t k = 1; k <= task.symbols.size(); ++k) {
    const std::int64_t from = *at;
    at = run.driver.advance_to(first + static_cast<std::int64_t>(k) * T + (k == task.symbols.size() ? kGap : 0));
    if (!at) return unexpected(at.error());
    const auto counts = per_symbol(run, l, task, from, *at);
    if (!counts) return unexpected(counts.error());
    if (k < task.symbols.size())
      g.symbols.push_back(seq_gen::winner(*counts));
    else
      for (const auto c : *counts) g.tail += c;
  }
  g.score = seq_gen::score(g.symbols, task.symbols, 1);
  return g;
}

// Generation is a test, not a lesson: STDP runs on every tick, so the weights it started from are written
// back after it (the prototype generates with learning off).
Expected<Generated, Error> generate(Run& run, const Layout& l, const Task& task) {
  auto before = recurrent_weights(run, l);
  if (!before) return unexpected(before.error());
  auto g = free_run(run, l, task);
  if (!g) return g;
  if (before->empty()) return g;
  if (auto r = run.driver.set_weights(l.hidden, l.hidden, *before); !r) return unexpected(r.error());
  return g;
}

std::string text_of(const std::vector<int>& symbols) {
  std::string s;
  for (const int x : symbols) s += x < 0 ? '-' : static_cast<char>('0' + x);
  return s;
}

Outcome outcome_of(const Task& task, const Layout& l, const Generated& off, const Generated& last, std::vector<double> curve) {
  Outcome o;
  const double chance = 1.0 / task.alphabet;
  const int perfect_at = seq_gen::presentations_to_perfect(curve);
  o.score = last.score;
  o.curve = std::move(curve);
  o.baselines = {{"chance", chance}, {"plasticity_off", off.score}};
  o.curve_unit = "fraction generated right";
  o.baseline_units = {{"chance", o.curve_unit}, {"plasticity_off", o.curve_unit}};
  o.parts = {{"presentations_to_perfect", perfect_at}, {"tail_spikes", last.tail}};
  o.passed = perfect_at >= 1 && perfect_at <= 3 && off.score <= chance;
  std::vector<std::string> contexts;
  const auto occ = seq_gen::occurrences(task.symbols);
  for (std::size_t k = 0; k < occ.size(); ++k) contexts.push_back(std::to_string(task.symbols[k]) + "#" + std::to_string(occ[k]));
  o.details = {{"taught", task.text()},    {"generated", text_of(last.symbols)}, {"plasticity_off_generated", text_of(off.symbols)},
               {"alphabet", task.alphabet}, {"contexts", contexts},              {"ticks_per_symbol", l.symbol_ticks},
               {"neurons_per_context", l.group}};
  return o;
}

}  // namespace

Expected<void, Error> check_seq_gen(const nlohmann::json& args) {
  const auto task = seq_gen::make_task(args);
  if (!task) return unexpected(task.error());
  return {};
}

Expected<Outcome, Error> run_seq_gen(Run& run) {
  const auto task = seq_gen::make_task(run.args);
  if (!task) return unexpected(task.error());
  const auto layout = layout_of(run, *task);
  if (!layout) return unexpected(layout.error());
  // The baseline first: the region as built (no weight learned) is the same network with plasticity off.
  const auto off = generate(run, *layout, *task);
  if (!off) return unexpected(off.error());
  const int epochs = run.args.at("epochs").get<int>();
  std::vector<double> curve;
  Generated last = *off;
  for (int e = 0; e < epochs; ++e) {
    if (run.cancelled()) return unexpected(Error{ErrorCode::cancelled, "seq_gen cancelled after " + std::to_string(e) + " presentations"});
    if (auto r = present(run, *layout, *task); !r) return unexpected(r.error());
    auto g = generate(run, *layout, *task);
    if (!g) return unexpected(g.error());
    last = std::move(*g);
    curve.push_back(last.score);
    run.progress({e + 1, epochs, last.score});
  }
  return outcome_of(*task, *layout, *off, last, std::move(curve));
}

}  // namespace p3p::experiments
