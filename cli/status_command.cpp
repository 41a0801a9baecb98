// p3pctl status [--topology FILE] [-o table|json|yaml]: every node's state, tick, sizes, peers, rejected
// envelopes and epoch exchange timings, asked over the wire. Without --topology: $P3P_TOPOLOGY, then the
// topology last brought up from the run dir, then the cluster last brought up here. Exit 0 when every node
// is up, 1 when one is down or lost, 2 when there is no topology to ask about.
#include <algorithm>
#include <iostream>

#include "cli/cluster_args.hpp"
#include "cli/cluster_views.hpp"
#include "client/cluster_status.hpp"
#include "cli/command.hpp"
#include "cli/output.hpp"

namespace p3p::cli {
using control::NodeClient;
using control::cluster_status;
namespace {

struct StatusArgs {
  std::string topology;
  std::string run_dir = ".p3p";
  Format format = Format::table;
};

int run_status(const StatusArgs& args) {
  const std::string file = resolve_topology_file(args.topology, args.run_dir);
  if (file.empty()) {
    std::cerr << "p3pctl status: no topology: give --topology FILE, set P3P_TOPOLOGY, or bring a cluster up first\n";
    return kExitUsage;
  }
  auto topo = load_topology(file);
  if (!topo) {
    std::cerr << topo.error() << '\n';
    return kExitFailed;
  }
  auto client = NodeClient::open(*topo);
  if (!client) {
    std::cerr << "p3pctl status: " << client.error() << '\n';
    return kExitFailed;
  }
  const auto status = cluster_status(*topo, **client);
  print_result(std::cout, args.format, status, [&](std::ostream& out) { print_status_table(out, status); });
  // For scripts: 0 only when every node is up; a node down or lost is exit 1 (the table says which).
  const auto& nodes = status["nodes"];
  const bool all_up = std::all_of(nodes.begin(), nodes.end(), [](const nlohmann::json& n) { return n["state"] == "up"; });
  return all_up ? kExitOk : kExitFailed;
}

}  // namespace

void add_status_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<StatusArgs>();
  auto* sub = app.add_subcommand("status", "show every node of a cluster: up/lost/down, tick, peers, rejections");
  sub->add_option("--topology", args->topology, "topology YAML file");
  add_run_dir_option(*sub, args->run_dir);
  add_output_option(*sub, args->format);
  sub->callback([args, &exit_code] { exit_code = run_status(*args); });
}

}  // namespace p3p::cli
