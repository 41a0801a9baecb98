#pragma once
// Plain descriptions of a network: populations (columns), projections between them, plasticity and
// dopamine settings. The engine is built from one of these; every node of a cluster is given the SAME
// NetworkSpec and builds only what it owns (PopulationSpec::node), so global neuron ids (assigned in
// population order) and projection keys agree everywhere.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace p3p::cortex {

struct NeuronParams {
  double leak = 0.95;
  double baseline = 0.01;
  double noise = 0.005;  // uniform in [-noise, noise) each tick, keyed by (seed, global id, tick)
  double threshold = 1.0;
  double reset = 0.0;
  std::optional<double> v_min;  // optional floor applied after the update, before the threshold test
  double v_init_min = 0.0;      // initial v uniform in [v_init_min, v_init_max) (constant if equal)
  double v_init_max = 0.0;
};

struct PopulationSpec {
  std::string name;
  std::uint32_t size = 0;
  NeuronParams params;
  std::vector<double> thresholds;  // optional per-neuron thresholds (else params.threshold)
  int node = 0;                    // which engine (node) holds this column's state
};

enum class ConnectionRule { all_to_all, one_to_one, fixed_indegree, probability, explicit_list };

struct ExplicitSynapse {
  std::uint32_t source = 0;  // index within the source population
  std::uint32_t target = 0;  // index within the target population
  double weight = 0.0;
};

enum class StdpRule {
  none,    // static synapses
  pair,    // pair-based STDP with exponential traces (potentiation on post, depression on pre spikes)
  legacy,  // the original Cortex-7 rule (docs/original.md, "Plasticity and reward"), applied on pre arrivals only
};

struct StdpParams {
  StdpRule rule = StdpRule::none;
  double a_plus = 0.01;
  double a_minus = 0.012;  // 0 allowed
  double tau_plus = 20.0;  // ticks
  double tau_minus = 20.0;
  double w_min = -2.0;
  double w_max = 2.0;
};

// Each target's incoming plastic weights of this projection rescaled to sum `target_sum`, every
// `every_ticks` ticks (0: only when Engine::normalise is called).
struct NormalisationSpec {
  bool enabled = false;
  double target_sum = 1.0;
  std::int64_t every_ticks = 0;
};

// How a plastic projection's STDP meets the reward (Engine::reward). Each plastic projection has its own:
// its own reward level (gain) or its own dopamine trace and eligibility clock (eligibility).
enum class DopamineMode {
  gain,         // the original: each STDP dw is multiplied by max(0, 1 + 2*reward)
  eligibility,  // Izhikevich 2007: STDP feeds an eligibility trace c; dw = eta * c * d every tick
  off,          // plain STDP: rewards change nothing
};

struct DopamineParams {
  DopamineMode mode = DopamineMode::gain;
  double tau_c = 1000.0;  // eligibility decay, ticks
  double tau_d = 200.0;   // dopamine decay, ticks
  double eta = 0.01;      // learning rate of dw = eta * c * d
};

struct ProjectionSpec {
  std::uint32_t source = 0;  // population index
  std::uint32_t target = 0;
  ConnectionRule rule = ConnectionRule::all_to_all;
  double weight = 0.0;
  std::vector<double> source_weights;  // optional weight per source neuron (overrides `weight`)
  std::uint32_t in_degree = 0;         // fixed_indegree: sources per target, drawn uniformly
  // fixed_indegree: true draws WITH replacement (a pair may repeat: k synapses, the original default);
  // false draws k distinct sources (k <= source size).
  bool replace = true;
  double probability = 0.0;            // probability: independent Bernoulli per (source, target) pair
  std::vector<ExplicitSynapse> synapses;  // explicit_list
  std::int32_t delay = 1;                 // ticks, >= 1
  StdpParams stdp;
  // false (plastic projections only): the synapses learn from the spikes that arrive but add nothing to
  // their targets' input, so a pattern can be stored while the recurrent loop stays silent.
  bool transmit = true;
  NormalisationSpec normalise;
  // N >= 1: no synapse from source neuron i to target neuron j when i / N == j / N (indices within their
  // populations), so sub-populations of N neurons do not connect among themselves (N = 1 onto itself: no
  // self-synapses). Every rule but explicit_list; fixed_indegree draws that land in the group are dropped.
  std::uint32_t exclude_same_group = 0;
  // G >= 1 (all_to_all only; both sizes multiples of G): both populations cut into G equal blocks, only
  // pairs inside one block (source i / (ns / G) == target j / (nt / G)) connect: G circuits side by side.
  std::uint32_t blocks = 0;
  // Connectivity key (default: the projection's index). Projections sharing a key and using the
  // probability/all_to_all/one_to_one rules draw the same synapse for the same (global source, global
  // target) pair, so one population can be split into columns without changing the network.
  std::optional<std::uint64_t> key;
  // Plastic only: this projection's dopamine (default: the network's, NetworkSpec::dopamine).
  std::optional<DopamineParams> dopamine;
};

struct NetworkSpec {
  std::uint64_t seed = 1;
  std::vector<PopulationSpec> populations;
  std::vector<ProjectionSpec> projections;
  DopamineParams dopamine;  // of every plastic projection without its own
};

inline const DopamineParams& dopamine_of(const NetworkSpec& n, const ProjectionSpec& p) {
  return p.dopamine ? *p.dopamine : n.dopamine;
}

struct EngineOptions {
  int node = 0;           // populations with PopulationSpec::node == node are local
  unsigned threads = 1;   // worker threads inside this engine (results are identical for any count)
};

}  // namespace p3p::cortex
