// p3pctl validate FILE: load the topology, check its key file and that its nodes fit their machines' memory,
// print its size and estimated memory per node.
#include <iostream>
#include <optional>

#include "bus/key_file.hpp"
#include "cli/command.hpp"
#include "cli/output.hpp"
#include "common/error_code.hpp"
#include "topology/loader.hpp"
#include "topology/memory_check.hpp"
#include "topology/summary.hpp"

namespace p3p::cli {
namespace {

struct ValidateArgs {
  std::string file;
  Format format = Format::table;
};

std::string synapse_text(const topology::SynapseCount& c) {
  return (c.expected ? "~" : "") + std::to_string(c.count);
}

// What validate found: the sizes, the memory estimate and what the memory check said.
struct Report {
  topology::Summary sizes;
  std::vector<topology::NodeMemory> memory;  // per node, in the summary's order
  topology::MemoryCheck check;
};

nlohmann::json summary_json(const topology::Topology& t, const Report& r) {
  const topology::Summary& s = r.sizes;
  nlohmann::json per_node = nlohmann::json::array();
  for (std::size_t i = 0; i < s.per_node.size(); ++i) {
    const auto& n = s.per_node[i];
    const auto& m = r.memory[i];
    per_node.push_back({{"id", n.id}, {"columns", n.columns}, {"neurons", n.neurons},
                        {"synapses", n.synapses.count}, {"synapses_expected", n.synapses.expected},
                        {"memory_bytes", m.total_bytes()}, {"engine_bytes", m.engine_bytes()}});
  }
  return {{"valid", true},         {"file", t.source.string()}, {"cluster", t.cluster.name},
          {"nodes", s.nodes},      {"regions", s.regions},      {"columns", s.columns},
          {"neurons", s.neurons},  {"synapses", s.synapses.count},
          {"synapses_expected", s.synapses.expected},           {"per_node", per_node},
          {"warnings", r.check.warnings}};
}

void print_summary_table(std::ostream& out, const topology::Topology& t, const Report& r) {
  const topology::Summary& s = r.sizes;
  out << t.source.string() << ": valid (cluster " << t.cluster.name << ")\n"
      << s.nodes << " nodes, " << s.regions << " regions, " << s.columns << " columns, " << s.neurons
      << " neurons, " << synapse_text(s.synapses) << " synapses\n\n";
  std::vector<std::vector<std::string>> rows;
  for (std::size_t i = 0; i < s.per_node.size(); ++i) {
    const auto& n = s.per_node[i];
    rows.push_back({n.id, std::to_string(n.columns), std::to_string(n.neurons), synapse_text(n.synapses),
                    topology::format_bytes(r.memory[i].total_bytes())});
  }
  print_table(out, {"node", "columns", "neurons", "synapses", "memory (estimate)"}, rows);
}

// `code` names errors a script may want to tell apart; the loader's own errors have none.
void report_errors(Format format, const topology::Errors& errors, std::optional<ErrorCode> code = std::nullopt) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& e : errors) {
    list.push_back({{"file", e.file}, {"line", e.line}, {"column", e.column}, {"message", e.message}});
    if (code) list.back()["code"] = *code;
    std::cerr << e.to_string() << '\n';
  }
  if (format != Format::table) print_result(std::cout, format, {{"valid", false}, {"errors", list}}, {});
}

int run_validate(const ValidateArgs& args) {
  auto loaded = topology::load_file(args.file);
  if (!loaded) {
    report_errors(args.format, loaded.error());
    return kExitFailed;
  }
  const topology::Topology& t = *loaded;
  // The loader checks the key file exists; whether it is a usable key is the bus's rule.
  if (auto key = bus::load_key(t.cluster.key_file); !key) {
    report_errors(args.format, {{args.file, 0, 0, "cluster.key_file: " + key.error().message}});
    return kExitFailed;
  }
  Report r{topology::summary(t), topology::estimate_memory(t), {}};
  r.check = topology::check_memory(t, r.memory, topology::machine_memory());
  if (!r.check.errors.empty()) {
    topology::Errors errors;
    for (const auto& e : r.check.errors) errors.push_back({args.file, 0, 0, e});
    report_errors(args.format, errors, ErrorCode::insufficient_memory);
    return kExitFailed;
  }
  for (const auto& w : r.check.warnings) std::cerr << args.file << ": warning: " << w << '\n';
  print_result(std::cout, args.format, summary_json(t, r), [&](std::ostream& out) { print_summary_table(out, t, r); });
  return kExitOk;
}

}  // namespace

void add_validate_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ValidateArgs>();
  auto* sub = app.add_subcommand("validate", "check a topology file and print its size per node");
  sub->add_option("file", args->file, "topology YAML file")->required();
  add_output_option(*sub, args->format);
  sub->callback([args, &exit_code] { exit_code = run_validate(*args); });
}

}  // namespace p3p::cli
