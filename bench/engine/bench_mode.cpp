#include "bench/engine/bench_mode.hpp"

#include <sys/resource.h>

#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "bench/engine/reference_workload.hpp"

namespace p3p::node {

namespace {

std::uint64_t peak_rss_bytes() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<std::uint64_t>(u.ru_maxrss) * 1024ULL;  // Linux reports KiB
}

std::string hex64(std::uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

int run_bench(const bench::WorkloadConfig& c) {
  auto r = bench::run_reference_workload(c);
  if (!r) {
    std::cerr << "bench: " << r.error().message << "\n";
    return 1;
  }
  const std::uint64_t rss = peak_rss_bytes();
  nlohmann::json j = {
      {"engine", "p3p-cortex"},
      {"neurons", c.neurons},
      {"in_degree", c.in_degree},
      {"plastic", c.plastic},
      {"threads", c.threads},
      {"seed", c.seed},
      {"synapses", r->synapses},
      {"ticks", c.ticks},
      {"spikes", r->spikes},
      {"sim_wall_s", r->sim_wall_s},
      {"setup_wall_s", r->setup_wall_s},
      {"synaptic_events_per_s", r->synaptic_events_per_s},
      {"peak_rss_bytes", rss},
      {"bytes_per_synapse", r->synapses ? static_cast<double>(rss) / static_cast<double>(r->synapses) : 0.0},
      {"engine_bytes", r->engine_bytes},
      {"raster_hash", hex64(r->raster_hash)},
      {"raster_hash_kind", "fnv1a64-words(tick,global_id)"},
      {"mean_rate", r->mean_rate},
  };
  std::cout << j.dump() << std::endl;
  return 0;
}

}  // namespace

void add_bench_command(CLI::App& app, int& exit_code) {
  auto cfg = std::make_shared<bench::WorkloadConfig>();
  CLI::App* cmd = app.add_subcommand("bench", "Run the Brian2 reference workload and print one JSON line");
  cmd->add_option("--neurons", cfg->neurons, "Number of neurons")->capture_default_str()->check(CLI::PositiveNumber);
  cmd->add_option("--in-degree", cfg->in_degree, "Synapses per neuron (sources drawn with replacement)")
      ->capture_default_str();
  cmd->add_option("--ticks", cfg->ticks, "Ticks to simulate")->capture_default_str()->check(CLI::NonNegativeNumber);
  cmd->add_flag("--plastic", cfg->plastic, "Pair STDP on all synapses");
  cmd->add_option("--seed", cfg->seed, "Seed")->capture_default_str();
  cmd->add_option("--threads", cfg->threads, "Worker threads")->capture_default_str()->check(CLI::Range(1U, 256U));
  cmd->callback([cfg, &exit_code] { exit_code = run_bench(*cfg); });
}

}  // namespace p3p::node
