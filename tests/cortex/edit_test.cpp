// Weights written and populations reset from outside: exact, checked before anything changes, and the
// same whether the network runs in one engine or split over several.
#include <functional>
#include <optional>

#include "tests/cortex/helpers.hpp"

using namespace p3p::cortex;
using namespace p3p::cortex::test;

namespace {

std::vector<SynapseView> all_synapses(const Engine& e) {
  std::vector<SynapseView> out;
  for (std::uint32_t j = 0; j < e.spec().projections.size(); ++j)
    for (const SynapseView& s : e.synapses(j)) out.push_back(s);
  return out;
}

bool same(const std::vector<SynapseView>& a, const std::vector<SynapseView>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const SynapseView& x, const SynapseView& y) {
    return x.source == y.source && x.target == y.target && x.weight == y.weight;
  });
}

// Two quiet columns: a plastic explicit projection 0 -> 1 and a static all_to_all one.
NetworkSpec two_links() {
  NetworkSpec n;
  n.populations = {quiet_population(2), quiet_population(3)};
  ProjectionSpec plastic = link(0, 1, {{0, 0, 0.1}, {1, 2, 0.2}});
  plastic.stdp.rule = StdpRule::pair;
  plastic.stdp.w_min = -1;
  plastic.stdp.w_max = 1;
  ProjectionSpec fixed;
  fixed.source = 0;
  fixed.target = 1;
  fixed.weight = 0.3;
  n.projections = {plastic, fixed};
  return n;
}

// A network that runs quiet without input (rest at baseline / (1 - leak) = 0.2), with random initial
// potentials, plastic and static links, delays up to 2.
NetworkSpec driven() {
  NetworkSpec n;
  n.seed = 17;
  for (int i = 0; i < 3; ++i) {
    PopulationSpec p;
    p.name = "driven";
    p.size = 6;
    p.params.v_init_max = 0.5;
    n.populations.push_back(p);
  }
  n.projections = {proj(0, 1, ConnectionRule::all_to_all, 0.35, 2, true), proj(1, 2, ConnectionRule::one_to_one, 0.6, 1, false),
                   proj(2, 0, ConnectionRule::all_to_all, 0.05, 1, false)};
  return n;
}

std::vector<Spike> run_with_input(Engine& e, std::int64_t ticks) {
  std::vector<Spike> all;
  for (std::int64_t k = 0; k < ticks; ++k) {
    if (k % 3 == 0) REQUIRE(e.inject(0, static_cast<std::uint32_t>(k % 6), 1.5, e.tick()));
    const auto s = e.step();
    all.insert(all.end(), s.begin(), s.end());
  }
  return all;
}

}  // namespace

TEST_CASE("set_weights writes existing synapses of a plastic projection, and a spike delivers the written weight") {
  Engine e = make_engine(two_links());
  const std::vector<SynapseView> plastic{{1, 2, -0.75}, {0, 0, 0.5}};
  CHECK(e.set_weights(0, plastic).value() == 2);
  CHECK(e.weight(0, 1, 2).value() == -0.75);
  CHECK(e.weight(0, 0, 0).value() == 0.5);
  // Neuron 1 fires at tick 0: its target 2 gets -0.75 through the plastic synapse and 0.3 through the static one.
  REQUIRE(e.inject(0, 1, 5.0, 0));
  e.step();
  e.settle();
  CHECK(e.pending_input(1, 2) == Approx(0.3 - 0.75));
  CHECK(e.pending_input(1, 0) == Approx(0.3));
}

