#include "bench/engine/snapshot_bench_mode.hpp"

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "client/node_client.hpp"
#include "nodes/control/cluster_snapshot.hpp"
#include "nodes/persistence/file_ops.hpp"
#include "nodes/persistence/snapshot_part.hpp"
#include "topology/loader.hpp"

namespace p3p::node {
namespace {

// The bytes of state a part holds: every vector of the engine state, the inputs and the counters.
std::uint64_t state_bytes(const persistence::SnapshotPart& p) {
  std::uint64_t n = 0;
  const auto add = [&n](const auto& v) { n += v.size() * sizeof(v[0]); };
  for (const auto& s : p.engine.populations) add(s.v), add(s.threshold), add(s.last_spike), add(s.pending_input);
  for (const auto& s : p.engine.projections) {
    add(s.weights), add(s.pre_traces), add(s.post_traces), add(s.eligibility), add(s.eligibility_offsets);
    for (const auto& a : s.arrivals) add(a);
    add(s.dopamine.history);
  }
  n += p.engine.injections.size() * sizeof(cortex::PendingInjection);
  for (const auto& in : p.inputs) add(in.spikes);
  add(p.population_spikes);
  return n;
}

Expected<nlohmann::json, std::string> measure(const topology::Topology& t) {
  auto client = control::NodeClient::open(t);
  if (!client) return unexpected(client.error());
  auto taken = control::take_snapshot(t, **client, "bench");
  if (!taken) return unexpected("snapshot: " + taken.error().text());
  std::uint64_t file_bytes = 0, held = 0, synapses = 0;
  for (const auto& p : (*taken)["parts"]) {
    const auto path = t.persistence.snapshot_dir / p["file"].get<std::string>();
    file_bytes += std::filesystem::file_size(path);
    auto bytes = persistence::read_file(path, std::filesystem::file_size(path));  // the bench's own fresh part
    if (!bytes) return unexpected(bytes.error());
    auto part = persistence::decode_part(bus::ByteView(*bytes));
    if (!part) return unexpected(part.error());
    held += state_bytes(*part);
    for (const auto& s : part->engine.projections) synapses += s.weights.size();
  }
  control::RegionStore regions(control::RegionLayout::from_topology(t));
  auto loaded = control::load_snapshot(t, **client, regions, (*taken)["name"].get<std::string>());
  if (!loaded) return unexpected("load: " + loaded.error().text());
  return nlohmann::json{{"plastic_synapses", synapses},
                        {"tick", (*taken)["tick"]},
                        {"create_s", (*taken)["total_s"]},
                        {"create_hold_s", (*taken)["hold_s"]},
                        {"load_s", (*loaded)["total_s"]},
                        {"load_stage_s", (*loaded)["stage_s"]},
                        {"file_bytes", file_bytes},
                        {"state_bytes", held},
                        {"file_to_state", held ? static_cast<double>(file_bytes) / static_cast<double>(held) : 0.0}};
}

int run(const std::string& file) {
  auto t = topology::load_file(file);
  if (!t) {
    for (const auto& e : t.error()) std::cerr << e.to_string() << '\n';
    return 1;
  }
  auto result = measure(*t);
  if (!result) {
    std::cerr << "snapshot-bench: " << result.error() << '\n';
    return 1;
  }
  std::cout << result->dump() << std::endl;
  return 0;
}

}  // namespace

void add_snapshot_bench_command(CLI::App& app, int& exit_code) {
  auto file = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("snapshot-bench",
                                     "Take and load a snapshot of a running (bench) cluster and print one JSON line "
                                     "(p3pctl bench --snapshot runs it)");
  cmd->add_option("--topology", *file, "the running cluster's topology")->required();
  cmd->callback([file, &exit_code] { exit_code = run(*file); });
}

}  // namespace p3p::node
