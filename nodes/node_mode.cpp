#include "nodes/node_mode.hpp"

#include <iostream>
#include <map>
#include <memory>
#include <new>

#include "nodes/loop/logger.hpp"
#include "nodes/runtime/node.hpp"
#include "nodes/runtime/signals.hpp"

namespace p3p::node {
namespace {

struct NodeArgs {
  std::string topology;
  std::string node;
  std::int64_t ticks = 0;
  std::string log_file;
  std::string level = "info";
  std::uint32_t reference_in_degree = 0;  // > 0: the columns are blocks of the reference workload
  bool reference_plastic = false;
};

int run_node(const NodeArgs& args) {
  if (args.topology.empty() || args.node.empty()) {
    std::cerr << "p3p-node: --topology FILE and --node ID are required (or a subcommand, see --help)\n";
    return 2;
  }
  // First, before any thread exists (the ZeroMQ context starts I/O threads): block the stop signals so
  // that only the event loop's signal fd sees them.
  runtime::StopSignals signals;
  std::unique_ptr<runtime::Logger> log;
  try {
    const std::map<std::string, runtime::Level> levels{{"debug", runtime::Level::debug}, {"info", runtime::Level::info},
                                                       {"warn", runtime::Level::warn}, {"error", runtime::Level::error}};
    log = std::make_unique<runtime::Logger>(args.node, args.log_file, levels.at(args.level));
  } catch (const std::exception& e) {
    std::cerr << "p3p-node: " << e.what() << '\n';
    return 1;
  }
  runtime::NodeOptions options{args.topology, args.node, args.ticks, {}};
  if (args.reference_in_degree > 0) {
    bench::ReferenceParams r;
    r.in_degree = args.reference_in_degree;
    r.plastic = args.reference_plastic;
    options.reference = r;  // neurons and seed come from the topology (Node::create)
  }
  try {
    auto node = runtime::Node::create(options, *log);
    if (!node) {
      log->log(runtime::Level::error, "runtime", "cannot start", {{"error", node.error()}});
      std::cerr << "p3p-node: " << node.error() << '\n';
      return 1;
    }
    const int code = (*node)->run(signals);
    // The log may be a file: say on stderr too why the node ended (e.g. its engine did not fit in memory).
    if (code != 0 && !(*node)->failure().empty()) std::cerr << "p3p-node: " << (*node)->failure() << '\n';
    return code;
  } catch (const std::bad_alloc&) {
    // The engine and the network spec report their own; this is the last word for anything else.
    log->log(runtime::Level::error, "runtime", "out of memory", {});
    std::cerr << "p3p-node: out of memory; `p3pctl validate` estimates what each node needs\n";
    return 1;
  }
}

}  // namespace

std::function<int()> add_node_mode(CLI::App& app) {
  auto args = std::make_shared<NodeArgs>();
  app.add_option("--topology", args->topology, "topology YAML file (node mode)");
  app.add_option("--node", args->node, "id of the node to run, as in the topology (node mode)");
  app.add_option("--ticks", args->ticks,
                 "run the cluster in lockstep up to this tick, then idle (rounded up to a whole epoch); "
                 "0 = stay at tick 0")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--reference-in-degree", args->reference_in_degree,
                 "benchmark: the topology's columns are the blocks of the reference workload (p3p-node bench's "
                 "network, split) with this in-degree; used by `p3pctl bench --nodes M`")
      ->check(CLI::PositiveNumber);
  app.add_flag("--reference-plastic", args->reference_plastic, "benchmark: pair STDP on every reference synapse");
  app.add_option("--log-file", args->log_file, "write JSON-lines logs here instead of stderr");
  app.add_option("--log-level", args->level, "debug, info, warn or error")
      ->check(CLI::IsMember({"debug", "info", "warn", "error"}));
  return [args] { return run_node(*args); };
}

}  // namespace p3p::node