TEST_CASE("set_weights refuses a missing synapse, a weight out of bounds or a remote projection, changing nothing") {
  NetworkSpec n = two_links();
  n.populations.push_back(quiet_population(1));
  n.populations[2].node = 1;
  n.projections.push_back(link(0, 2, {{0, 0, 0.5}}));
  Engine e = make_engine(n);
  const auto before = all_synapses(e);
  const auto refused = [&](std::uint32_t projection, std::vector<SynapseView> items) {
    auto r = e.set_weights(projection, items);
    return !r && r.error().code == ErrorCode::invalid_argument;
  };
  CHECK(refused(0, {{0, 0, 0.5}, {0, 1, 0.5}}));           // 0 -> 1 is not in the explicit list
  CHECK(refused(0, {{0, 0, 0.5}, {1, 2, 1.5}}));           // above w_max 1
  CHECK(refused(0, {{0, 0, std::nan("")}}));
  CHECK(refused(0, {{7, 0, 0.5}}));                         // no such source neuron
  CHECK(refused(0, {{0, 3, 0.5}}));                         // no such target neuron
  CHECK(refused(1, {{0, 0, 0.5}}));                         // static: its weights are the topology's
  CHECK(refused(2, {{0, 0, 0.5}}));                         // onto a remote population: not held here
  CHECK(refused(9, {{0, 0, 0.5}}));
  CHECK(same(all_synapses(e), before));
}

TEST_CASE("a weight written in eligibility mode is the settled weight: the pending dopamine effect is not added again") {
  NetworkSpec n = two_links();
  n.populations[0].params.threshold = 0.5;
  n.dopamine.mode = DopamineMode::eligibility;
  n.dopamine.eta = 0.5;
  auto paired = [&] {
    Engine e = make_engine(n);
    REQUIRE(e.inject(0, 0, 2.0, 0));  // pre 0 at tick 0, post 0 at tick 3: eligibility on 0 -> 0
    REQUIRE(e.inject(1, 0, 2.0, 3));
    e.run(5);
    e.reward(1.0);
    e.run(50);  // the synapse is not touched in these ticks: its dopamine effect is pending
    return e;
  };
  Engine e = paired();
  REQUIRE(e.weight(0, 0, 0).value() > 0.1);
  const std::vector<SynapseView> w{{0, 0, 0.05}};
  REQUIRE(e.set_weights(0, w));
  CHECK(e.weight(0, 0, 0).value() == 0.05);
  // Dopamine and eligibility go on from the written value, as they go on in an engine left alone.
  Engine alone = paired();
  const double from = alone.weight(0, 0, 0).value();
  e.run(20);
  alone.run(20);
  CHECK(e.weight(0, 0, 0).value() - 0.05 == Approx(alone.weight(0, 0, 0).value() - from).epsilon(1e-9));
  CHECK(e.weight(0, 0, 0).value() > 0.05);
}

TEST_CASE("a reset with weights leaves the network as a freshly built engine at that tick: the same spikes after") {
  Engine used = make_engine(driven());
  const auto built = all_synapses(used);
  const std::vector<double> v0(used.potentials(1).begin(), used.potentials(1).end());
  run_with_input(used, 150);
  const std::vector<SynapseView> heavier{{0, 0, 1.2}, {3, 3, -0.9}};
  REQUIRE(used.set_weights(0, heavier));
  REQUIRE_FALSE(same(all_synapses(used), built));  // learned and written
  // Quiet until nothing is in flight (the largest delay is 2): a fresh engine has nothing in flight.
  std::int64_t quiet = 0;
  for (int k = 0; k < 200 && quiet < 3; ++k) quiet = used.step().empty() ? quiet + 1 : 0;
  REQUIRE(quiet == 3);
  const std::vector<std::uint32_t> every{0, 1, 2};
  REQUIRE(used.reset(every, true));
  CHECK(same(all_synapses(used), built));
  CHECK(std::vector<double>(used.potentials(1).begin(), used.potentials(1).end()) == v0);

  // A freshly built engine standing at the same tick (the noise is keyed by the tick).
  Engine fresh = make_engine(driven());
  EngineState s = fresh.export_state();
  const EngineState now = used.export_state();
  s.tick = now.tick;
  s.settled = now.settled;
  for (std::size_t j = 0; j < s.projections.size(); ++j) s.projections[j].dopamine = now.projections[j].dopamine;
  REQUIRE(fresh.import_state(s));
  const auto after = run_with_input(used, 150);
  CHECK_FALSE(after.empty());
  CHECK(after == run_with_input(fresh, 150));
  CHECK(same(all_synapses(used), all_synapses(fresh)));
}

