#pragma once
// The cluster described by a topology file, as plain data. The loader (loader.hpp) fills these structs and has
// already checked every rule in README.md, so consumers can trust names to resolve, sizes to match and paths to
// be absolute. Nothing here depends on YAML, so nodes and tools can pass a Topology around freely.
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace p3p::topology {

struct Cluster {
  std::string name;                  // also the cluster id on the wire
  std::filesystem::path key_file;    // absolute; the file existed when the topology was loaded
  std::uint64_t seed = 1;
  std::uint32_t tick_ms = 0;         // pacing; 0 = as fast as possible
  std::uint32_t heartbeat_timeout_ms = 2000;
  std::uint32_t replay_window_ms = 30000;
};

// Leaky integrate-and-fire parameters: each tick v <- v*leak + baseline + noise + input; spike when
// v >= threshold, then v <- reset.
struct NeuronParams {
  double leak = 0.95;
  double baseline = 0.01;
  double noise = 0.005;              // amplitude of uniform noise in [-noise, +noise]
  double threshold = 1.0;
  double reset = 0.0;
  std::optional<double> v_min;       // floor for v; none = unbounded (the original had none)
};

struct Synapse {
  std::uint32_t pre = 0;             // neuron index within the source column
  std::uint32_t post = 0;            // neuron index within the target column
  double weight = 0.0;
};

// A reusable column recipe. "cortex7" (the original core) always exists; see builtin.hpp.
struct Preset {
  std::uint32_t size = 0;
  std::string params = "default";    // name of a neuron parameter set
  std::vector<double> thresholds;    // per neuron; empty = every neuron uses the parameter set's threshold
  bool plastic = true;               // whether the internal synapses learn
  std::vector<Synapse> synapses;     // internal synapses, in creation order (the engine's outgoing order)
};

enum class PlasticityRule { pair, legacy, none };
enum class DopamineMode { gain, eligibility, off };

struct Plasticity {
  PlasticityRule rule = PlasticityRule::pair;
  double a_plus = 0.01;
  double a_minus = 0.012;
  double tau_plus = 20.0;            // ticks
  double tau_minus = 20.0;           // ticks
  double w_min = -2.0;
  double w_max = 2.0;
  // Whether w_min / w_max were written (in the cluster's section or the projection's own): a plastic
  // projection that leaves one out keeps its weights' sign instead (sign_preserving_bounds).
  bool w_min_given = false;
  bool w_max_given = false;
  DopamineMode dopamine = DopamineMode::gain;
  double tau_c = 1000.0;             // eligibility trace decay, ticks
  double tau_d = 200.0;              // dopamine decay, ticks
  double eta = 0.01;                 // eligibility learning rate: dw = eta * c * d per tick
};

enum class Module { logger, echo, cortex7, mesocortex, mesh, metrics, control, persistence, scheduler, control_port };

struct Node {
  std::string id;
  std::string host;
  std::uint16_t router_port = 0;     // ROUTER: commands, spike batches, coordination
  std::uint16_t pub_port = 0;        // PUB: telemetry
  std::optional<std::uint16_t> metrics_port;  // Prometheus HTTP
  std::uint32_t threads = 1;         // engine worker threads
  std::vector<Module> modules;

  bool runs(Module m) const;
};

struct Column {
  std::string id;
  std::string region;                // name of the region that lists it
  std::string node;                  // id of the node that simulates it
  std::string preset;                // empty when the column was given by size only
  std::uint32_t size = 0;
  std::string params_name = "default";
  std::string role;                  // what an experiment uses it for (input, hidden, output, ...); may be empty
  NeuronParams params;               // the resolved parameter set
  bool plastic = false;              // whether the internal synapses learn
  // From the preset, shared by every column made from it (10^5 columns need not hold 10^5 copies); null when
  // the column has no preset. Read them through thresholds() and synapses().
  std::shared_ptr<const std::vector<double>> preset_thresholds;
  std::shared_ptr<const std::vector<Synapse>> preset_synapses;
  // Global id of neuron 0. Columns are numbered in file order, so anything keyed by global neuron id (noise)
  // does not depend on how columns are spread over nodes.
  std::uint64_t first_neuron = 0;

  // Per neuron; empty = params.threshold for every neuron.
  std::span<const double> thresholds() const;
  // The internal synapses, in the preset's creation order.
  std::span<const Synapse> synapses() const;
  double threshold(std::uint32_t neuron) const;
};

struct Region {
  std::string name;
  std::vector<Column> columns;       // in file order
};

enum class ConnectRule { all_to_all, one_to_one, fixed_indegree, probability, list };

struct WeightSpec {
  enum class Kind { constant, uniform, normal };
  Kind kind = Kind::constant;
  double value = 0.0;                // constant
  double lo = 0.0, hi = 0.0;         // uniform [lo, hi]
  double mean = 0.0, sd = 0.0;       // normal
};

struct Projection {
  std::string from;                  // column id
  std::string to;                    // column id
  // Where from and to are in all_columns() (file order), resolved by the loader: no lookups by name later.
  std::uint32_t from_index = 0;
  std::uint32_t to_index = 0;
  ConnectRule rule = ConnectRule::all_to_all;
  std::uint32_t k = 0;               // fixed_indegree: sources per target neuron
  bool replace = true;               // fixed_indegree: draw with replacement (a pair may repeat); false: k distinct
  double p = 0.0;                    // probability: chance of each pair
  std::vector<Synapse> synapses;     // list: explicit synapses with their own weights
  WeightSpec weight;                 // every rule but list
  std::uint32_t delay = 1;           // ticks, >= 1
  std::uint32_t exclude_same_group = 0;  // N >= 1: no synapse i -> j with i / N == j / N; 0: none
  // G >= 1 (all_to_all only): both columns cut into G equal blocks, synapses only from block b of `from` to
  // block b of `to` (one small circuit per block, side by side in shared columns); 0: none.
  std::uint32_t blocks = 0;
  bool plastic = false;
  bool transmit = true;              // false (plastic only): learns, delivers nothing
  Plasticity plasticity;             // the cluster default with this projection's overrides applied
};

struct Control {
  std::string node;                  // runs module control_port
  std::string host = "127.0.0.1";
  std::uint16_t port = 10080;
  std::optional<std::string> token;  // required when host is not a loopback address
  std::uint32_t max_clients = 64;
  double idle_timeout_s = 300;  // a connection with no complete line or reply byte for this long is closed
  double line_timeout_s = 10;   // a line started must end (newline) within this
};

struct Persistence {
  std::filesystem::path snapshot_dir;  // absolute
  std::uint32_t keep = 0;              // newest N manifests kept; 0 = all
};

struct Metrics {
  std::filesystem::path dump_path;     // absolute
};

struct Results {
  std::filesystem::path dir;           // absolute; experiment result documents go here
};

enum class JobType { control_run_demo, snapshot, command };

struct Job {
  std::string id;
  JobType type = JobType::control_run_demo;
  double delay_s = 0.0;
  std::uint32_t repeat = 1;
  double interval_s = 0.0;
  // Every job is a control command: run_demo, snapshot, or args.cmd for type command. The arguments are JSON
  // text because the command dispatcher parses JSON arguments anyway (one command path).
  std::string command;
  std::string args_json = "{}";
};

struct Topology {
  std::filesystem::path source;      // the file as loaded (display name for load_string)
  std::filesystem::path base_dir;    // relative paths in the file resolve against this
  std::uint64_t source_hash = 0;     // FNV-1a 64 of the file's bytes (hash.hpp)
  Cluster cluster;
  std::map<std::string, NeuronParams> neuron_params;  // always has "default"
  std::map<std::string, Preset> presets;              // always has "cortex7"
  Plasticity plasticity;             // cluster default
  std::vector<Node> nodes;
  std::vector<Region> regions;
  std::vector<Projection> projections;
  std::optional<Control> control;    // none = no control port
  Persistence persistence;
  Metrics metrics;
  Results results;
  std::vector<Job> jobs;
};

// Lookups by name; nullptr when absent.
const Node* find_node(const Topology& t, std::string_view id);
const Region* find_region(const Topology& t, std::string_view name);
const Column* find_column(const Topology& t, std::string_view id);
// Every column in file order (region by region), the order global neuron ids follow.
std::vector<const Column*> all_columns(const Topology& t);

// Names as written in the file, and back. from_string returns nullopt for an unknown name.
std::string_view to_string(Module m);
std::string_view to_string(PlasticityRule r);
std::string_view to_string(DopamineMode d);
std::string_view to_string(ConnectRule r);
std::string_view to_string(JobType t);
std::optional<Module> module_from_string(std::string_view s);
std::optional<PlasticityRule> plasticity_rule_from_string(std::string_view s);
std::optional<DopamineMode> dopamine_from_string(std::string_view s);
std::optional<ConnectRule> connect_rule_from_string(std::string_view s);
std::optional<JobType> job_type_from_string(std::string_view s);

// All names of each kind, in declaration order (for messages and help text).
std::span<const std::string_view> module_names();
std::span<const std::string_view> plasticity_rule_names();
std::span<const std::string_view> dopamine_names();
std::span<const std::string_view> connect_rule_names();
std::span<const std::string_view> job_type_names();

}  // namespace p3p::topology
