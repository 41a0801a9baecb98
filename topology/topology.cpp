#include "topology/topology.hpp"

#include <algorithm>
#include <array>

namespace p3p::topology {
namespace {

// Each table is indexed by the enum's value, so the order must follow the enum declarations in topology.hpp.
constexpr std::array<std::string_view, 10> kModuleNames = {"logger",    "echo",        "cortex7", "mesocortex",
                                                           "mesh",      "metrics",     "control", "persistence",
                                                           "scheduler", "control_port"};
constexpr std::array<std::string_view, 3> kPlasticityRuleNames = {"pair", "legacy", "none"};
constexpr std::array<std::string_view, 3> kDopamineNames = {"gain", "eligibility", "off"};
constexpr std::array<std::string_view, 5> kConnectRuleNames = {"all_to_all", "one_to_one", "fixed_indegree",
                                                               "probability", "list"};
constexpr std::array<std::string_view, 3> kJobTypeNames = {"control_run_demo", "snapshot", "command"};

template <class Enum, std::size_t N>
std::optional<Enum> lookup(const std::array<std::string_view, N>& names, std::string_view s) {
  auto it = std::find(names.begin(), names.end(), s);
  if (it == names.end()) return std::nullopt;
  return static_cast<Enum>(it - names.begin());
}

template <std::size_t N, class Enum>
std::string_view name_of(const std::array<std::string_view, N>& names, Enum e) {
  auto i = static_cast<std::size_t>(e);
  return i < N ? names[i] : std::string_view("?");
}

}  // namespace

bool Node::runs(Module m) const { return std::find(modules.begin(), modules.end(), m) != modules.end(); }

std::span<const double> Column::thresholds() const {
  return preset_thresholds ? std::span<const double>(*preset_thresholds) : std::span<const double>();
}

std::span<const Synapse> Column::synapses() const {
  return preset_synapses ? std::span<const Synapse>(*preset_synapses) : std::span<const Synapse>();
}

double Column::threshold(std::uint32_t neuron) const {
  const auto t = thresholds();
  return neuron < t.size() ? t[neuron] : params.threshold;
}

const Node* find_node(const Topology& t, std::string_view id) {
  for (const Node& n : t.nodes)
    if (n.id == id) return &n;
  return nullptr;
}

const Region* find_region(const Topology& t, std::string_view name) {
  for (const Region& r : t.regions)
    if (r.name == name) return &r;
  return nullptr;
}

const Column* find_column(const Topology& t, std::string_view id) {
  for (const Region& r : t.regions)
    for (const Column& c : r.columns)
      if (c.id == id) return &c;
  return nullptr;
}

std::vector<const Column*> all_columns(const Topology& t) {
  std::vector<const Column*> out;
  for (const Region& r : t.regions)
    for (const Column& c : r.columns) out.push_back(&c);
  return out;
}

std::string_view to_string(Module m) { return name_of(kModuleNames, m); }
std::string_view to_string(PlasticityRule r) { return name_of(kPlasticityRuleNames, r); }
std::string_view to_string(DopamineMode d) { return name_of(kDopamineNames, d); }
std::string_view to_string(ConnectRule r) { return name_of(kConnectRuleNames, r); }
std::string_view to_string(JobType t) { return name_of(kJobTypeNames, t); }

std::optional<Module> module_from_string(std::string_view s) { return lookup<Module>(kModuleNames, s); }
std::optional<PlasticityRule> plasticity_rule_from_string(std::string_view s) {
  return lookup<PlasticityRule>(kPlasticityRuleNames, s);
}
std::optional<DopamineMode> dopamine_from_string(std::string_view s) { return lookup<DopamineMode>(kDopamineNames, s); }
std::optional<ConnectRule> connect_rule_from_string(std::string_view s) {
  return lookup<ConnectRule>(kConnectRuleNames, s);
}
std::optional<JobType> job_type_from_string(std::string_view s) { return lookup<JobType>(kJobTypeNames, s); }

std::span<const std::string_view> module_names() { return kModuleNames; }
std::span<const std::string_view> plasticity_rule_names() { return kPlasticityRuleNames; }
std::span<const std::string_view> dopamine_names() { return kDopamineNames; }
std::span<const std::string_view> connect_rule_names() { return kConnectRuleNames; }
std::span<const std::string_view> job_type_names() { return kJobTypeNames; }

}  // namespace p3p::topology