TEST_CASE("a reset without weights keeps the learned weights, with the pending eligibility effect, and clears the traces") {
  NetworkSpec n = two_links();
  n.populations[0].params.threshold = 0.5;
  n.dopamine.mode = DopamineMode::eligibility;
  n.dopamine.eta = 0.5;
  auto paired = [&] {
    Engine e = make_engine(n);
    REQUIRE(e.inject(0, 0, 2.0, 0));
    REQUIRE(e.inject(1, 0, 2.0, 3));
    e.run(5);
    e.reward(1.0);
    e.run(50);
    return e;
  };
  Engine e = paired();
  const double learned = e.weight(0, 0, 0).value();
  REQUIRE(learned > 0.1);
  const std::vector<std::uint32_t> target{1};
  REQUIRE(e.reset(target, false));
  CHECK(e.weight(0, 0, 0).value() == learned);
  e.run(100);  // the eligibility is gone (and the dopamine: a trial reset)
  CHECK(e.weight(0, 0, 0).value() == learned);
  Engine kept = paired();
  kept.run(100);
  CHECK(kept.weight(0, 0, 0).value() > learned);  // without the reset it would have gone on
}

TEST_CASE("a reset forgets the spikes of the tick before it: no STDP pair spans the reset") {
  NetworkSpec n = two_links();
  n.populations[0].params.threshold = 0.5;
  Engine e = make_engine(n);
  REQUIRE(e.inject(1, 0, 2.0, 3));  // post 0 fires at tick 3, the last tick before the reset
  e.run(4);
  const std::vector<std::uint32_t> post{1};
  REQUIRE(e.reset(post, false));
  REQUIRE(e.inject(0, 0, 2.0, 5));  // pre 0 fires at tick 5: depression only if the post spike still counted
  e.run(4);
  CHECK(e.weight(0, 0, 0).value() == 0.1);
}

TEST_CASE("a reset refuses a remote or unknown population and a settled boundary, changing nothing") {
  NetworkSpec n = driven();
  n.populations[2].node = 1;
  n.projections[1].delay = 2;  // 1 -> 2 crosses the nodes
  n.projections[2].delay = 2;
  Engine e = make_engine(n);
  run_with_input(e, 20);
  e.settle();
  const EngineState before = e.export_state();
  const std::vector<std::uint32_t> remote{0, 2}, unknown{0, 5}, local{0};
  CHECK(e.reset(remote, true).error().code == ErrorCode::invalid_argument);
  CHECK(e.reset(unknown, true).error().code == ErrorCode::invalid_argument);
  CHECK(e.reset(local, true).error().code == ErrorCode::invalid_argument);  // after settle()
  const EngineState after = e.export_state();
  CHECK(after.populations[0].v == before.populations[0].v);
  CHECK(after.projections[0].weights == before.projections[0].weights);
  CHECK(after.projections[0].pre_traces == before.projections[0].pre_traces);
}

