// p3p-node: one process of a P3P Neuron cluster. Without a subcommand it runs a node of a topology
// (`p3p-node --topology FILE --node ID`, node_mode.cpp); `bench` runs the reference workload (bench/engine/bench_mode.cpp);
// `snapshot-bench` measures a snapshot of a running bench cluster for p3pctl bench --snapshot.
#include <CLI/CLI.hpp>

#include "bench/engine/bench_mode.hpp"
#include "bench/engine/snapshot_bench_mode.hpp"
#include "nodes/node_mode.hpp"
#include "p3p_version.hpp"

int main(int argc, char** argv) {
  CLI::App app{"p3p-node: a P3P Neuron node"};
  app.require_subcommand(0, 1);
  app.set_version_flag("-V,--version", std::string("p3p-node ") + p3p::kVersion);
  int exit_code = 0;
  p3p::node::add_bench_command(app, exit_code);
  p3p::node::add_snapshot_bench_command(app, exit_code);
  auto run_node = p3p::node::add_node_mode(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (app.get_subcommands().empty()) return run_node();
  return exit_code;
}
