#include "nodes/mesocortex/network_spec.hpp"

#include <cmath>
#include <cstdint>
#include <numbers>
#include <unordered_map>

#include "nodes/cortex/connectivity.hpp"

namespace p3p::mesocortex {
namespace {

using topology::ConnectRule;

cortex::StdpParams stdp_of(const topology::Plasticity& p) {
  cortex::StdpParams s;
  switch (p.rule) {
    case topology::PlasticityRule::pair: s.rule = cortex::StdpRule::pair; break;
    case topology::PlasticityRule::legacy: s.rule = cortex::StdpRule::legacy; break;
    case topology::PlasticityRule::none: s.rule = cortex::StdpRule::none; break;
  }
  s.a_plus = p.a_plus;
  s.a_minus = p.a_minus;
  s.tau_plus = p.tau_plus;
  s.tau_minus = p.tau_minus;
  s.w_min = p.w_min;
  s.w_max = p.w_max;
  return s;
}

cortex::DopamineParams dopamine_of(const topology::Plasticity& p) {
  cortex::DopamineParams d;
  switch (p.dopamine) {
    case topology::DopamineMode::gain: d.mode = cortex::DopamineMode::gain; break;
    case topology::DopamineMode::eligibility: d.mode = cortex::DopamineMode::eligibility; break;
    case topology::DopamineMode::off: d.mode = cortex::DopamineMode::off; break;
  }
  d.tau_c = p.tau_c;
  d.tau_d = p.tau_d;
  d.eta = p.eta;
  return d;
}

cortex::PopulationSpec population_of(const topology::Column& c, int node) {
  cortex::PopulationSpec p;
  p.name = c.id;
  p.size = c.size;
  p.params.leak = c.params.leak;
  p.params.baseline = c.params.baseline;
  p.params.noise = c.params.noise;
  p.params.threshold = c.params.threshold;
  p.params.reset = c.params.reset;
  p.params.v_min = c.params.v_min;
  p.thresholds.assign(c.thresholds().begin(), c.thresholds().end());
  p.node = node;
  return p;
}

// A weight drawn for one (projection, pre, post): keyed, so it is the same on every node and run.
std::uint64_t mix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

double unit(std::uint64_t key) { return static_cast<double>(mix64(key) >> 11) * 0x1.0p-53; }

double draw_weight(const topology::WeightSpec& w, std::uint64_t key) {
  if (w.kind == topology::WeightSpec::Kind::uniform) return w.lo + (w.hi - w.lo) * unit(key);
  const double u1 = 1.0 - unit(key), u2 = unit(key ^ 0x5bd1e995ULL);  // Box-Muller; u1 in (0, 1]
  return w.mean + w.sd * std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

// A distribution becomes an explicit list of drawn weights over exactly the pairs the engine would build for
// the rule with a constant weight (the same generator, keyed by the projection's index in the spec), so every
// node expands the same list. A pair that repeats (fixed_indegree with replacement) draws again for each copy.
void expand_weights(const topology::Projection& p, const cortex::ConnectivityContext& c, std::size_t index,
                    cortex::ProjectionSpec& out) {
  const std::uint64_t base = mix64(c.seed ^ mix64(0x70726f6aULL + index));
  std::vector<cortex::ExplicitSynapse> drawn;
  std::unordered_map<std::uint32_t, std::uint32_t> copies;  // of one target's sources so far
  std::uint32_t current = 0;
  cortex::for_each_synapse(c, {}, [&](std::uint32_t post, std::uint32_t pre, double) {
    if (post != current) copies.clear();
    current = post;
    std::uint64_t key = base ^ ((std::uint64_t{pre} << 32) | post);
    if (p.rule == ConnectRule::fixed_indegree && p.replace)
      if (const std::uint32_t copy = copies[pre]++; copy > 0) key ^= mix64(copy);
    drawn.push_back({pre, post, draw_weight(p.weight, mix64(key))});
  });
  out.rule = cortex::ConnectionRule::explicit_list;
  out.exclude_same_group = 0;  // applied by the generator: the engine takes a list as it stands
  out.blocks = 0;
  out.synapses = std::move(drawn);
}

// The populations are the columns in all_columns() order, so a projection's column indices are its populations.
// `key` is the projection's index in the spec, which keys its connectivity in the engine.
cortex::ProjectionSpec projection_of(const topology::Topology& t, const std::vector<const topology::Column*>& columns,
                                     std::size_t index, std::uint64_t key) {
  const topology::Projection& p = t.projections[index];
  const topology::Column* from = columns.at(p.from_index);
  const topology::Column* to = columns.at(p.to_index);
  cortex::ProjectionSpec s;
  s.source = p.from_index;
  s.target = p.to_index;
  s.delay = static_cast<std::int32_t>(p.delay);
  s.exclude_same_group = p.exclude_same_group;
  s.blocks = p.blocks;
  if (p.plastic) {
    s.stdp = stdp_of(p.plasticity);
    s.dopamine = dopamine_of(p.plasticity);
  }
  s.transmit = p.transmit;
  switch (p.rule) {
    case ConnectRule::all_to_all: s.rule = cortex::ConnectionRule::all_to_all; break;
    case ConnectRule::one_to_one: s.rule = cortex::ConnectionRule::one_to_one; break;
    case ConnectRule::fixed_indegree:
      s.rule = cortex::ConnectionRule::fixed_indegree;
      s.in_degree = p.k;
      s.replace = p.replace;
      break;
    case ConnectRule::probability: s.rule = cortex::ConnectionRule::probability; s.probability = p.p; break;
    case ConnectRule::list:
      s.rule = cortex::ConnectionRule::explicit_list;
      for (const auto& syn : p.synapses) s.synapses.push_back({syn.pre, syn.post, syn.weight});
      return s;
  }
  if (p.weight.kind == topology::WeightSpec::Kind::constant) {
    s.weight = p.weight.value;
    return s;
  }
  expand_weights(p, {&s, t.cluster.seed, key, from->first_neuron, to->first_neuron, from->size, to->size}, index, s);
  return s;
}

}  // namespace

int node_index(const topology::Topology& t, std::string_view id) {
  for (std::size_t i = 0; i < t.nodes.size(); ++i)
    if (t.nodes[i].id == id) return static_cast<int>(i);
  return -1;
}

Expected<Translation, std::string> build_network_spec(const topology::Topology& t) {
  Translation out;
  cortex::NetworkSpec& spec = out.spec;
  spec.seed = t.cluster.seed;
  spec.dopamine = dopamine_of(t.plasticity);  // the columns' internal synapses
  const auto columns = topology::all_columns(t);
  for (const topology::Column* c : columns) {
    spec.populations.push_back(population_of(*c, node_index(t, c->node)));
    out.column_ids.push_back(c->id);
  }
  for (std::uint32_t i = 0; i < columns.size(); ++i) {
    if (columns[i]->synapses().empty()) continue;
    cortex::ProjectionSpec s;
    s.source = s.target = i;
    s.rule = cortex::ConnectionRule::explicit_list;
    for (const auto& syn : columns[i]->synapses()) s.synapses.push_back({syn.pre, syn.post, syn.weight});
    if (columns[i]->plastic) s.stdp = stdp_of(t.plasticity);
    spec.projections.push_back(std::move(s));
  }
  for (std::size_t i = 0; i < t.projections.size(); ++i) {
    spec.projections.push_back(projection_of(t, columns, i, spec.projections.size()));
  }
  return out;
}

}  // namespace p3p::mesocortex
