// p3pctl demo [--topology FILE] [--region R]... [--stim-cycles S] [--advance-ticks T] [--pattern-len L]
//             [--neuron N] [--current X] [-o table|json|yaml]
// Runs the stimulation demo (cluster_demo.hpp) on a running cluster and prints the spikes it caused per
// node and region. The defaults are the original's run_demo: Region_AB and Region_BC, 5 cycles of neuron
// 0 at 0.7 for 3 ticks each, then 5 ticks more.
#include <iostream>

#include "cli/cluster_args.hpp"
#include "cli/cluster_views.hpp"
#include "nodes/control/cluster_demo.hpp"
#include "cli/command.hpp"
#include "cli/output.hpp"

namespace p3p::cli {
using control::NodeClient;
using control::DemoPlan;
using control::run_demo;
namespace {

struct DemoArgs {
  std::string topology;
  std::string run_dir = ".p3p";
  Format format = Format::table;
  DemoPlan plan;
  std::uint32_t neuron = 0;
  double current = 0.7;
};

int run_demo_command(DemoArgs& args) {
  const std::string file = resolve_topology_file(args.topology, args.run_dir);
  if (file.empty()) {
    std::cerr << "p3pctl demo: no topology: give --topology FILE, set P3P_TOPOLOGY, or bring a cluster up first\n";
    return kExitUsage;
  }
  auto topo = load_topology(file);
  if (!topo) {
    std::cerr << topo.error() << '\n';
    return kExitFailed;
  }
  auto client = NodeClient::open(*topo);
  if (!client) {
    std::cerr << "p3pctl demo: " << client.error() << '\n';
    return kExitFailed;
  }
  args.plan.pattern = nlohmann::json::array({{{"neuron", args.neuron}, {"current", args.current}}});
  auto report = run_demo(*topo, **client, args.plan);
  if (!report) {
    std::cerr << "p3pctl demo: " << report.error().text() << '\n';
    return kExitFailed;
  }
  print_result(std::cout, args.format, *report, [&](std::ostream& out) { print_demo_table(out, *report); });
  return kExitOk;
}

}  // namespace

void add_demo_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<DemoArgs>();
  auto* sub = app.add_subcommand("demo", "stimulate regions spanning the nodes of a running cluster and show the spikes");
  sub->add_option("--topology", args->topology, "topology YAML file (default: $P3P_TOPOLOGY, then the cluster last brought up)");
  add_run_dir_option(*sub, args->run_dir);
  sub->add_option("--region", args->plan.regions, "region to stimulate (repeatable)")->capture_default_str();
  sub->add_option("--stim-cycles", args->plan.stim_cycles, "stimulation cycles")->capture_default_str()->check(CLI::Range(0, 100000));
  sub->add_option("--advance-ticks", args->plan.advance_ticks, "ticks to run after the stimulation")
      ->capture_default_str()->check(CLI::Range(0, 100000000));
  sub->add_option("--pattern-len", args->plan.pattern_len, "repetitions of the pattern per stimulation (one tick each)")
      ->capture_default_str()->check(CLI::Range(1, 100000));
  sub->add_option("--neuron", args->neuron, "neuron index stimulated in every column")->capture_default_str();
  sub->add_option("--current", args->current, "current injected")->capture_default_str()->check(CLI::Range(-1000.0, 1000.0));
  add_output_option(*sub, args->format);
  sub->callback([args, &exit_code] { exit_code = run_demo_command(*args); });
}

}  // namespace p3p::cli
