// p3p-node: one process of a P3P Neuron cluster. Each mode is a subcommand registered by its own file
// (bench_mode.cpp today; the topology/cluster mode joins the same way).
#include <CLI/CLI.hpp>

#include "nodes/bench_mode.hpp"
#include "p3p_version.hpp"

int main(int argc, char** argv) {
  CLI::App app{"p3p-node: a P3P Neuron node"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(p3p::kVersion));
  int exit_code = 0;
  p3p::node::add_bench_command(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  return exit_code;
}