namespace {

// run_split with `edit` applied to every engine at the epoch boundary `at`, before the last epoch's remote
// spikes are delivered - where a node runs calls (they are delivered when the next epoch starts).
std::vector<Spike> run_split_editing(const NetworkSpec& spec, int nodes, std::int64_t ticks, std::int64_t at,
                                     const std::function<void(Engine&)>& edit) {
  std::vector<Engine> engines;
  for (int n = 0; n < nodes; ++n) engines.push_back(make_engine(spec, {n, 1}));
  const std::int64_t epoch = engines[0].min_cross_delay().value_or(1);
  std::vector<Spike> all;
  std::vector<std::vector<Spike>> inbox(engines.size());
  for (std::int64_t t = 0; t < ticks; t += epoch) {
    if (t == at)
      for (Engine& e : engines) edit(e);
    for (std::size_t n = 0; n < engines.size(); ++n) {
      REQUIRE(engines[n].deliver_remote_spikes(inbox[n]));
      inbox[n].clear();
    }
    for (std::size_t from = 0; from < engines.size(); ++from) {
      std::vector<Spike> produced;
      for (std::int64_t k = 0; k < epoch; ++k) {
        const auto s = engines[from].step();
        produced.insert(produced.end(), s.begin(), s.end());
      }
      all.insert(all.end(), produced.begin(), produced.end());
      for (std::size_t to = 0; to < engines.size(); ++to) {
        if (to == from) continue;
        const auto batch = spikes_for_node(engines[from], produced, static_cast<int>(to));
        inbox[to].insert(inbox[to].end(), batch.begin(), batch.end());
      }
    }
  }
  return all;
}

// Writes two synapses of each plastic projection it holds and resets the populations {1, 2} it holds.
void edit_some(Engine& e, bool weights) {
  for (const std::uint32_t j : {0U, 3U}) {
    const auto held = e.synapses(j);
    if (held.empty()) continue;
    const std::vector<SynapseView> w{{held[0].source, held[0].target, 0.3}, {held[5].source, held[5].target, -0.2}};
    REQUIRE(e.set_weights(j, w));
  }
  std::vector<std::uint32_t> mine;
  for (const std::uint32_t p : {1U, 2U})
    if (e.is_local(p)) mine.push_back(p);
  REQUIRE(e.reset(mine, weights));
}

}  // namespace

TEST_CASE("rewards to some populations and resets mid-run in mixed dopamine modes: the same raster in one engine and split") {
  for (const bool weights : {false, true}) {
    INFO("weights " << weights);
    // Populations 1 and 2 reset (their projections' reward and dopamine too), then every projection
    // rewarded with 0.7 and the eligibility projection onto population 0 once more with 0.9.
    const auto edit = [weights](Engine& e) {
      edit_some(e, weights);
      reward_some(e, 0.7, 0, 0.9);
    };
    const std::uint64_t one = hash_of(run_split_editing(mixed_modes(1), 1, 300, 144, edit));
    CHECK(one != hash_of(run_split_editing(mixed_modes(1), 1, 300, 144, [weights](Engine& e) { edit_some(e, weights); })));
    CHECK(hash_of(run_split_editing(mixed_modes(2), 2, 300, 144, edit)) == one);
    CHECK(hash_of(run_split_editing(mixed_modes(3), 3, 300, 144, edit)) == one);
  }
}

TEST_CASE("weights written and populations reset mid-run give the same raster in one engine and split over 2 or 3") {
  for (const DopamineMode mode : {DopamineMode::gain, DopamineMode::eligibility})
    for (const bool weights : {false, true}) {
      INFO("eligibility " << (mode == DopamineMode::eligibility) << ", weights " << weights);
      const auto edit = [weights](Engine& e) { edit_some(e, weights); };
      const std::uint64_t one = hash_of(run_split_editing(mixed(1, mode), 1, 300, 144, edit));
      CHECK(one != hash_of(run_split_editing(mixed(1, mode), 1, 300, 144, [](Engine&) {})));  // the edit shows
      CHECK(hash_of(run_split_editing(mixed(2, mode), 2, 300, 144, edit)) == one);
      CHECK(hash_of(run_split_editing(mixed(3, mode), 3, 300, 144, edit)) == one);
    }
}

