// The C++ side of the reference workload reads bench/reference_workload.json, the one declaration that
// bench/brian2_model.py reads too (tests/bench/check_brian2_workload.py is the Python side): the network
// the engine builds and the defaults of p3p-node bench and p3pctl bench are the file's, value for value.
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "bench/engine/reference_workload.hpp"
#include "bench/workload/reference_network.hpp"
#include "tests/support/process.hpp"

using p3p::test::built_binary;
using p3p::test::run_process;

namespace {

nlohmann::json declared() {
  std::ifstream in(std::string(P3P_SOURCE_DIR) + "/bench/reference_workload.json");
  REQUIRE(in);
  return nlohmann::json::parse(in);
}

// One JSON line of a bench that builds the default network and runs no tick.
nlohmann::json run_no_ticks(const std::string& binary) {
  const auto r = run_process({built_binary(binary), "bench", "--ticks", "0"}, std::chrono::seconds(120));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return nlohmann::json::parse(r.out);
}

void check_run_defaults(const nlohmann::json& printed, const nlohmann::json& run) {
  for (const char* key : {"neurons", "in_degree", "seed", "threads"}) {
    INFO(key);
    CHECK(printed[key] == run[key]);
  }
}

}  // namespace

TEST_CASE("the reference network the engine builds has the declared model") {
  const auto file = declared();
  const auto& m = file["model"];
  const auto& s = file["stdp"];
  const std::uint32_t n = 10;
  const auto spec = p3p::bench::reference_network({.neurons = n, .in_degree = 3, .plastic = true, .seed = 1});
  REQUIRE(spec.populations.size() == 1);
  const auto& p = spec.populations[0].params;
  CHECK(p.leak == m["leak"].get<double>());
  CHECK(p.baseline == m["baseline"].get<double>());
  CHECK(p.noise == m["noise"].get<double>());
  CHECK(p.threshold == m["threshold"].get<double>());
  CHECK(p.reset == m["reset"].get<double>());
  CHECK(p.v_init_min == m["v_init_min"].get<double>());
  CHECK(p.v_init_max == m["v_init_max"].get<double>());

  REQUIRE(spec.projections.size() == 1);
  const auto& j = spec.projections[0];
  CHECK(j.delay == m["delay"].get<int>());
  const auto excitatory = static_cast<std::uint32_t>(m["excitatory_fraction"].get<double>() * n);
  const double weight = m["weight"].get<double>();
  REQUIRE(j.source_weights.size() == n);
  for (std::uint32_t i = 0; i < n; ++i)
    CHECK(j.source_weights[i] == (i < excitatory ? weight : -m["inhibitory_scale"].get<double>() * weight));
  CHECK(j.stdp.rule == p3p::cortex::StdpRule::pair);
  CHECK(j.stdp.a_plus == s["a_plus"].get<double>());
  CHECK(j.stdp.a_minus == s["a_minus"].get<double>());
  CHECK(j.stdp.tau_plus == s["tau"].get<double>());
  CHECK(j.stdp.tau_minus == s["tau"].get<double>());
  CHECK(j.stdp.w_min == s["w_min"].get<double>());
  CHECK(j.stdp.w_max == s["w_max"].get<double>());
  CHECK(p3p::bench::reference_network({.neurons = n, .in_degree = 3, .plastic = false, .seed = 1})
            .projections[0]
            .stdp.rule == p3p::cortex::StdpRule::none);
}

TEST_CASE("the workload's default run is the declared one in the engine's and the bench's structs") {
  const auto run = declared()["run"];
  const p3p::bench::ReferenceParams network;
  CHECK(network.neurons == run["neurons"].get<std::uint32_t>());
  CHECK(network.in_degree == run["in_degree"].get<std::uint32_t>());
  CHECK(network.seed == run["seed"].get<std::uint64_t>());
  const p3p::bench::WorkloadConfig bench;
  CHECK(bench.neurons == run["neurons"].get<std::uint32_t>());
  CHECK(bench.in_degree == run["in_degree"].get<std::uint32_t>());
  CHECK(bench.ticks == run["ticks"].get<std::int64_t>());
  CHECK(bench.seed == run["seed"].get<std::uint64_t>());
  CHECK(bench.threads == run["threads"].get<unsigned>());
}

TEST_CASE("p3p-node bench and p3pctl bench run the declared defaults") {
  const auto run = declared()["run"];
  check_run_defaults(run_no_ticks("nodes/p3p-node"), run);
  check_run_defaults(run_no_ticks("cli/p3pctl"), run);
  // The tick count is shown as each command's default (running it would take seconds).
  const std::regex ticks_default("--ticks [^\\n]*=" + std::to_string(run["ticks"].get<std::int64_t>()) + "\\s");
  for (const char* binary : {"nodes/p3p-node", "cli/p3pctl"}) {
    INFO(binary);
    const auto help = run_process({built_binary(binary), "bench", "--help"});
    CHECK(std::regex_search(help.out, ticks_default));
  }
}
