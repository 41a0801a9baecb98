// p3pctl bench hands the reference workload to p3p-node and passes its one JSON line through.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/support/process.hpp"

using p3p::test::built_binary;
using p3p::test::run_process;

namespace {
nlohmann::json bench(const std::vector<std::string>& extra) {
  std::vector<std::string> argv{built_binary("cli/p3pctl"), "bench", "--neurons", "1000", "--in-degree", "20",
                                "--ticks", "200"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  auto r = run_process(argv);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  REQUIRE(std::count(r.out.begin(), r.out.end(), '\n') == 1);  // one JSON line
  return nlohmann::json::parse(r.out);
}
}  // namespace

TEST_CASE("p3pctl bench prints the engine's figures as one JSON line") {
  const auto v = bench({});
  for (const char* field : {"engine", "neurons", "synapses", "ticks", "spikes", "sim_wall_s", "setup_wall_s",
                            "synaptic_events_per_s", "peak_rss_bytes", "bytes_per_synapse", "raster_hash"}) {
    CHECK(v.contains(field));
  }
  CHECK(v["neurons"] == 1000);
  CHECK(v["synapses"] == 20000);
  CHECK(v["ticks"] == 200);
  CHECK(v["spikes"].get<long>() > 0);
}

TEST_CASE("p3pctl bench gives the same raster for 1 and 2 threads and another for another seed") {
  const auto one = bench({});
  CHECK(bench({"--threads", "2"})["raster_hash"] == one["raster_hash"]);
  CHECK(bench({"--seed", "2"})["raster_hash"] != one["raster_hash"]);
}

TEST_CASE("p3pctl bench rejects impossible sizes as usage errors") {
  CHECK(run_process({built_binary("cli/p3pctl"), "bench", "--neurons", "0"}).exit_code == 2);
  CHECK(run_process({built_binary("cli/p3pctl"), "bench", "--threads", "0"}).exit_code == 2);
}

TEST_CASE("p3pctl bench --nodes M splits the workload over M processes and the raster does not depend on M", "[cluster]") {
  const auto one = bench({"--nodes", "1"});
  for (const char* field : {"engine", "nodes", "neurons", "synapses", "ticks", "spikes", "sim_wall_s", "setup_wall_s",
                            "synaptic_events_per_s", "peak_rss_bytes", "bytes_per_synapse", "raster_hash",
                            "epoch_exchange_p50_us"})
    CHECK(one.contains(field));
  CHECK(one["nodes"] == 1);
  CHECK(one["synapses"] == 20000);
  CHECK(one["epoch_ticks"] == 1);
  CHECK(one["spikes"].get<long>() > 0);
  for (const char* m : {"2", "3"}) {
    const auto split = bench({"--nodes", m});
    INFO(split.dump(1));
    CHECK(split["nodes"] == std::stoi(m));
    CHECK(split["per_node"].size() == static_cast<std::size_t>(std::stoi(m)));
    CHECK(split["synapses"] == one["synapses"]);
    CHECK(split["spikes"] == one["spikes"]);
    CHECK(split["raster_hash"] == one["raster_hash"]);
    CHECK(split["epoch_exchange_p50_us"].get<long>() > 0);
  }
  CHECK(bench({"--nodes", "2", "--plastic"})["raster_hash"] == bench({"--nodes", "1", "--plastic"})["raster_hash"]);
  CHECK(bench({"--nodes", "2", "--seed", "2"})["raster_hash"] != one["raster_hash"]);
  CHECK(run_process({built_binary("cli/p3pctl"), "bench", "--nodes", "7"}).exit_code == 2);
}

TEST_CASE("p3pctl bench --telemetry: every spike a node publishes reaches one subscriber, none lost", "[cluster]") {
  const auto v = bench({"--telemetry"});  // 1000 neurons all firing for 200 ticks: 200,000 spikes
  INFO(v.dump());
  CHECK(v["bench"] == "telemetry");
  CHECK(v["spikes_published"] == 200000);
  CHECK(v["spikes_received"] == 200000);
  CHECK(v["lost_batches"] == 0);
  CHECK(v["tick_gaps"] == 0);
  CHECK(v["rejected"] == 0);
  CHECK(v["lossless"] == true);
  CHECK(v["batches"].get<int>() >= 1);
  CHECK(v["spikes_per_s"].get<double>() > 0);
}

TEST_CASE("p3pctl bench --snapshot creates and loads a cluster snapshot and reports its size against the state", "[cluster]") {
  const auto v = bench({"--snapshot", "--nodes", "2"});  // 1000 neurons x 20 plastic inputs, 200 ticks
  INFO(v.dump());
  CHECK(v["bench"] == "snapshot");
  CHECK(v["plastic_synapses"] == 20000);
  CHECK(v["tick"] == 200);
  CHECK(v["create_s"].get<double>() > 0);
  CHECK(v["load_s"].get<double>() > 0);
  CHECK(v["file_to_state"].get<double>() >= 1.0);
  CHECK(v["file_to_state"].get<double>() < 1.2);
}