TEST_CASE("a plastic projection with a_plus = a_minus = 0 is frozen: activity and reward leave its weights, a write stays") {
  for (const DopamineMode mode : {DopamineMode::gain, DopamineMode::eligibility}) {
    NetworkSpec n = mixed(1, mode);
    for (ProjectionSpec& p : n.projections)
      if (p.stdp.rule != StdpRule::none) p.stdp.a_plus = p.stdp.a_minus = 0.0;
    Engine e = make_engine(n);
    const std::vector<SynapseView> built = all_synapses(e);
    e.reward(0.8);
    CHECK(run_all(e, 200).size() > 500);  // the network is active: the projections see pre and post spikes
    e.reward(-0.5);
    e.run(100);
    CHECK(same(all_synapses(e), built));
    const SynapseView first = e.synapses(0).front();
    const SynapseView written{first.source, first.target, first.weight + 0.25};
    REQUIRE(e.set_weights(0, std::span(&written, 1)));
    e.run(100);
    CHECK(e.weight(0, first.source, first.target).value() == written.weight);
  }
}

namespace {

// mixed(1) held silent (thresholds up: nothing in flight), then every population reset - with `seed` as
// noise seed if given - and released: the spikes of the 200 ticks after, with ticks relative to the reset.
std::vector<Spike> after_reset_at(std::int64_t reset_tick, std::optional<std::uint64_t> seed) {
  Engine e = make_engine(mixed(1));
  for (std::uint32_t p = 0; p < 3; ++p) REQUIRE(e.set_thresholds(p, 1000.0));
  e.run(reset_tick);
  const std::vector<std::uint32_t> all{0, 1, 2};
  REQUIRE(e.reset(all, true, seed));
  for (std::uint32_t p = 0; p < 3; ++p) REQUIRE(e.restore_thresholds(p));
  std::vector<Spike> out = run_all(e, 200);
  for (Spike& s : out) s.tick -= reset_tick;
  return out;
}

}  // namespace

TEST_CASE("after a reset with a noise seed the spikes relative to the reset do not depend on its tick") {
  const std::vector<Spike> early = after_reset_at(50, 7);
  CHECK(early.size() > 500);
  CHECK(after_reset_at(131, 7) == early);
  CHECK(after_reset_at(131, 8) != early);  // the seed is the noise's key
  // Without a noise seed the noise is the network's, keyed by the tick: the start tick shows.
  CHECK(after_reset_at(50, std::nullopt) != after_reset_at(131, std::nullopt));
}

TEST_CASE("a population's noise key survives export and import, and a reset without a seed keeps it") {
  Engine e = make_engine(mixed(1));
  const std::vector<std::uint32_t> all{0, 1, 2};
  e.run(20);
  REQUIRE(e.reset(all, true, 7));
  e.run(30);
  Engine copy = make_engine(mixed(1));
  REQUIRE(copy.import_state(e.export_state()));
  CHECK(run_all(copy, 100) == run_all(e, 100));
  const EngineState kept = e.export_state();
  CHECK(kept.populations[1].noise_seed == std::optional<std::uint64_t>(7));
  CHECK(kept.populations[1].noise_origin == 20);
  e.run(15);
  REQUIRE(e.reset(all, false));  // a trial reset inside a seeded run: the same noise stream goes on
  CHECK(e.export_state().populations[1].noise_seed == std::optional<std::uint64_t>(7));
  CHECK(e.export_state().populations[1].noise_origin == 20);
}

TEST_CASE("trial resets without a seed after a seeded reset keep the run independent of its start tick") {
  const auto run_from = [](std::int64_t start) {
    Engine e = make_engine(mixed(1));
    for (std::uint32_t p = 0; p < 3; ++p) REQUIRE(e.set_thresholds(p, 1000.0));
    e.run(start);
    const std::vector<std::uint32_t> all{0, 1, 2};
    REQUIRE(e.reset(all, true, 7));
    for (std::uint32_t p = 0; p < 3; ++p) REQUIRE(e.restore_thresholds(p));
    std::vector<Spike> out;
    for (int trial = 0; trial < 3; ++trial) {
      for (Spike s : run_all(e, 60)) out.push_back({s.tick - start, s.neuron});
      REQUIRE(e.reset(all, false));
    }
    return out;
  };
  const std::vector<Spike> early = run_from(40);
  CHECK(early.size() > 300);
  CHECK(run_from(97) == early);
}
