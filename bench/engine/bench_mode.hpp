#pragma once
// `p3p-node bench`: the reference workload, one JSON line on stdout.
#include <CLI/CLI.hpp>

namespace p3p::node {

// Adds the `bench` subcommand to `app`; its callback runs the workload and sets `exit_code`.
void add_bench_command(CLI::App& app, int& exit_code);

}  // namespace p3p::node
