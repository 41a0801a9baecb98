// p3pctl bench: the engine's reference workload (the Brian2 comparison workload). p3pctl does not link the
// engine, so the run is handed to `p3p-node bench`, whose one JSON line is passed through (or shown as a
// table / YAML). With --nodes M it runs split over M local p3p-node processes instead (cluster_bench.hpp);
// with --telemetry it measures the spike stream to a subscriber (telemetry_bench.hpp); with --snapshot,
// snapshot create and load (snapshot_bench.hpp).

#include <algorithm>
#include <cstdio>
#include <iostream>

#include "bench/client/cluster_bench.hpp"
#include "bench/client/snapshot_bench.hpp"
#include "bench/client/telemetry_bench.hpp"
#include "bench/workload/reference_params.hpp"
#include "cli/command.hpp"
#include "cli/local_nodes.hpp"
#include "cli/output.hpp"

namespace p3p::cli {
namespace {

struct BenchArgs {
  unsigned long neurons = bench::reference::kNeurons;
  unsigned long in_degree = bench::reference::kInDegree;
  unsigned long ticks = bench::reference::kTicks;
  bool plastic = false;
  unsigned long seed = bench::reference::kSeed;
  unsigned threads = bench::reference::kThreads;
  unsigned nodes = 0;  // 0: one engine in one process (p3p-node bench); M: a cluster of M processes
  bool telemetry = false;  // the telemetry stream instead (telemetry_bench.hpp)
  bool snapshot = false;   // snapshot create/load times and sizes instead (snapshot_bench.hpp)
  unsigned tick_ms = 0;
  Format format = Format::json;
};

std::vector<std::string> node_argv(const std::string& binary, const BenchArgs& a) {
  std::vector<std::string> argv{binary,          "bench",        "--neurons", std::to_string(a.neurons),
                                "--in-degree",   std::to_string(a.in_degree), "--ticks", std::to_string(a.ticks),
                                "--seed",        std::to_string(a.seed),      "--threads", std::to_string(a.threads)};
  if (a.plastic) argv.emplace_back("--plastic");
  return argv;
}

Expected<nlohmann::json, std::string> run_single(const BenchArgs& args) {
  auto binary = find_node_binary();
  if (!binary) return unexpected(binary.error());
  auto out = run_captured(node_argv(binary->string(), args));
  if (!out) return unexpected(out.error());
  auto result = nlohmann::json::parse(*out, nullptr, false);
  if (result.is_discarded() || !result.is_object()) return unexpected(std::string("p3p-node printed no JSON result"));
  return result;
}

ClusterBenchConfig cluster_config(const BenchArgs& args) {
  ClusterBenchConfig c;
  c.neurons = static_cast<std::uint32_t>(args.neurons);
  c.in_degree = static_cast<std::uint32_t>(args.in_degree);
  c.ticks = static_cast<std::int64_t>(args.ticks);
  c.plastic = args.plastic;
  c.seed = args.seed;
  c.threads = args.threads;
  c.nodes = std::max(args.nodes, 1U);
  return c;
}

Expected<nlohmann::json, std::string> run_telemetry(const BenchArgs& args) {
  TelemetryBenchConfig c;
  c.neurons = static_cast<std::uint32_t>(args.neurons);
  c.ticks = static_cast<std::int64_t>(args.ticks);
  c.tick_ms = args.tick_ms;
  return run_telemetry_bench(c);
}

int run_bench(const BenchArgs& args) {
  auto result = args.telemetry ? run_telemetry(args)
                : args.snapshot ? run_snapshot_bench(cluster_config(args))
                : args.nodes > 0 ? run_cluster_bench(cluster_config(args))
                                 : run_single(args);
  if (!result) {
    std::cerr << "p3pctl bench: " << result.error() << '\n';
    return kExitFailed;
  }
  print_result(std::cout, args.format, *result, [&](std::ostream& os) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& [key, value] : result->items()) rows.push_back({key, value.is_string() ? value.get<std::string>() : value.dump()});
    print_table(os, {"field", "value"}, rows);
  });
  return kExitOk;
}

}  // namespace

void add_bench_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<BenchArgs>();
  auto* sub = app.add_subcommand("bench", "run the engine's reference workload and print one JSON line");
  sub->add_option("--neurons", args->neurons, "neurons (first 80% excitatory)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  sub->add_option("--in-degree", args->in_degree, "random inputs per neuron")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  sub->add_option("--ticks", args->ticks, "ticks to simulate")->capture_default_str();
  sub->add_flag("--plastic", args->plastic, "pair STDP on every synapse");
  sub->add_option("--seed", args->seed, "seed")->capture_default_str();
  sub->add_option("--threads", args->threads, "engine worker threads")
      ->capture_default_str()
      ->check(CLI::Range(1U, 256U));
  sub->add_option("--nodes", args->nodes,
                  "split the workload over this many local p3p-node processes in lockstep over tcp loopback (1-6); "
                  "adds nodes and epoch_exchange_p50_us to the result")
      ->check(CLI::Range(1U, 6U));
  sub->add_flag("--telemetry", args->telemetry,
                "instead: one node streams its spikes (--neurons, all firing every tick, for --ticks) to one verifying "
                "subscriber; reports spikes_per_s and whether any were lost");
  sub->add_flag("--snapshot", args->snapshot,
                "instead: the plastic reference workload on --nodes M (default 1) processes, then a cluster snapshot and "
                "its load; reports create_s, load_s, file_bytes and state_bytes");
  sub->add_option("--tick-ms", args->tick_ms, "with --telemetry: pacing in ms per tick (0 = as fast as possible)")
      ->check(CLI::Range(0U, 1000U));
  add_output_option(*sub, args->format);
  sub->callback([args, &exit_code] { exit_code = run_bench(*args); });
}

}  // namespace p3p::cli
