// Writes the generated seeds of fuzz/corpus/: small valid inputs made by the project's own encoders, so
// each fuzzer starts past the first checks of its decoder. Run by hand after a format changes:
//   cmake --build build-fuzz --target fuzz_make_corpus && build-fuzz/fuzz/fuzz_make_corpus fuzz/corpus
// The hand-written seeds (control lines, YAML, HTTP heads, and edge cases) live beside these, named hand_*.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "bench/workload/reference_network.hpp"
#include "bus/codec.hpp"
#include "fuzz/fixtures.hpp"
#include "client/telemetry_format.hpp"
#include "nodes/mesh/spike_batch.hpp"
#include "nodes/persistence/manifest.hpp"
#include "nodes/persistence/snapshot_part.hpp"

using namespace p3p;
namespace fs = std::filesystem;

namespace {

void write(const fs::path& dir, const std::string& target, const std::string& name, bus::ByteView bytes) {
  fs::create_directories(dir / target);
  std::ofstream(dir / target / name, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()),
                                                             static_cast<std::streamsize>(bytes.size()));
}
void write(const fs::path& dir, const std::string& target, const std::string& name, const std::string& text) {
  write(dir, target, name, bus::as_bytes(text));
}

bus::EnvelopeView envelope(std::string_view sender, std::string_view cluster, std::uint64_t seq, bus::ByteView body) {
  bus::EnvelopeView e;
  e.cluster_id = cluster;
  e.sender = sender;
  e.target_node = "b";
  e.target_module = "mesocortex";
  e.kind = "spike_batch";
  e.seq = seq;
  e.boot_id = 42;
  e.timestamp_ns = fuzz::kNow - 1'000'000;
  e.body = body;
  return e;
}

void envelopes(const fs::path& dir) {
  bus::HmacSha256 hmac(bus::as_bytes(fuzz::kKey));
  const bus::Bytes body = mesh::encode_spike_batch(1, 7, 70, std::vector<cortex::Spike>{{71, 3}, {75, 9}});
  const bus::Bytes big(300, 0xab);  // a body over 255 bytes: bin16 headers
  const std::vector<std::pair<std::string, bus::EnvelopeView>> cases = {
      {"gen_ok", envelope("a", fuzz::kCluster, 1, body)},
      {"gen_big_body", envelope("b", fuzz::kCluster, 1ULL << 40, big)},
      {"gen_wrong_cluster", envelope("a", "other", 2, body)},
      {"gen_unknown_sender", envelope("z", fuzz::kCluster, 3, {})},
  };
  for (const auto& [name, e] : cases) {
    bus::Bytes frame, u;
    (void)bus::encode_frame(e, hmac, frame);
    bus::append_unsigned(e, u);
    write(dir, "envelope_decode", name, frame);
    write(dir, "envelope_verify", name, u);
    write(dir, "msgpack_reader", name, frame);
  }
}

void bodies(const fs::path& dir) {
  using nlohmann::json;
  const std::vector<std::pair<std::string, json>> cases = {
      {"gen_heartbeat", {{"epoch", 12}, {"tick", 120}, {"state", "running"}, {"spikes", "tcp://127.0.0.1:5000"}, {"restart", false}}},
      {"gen_stimulate", {{"column", "c0"}, {"pattern", {{{"neuron", 1}, {"current", 2.5}}}}, {"pattern_len", 2}, {"start_tick", -1}}},
      {"gen_error_reply", {{"code", "bad_args"}, {"message", "'tick' must be an integer"}}},
      {"gen_ping", {{"sent_ns", fuzz::kNow}}},
      {"gen_metrics", {{"regions", {{"r1", {{"spikes", 5}}}}}, {"columns", {{"c0", 3}}}, {"rate", 1.5e-3}, {"ok", nullptr}}},
  };
  for (const auto& [name, value] : cases) write(dir, "msgpack_body", name, json::to_msgpack(value));
}

void spikes(const fs::path& dir) {
  const std::vector<cortex::Spike> some = {{100, 0}, {101, 5}, {109, 999}};
  write(dir, "spike_batch", "gen_empty", mesh::encode_spike_batch(0, 0, 0, {}));
  write(dir, "spike_batch", "gen_three", mesh::encode_spike_batch(2, 10, 100, some));
  write(dir, "spike_batch", "gen_block", mesh::encode_spike_batch(2, 10, 100, some, 3));
  write(dir, "msgpack_reader", "gen_spike_batch", mesh::encode_spike_batch(2, 10, 100, some));

  const topology::Topology t = fuzz::small_topology();
  const control::ColumnIndex index(t);
  const std::vector<std::string> regions = {"r1", "r1", "r2"};
  const std::vector<control::WireSpike> local = {{50, 0}, {51, 3}, {51, 4}, {53, 13}, {54, 14}};
  write(dir, "telemetry_spikes", "gen_empty", control::encode_spikes(index, regions, {1, 50, 60, {}}));
  write(dir, "telemetry_spikes", "gen_three_columns", control::encode_spikes(index, regions, {2, 50, 60, local}));
}

void snapshots(const fs::path& dir) {
  bench::ReferenceParams r;
  r.neurons = 6;
  r.in_degree = 2;
  r.plastic = true;
  auto engine = cortex::Engine::create(bench::reference_network(r));
  for (int t = 0; t < 5; ++t) engine->step();
  const persistence::SnapshotPart part{.cluster = "c", .node = "a", .topology_hash = 0x1234, .next_epoch = 1,
                                       .engine = engine->export_state(), .inputs = {{1, {{4, 2}}}}, .spikes = 3,
                                       .raster_sum = 9, .population_spikes = {3}, .neuron_spikes = {{1, 0, 2, 0, 0, 0}},
                                       .regions_version = 1, .regions_json = R"({"r1":["c0"]})"};
  write(dir, "snapshot_part", "gen_small_engine", persistence::encode_part(part));

  persistence::Manifest m;
  m.name = persistence::manifest_name("a", 1'800'000'000'000);
  m.cluster = "c";
  m.topology_hash = 0x1234;
  m.tick = 50;
  m.epoch = 5;
  m.reason = "manual";
  m.created_unix_ms = 1'800'000'000'000;
  m.parts = {{"a", persistence::part_name(m.name, "a"), std::string(64, 'f'), 2048}};
  write(dir, "manifest", "gen_one_part", m.to_json().dump(2));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: fuzz_make_corpus <corpus dir>\n";
    return 2;
  }
  const fs::path dir = argv[1];
  envelopes(dir);
  bodies(dir);
  spikes(dir);
  snapshots(dir);
  return 0;
}
