// Snapshots on a running default cluster (real p3p-node processes, real files in a temp dir): exact replay
// after a load, after every node was killed and after one node was; every bad load refused with the
// running state untouched (parts that are not files, parts of two snapshots mixed); retention, and parts
// left without a manifest removed.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "nodes/control/cluster_snapshot.hpp"
#include "nodes/persistence/manifest.hpp"
#include "tests/control/port_support.hpp"
#include "topology/loader.hpp"

using namespace p3p::test;

namespace {

// Where the cluster is: the raster hash over all nodes and the common tick.
struct At {
  std::string hash;
  std::int64_t tick = -1;
  bool operator==(const At&) const = default;
};

At at(LineClient& c) {
  auto s = c.ask(R"({"cmd": "status"})");
  REQUIRE(s["ok"] == true);
  At a{s["result"]["raster_hash"].is_string() ? s["result"]["raster_hash"].get<std::string>() : "", -1};
  for (const auto& n : s["result"]["nodes"]) {
    const auto tick = n["tick"].get<std::int64_t>();
    if (a.tick >= 0) CHECK(tick == a.tick);  // the nodes stand together
    a.tick = tick;
  }
  return a;
}

void advance(LineClient& c, int ticks) {
  auto r = c.ask(nlohmann::json{{"cmd", "advance"}, {"args", {{"ticks", ticks}}}}.dump());
  INFO(r.dump());
  REQUIRE(r["ok"] == true);
}

// Noise-driven activity on every node (thresholds below the resting level), so replay has spikes to get wrong.
void make_active(LineClient& c) { ok(c, {{"cmd", "debug_low_thresholds"}, {"args", {{"threshold", 0.05}}}}); }

}  // namespace

TEST_CASE("snapshot at T/2, load, run T/2 again: the same spikes, also after kill -9 of every node", "[cluster]") {
  Cluster cluster;
  LineClient c(cluster.port);
  make_active(c);
  advance(c, 300);
  const At middle = at(c);
  const auto snap = ok(c, {{"cmd", "snapshot"}, {"args", {{"reason", "half way"}}}});
  CHECK(snap["tick"] == 300);
  CHECK(snap["parts"].size() == 3);
  for (const auto& p : snap["parts"]) CHECK(std::filesystem::exists(cluster.dir / "snapshots" / p["file"].get<std::string>()));
  CHECK(std::filesystem::exists(cluster.dir / "snapshots" / snap["name"].get<std::string>()));
  CHECK(at(c) == middle);  // taking it changed nothing
  advance(c, 300);
  const At straight = at(c);
  REQUIRE(straight.tick == 600);
  REQUIRE(straight.hash != middle.hash);

  const auto loaded = ok(c, {{"cmd", "load_snapshot"}, {"args", {{"path", snap["name"]}}}});
  CHECK(loaded["tick"] == 300);
  CHECK(at(c) == middle);  // the counters and the raster hash are the snapshot's
  advance(c, 300);
  CHECK(at(c) == straight);

  for (const char* node : {"nodeA", "nodeB", "nodeC"}) cluster.kill_node(node);
  cluster.up();
  LineClient fresh(cluster.port);
  CHECK(at(fresh).tick == 0);
  ok(fresh, {{"cmd", "load_snapshot"}, {"args", {{"path", "latest"}}}});
  CHECK(at(fresh) == middle);
  advance(fresh, 300);
  CHECK(at(fresh) == straight);
}

TEST_CASE("a node killed and restarted: the cluster waits for a load, then goes on exactly", "[cluster]") {
  Cluster cluster;
  LineClient c(cluster.port);
  make_active(c);
  advance(c, 200);
  ok(c, {{"cmd", "snapshot"}});
  advance(c, 200);
  const At straight = at(c);
  cluster.kill_node("nodeB");
  cluster.up();  // nodeB comes back empty; the others are at tick 400
  auto blocked = c.ask(R"({"cmd": "advance", "args": {"ticks": 10}})");
  CHECK(code(blocked) == "cluster_not_running");
  ok(c, {{"cmd", "load_snapshot"}});
  advance(c, 200);
  CHECK(at(c) == straight);
}

TEST_CASE("load_snapshot refuses corrupt, truncated, foreign, missing and traversing snapshots, changing nothing", "[cluster]") {
  Cluster cluster;
  LineClient c(cluster.port);
  make_active(c);
  advance(c, 100);
  const auto snap = ok(c, {{"cmd", "snapshot"}});
  const auto dir = cluster.dir / "snapshots";
  const std::string name = snap["name"];
  advance(c, 50);
  const At before = at(c);
  const auto refused = [&](const nlohmann::json& args, const std::string& expected, const std::string& says) {
    auto r = c.ask(nlohmann::json{{"cmd", "load_snapshot"}, {"args", args}}.dump());
    INFO(r.dump());
    CHECK(code(r) == expected);
    if (!says.empty()) CHECK_THAT(r["error"]["message"].get<std::string>(), Catch::Contains(says));
    CHECK(at(c) == before);
  };
  refused({{"path", "../" + name}}, "bad_args", "not a snapshot name");
  refused({{"path", "/etc/passwd"}}, "bad_args", "");
  refused({{"path", "snapshot_nodeA_20000101T000000.000Z.json"}}, "snapshot_not_found", "");

  const auto part_b = dir / snap["parts"][1]["file"].get<std::string>();
  const std::string original = read_file(part_b);
  std::string flipped = original;
  flipped[flipped.size() / 2] = static_cast<char>(flipped[flipped.size() / 2] ^ 0x5a);
  std::ofstream(part_b, std::ios::binary | std::ios::trunc) << flipped;
  refused({{"path", name}}, "snapshot_corrupt", snap["parts"][1]["file"].get<std::string>());
  std::ofstream(part_b, std::ios::binary | std::ios::trunc) << original.substr(0, original.size() / 3);
  refused({{"path", name}}, "snapshot_corrupt", "nodeB");
  std::filesystem::remove(part_b);
  refused({{"path", name}}, "snapshot_corrupt", "nodeB");
  std::ofstream(part_b, std::ios::binary | std::ios::trunc) << original;

  auto manifest = nlohmann::json::parse(read_file(dir / name));
  const auto good_manifest = manifest.dump(2);
  manifest["topology_hash"] = "0123456789abcdef";
  std::ofstream(dir / name, std::ios::trunc) << manifest.dump(2);
  refused({{"path", name}}, "topology_mismatch", "another topology");
  std::ofstream(dir / name, std::ios::trunc) << good_manifest.substr(0, 40);
  refused({{"path", name}}, "snapshot_corrupt", "not JSON");
  std::ofstream(dir / name, std::ios::trunc) << good_manifest;
  CHECK(ok(c, {{"cmd", "load_snapshot"}, {"args", {{"path", name}}}})["tick"] == 100);  // whole again: loads
}

TEST_CASE("retention keeps the newest N snapshots, and prune_snapshots removes manifests and every node's parts", "[cluster]") {
  Cluster cluster(64, {{"keep: 0", "keep: 2"}});
  LineClient c(cluster.port);
  std::vector<std::string> names;
  for (int i = 0; i < 3; ++i) {
    advance(c, 10);
    names.push_back(ok(c, {{"cmd", "snapshot"}, {"args", {{"reason", std::to_string(i)}}}})["name"]);
  }
  auto list = ok(c, {{"cmd", "list_snapshots"}});
  REQUIRE(list.size() == 2);
  CHECK(list[0]["name"] == names[1]);
  CHECK(list[1]["name"] == names[2]);
  CHECK(list[1]["reason"] == "2");
  CHECK(list[1]["tick"] == 30);
  const auto files = [&] {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(cluster.dir / "snapshots")) ++n;
    return n;
  };
  CHECK(files() == 2 * 4);  // a manifest and three parts each
  ok(c, {{"cmd", "prune_snapshots"}, {"args", {{"keep", 1}}}});
  CHECK(files() == 4);
  CHECK(ok(c, {{"cmd", "list_snapshots"}})[0]["name"] == names[2]);
}

TEST_CASE("the scheduler takes periodic snapshots from a job in the topology", "[cluster]") {
  Cluster cluster(64, {{"jobs: []", "jobs:\n  - {id: periodic, type: snapshot, delay_s: 0.1, repeat: 3, interval_s: 0.3, args: {reason: periodic}}"}});
  LineClient c(cluster.port);
  nlohmann::json list;
  for (int i = 0; i < 100 && list.size() < 3; ++i) {  // 0.1 + 2 x 0.3 s after the cluster formed
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    list = ok(c, {{"cmd", "list_snapshots"}});
  }
  REQUIRE(list.size() == 3);
  for (const auto& m : list) CHECK(m["reason"] == "periodic");
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  CHECK(ok(c, {{"cmd", "list_snapshots"}}).size() == 3);  // repeat: 3, no more
  const auto status = ok(c, {{"cmd", "status"}});
  CHECK(status["nodes"][0]["modules"].dump().find("\"started\":true") != std::string::npos);
}

TEST_CASE("a part that is a directory, a link, a fifo or a 64 GiB sparse file is refused, every node lives on unchanged", "[cluster]") {
  Cluster cluster;
  LineClient c(cluster.port);
  make_active(c);
  advance(c, 100);
  const auto snap = ok(c, {{"cmd", "snapshot"}});
  advance(c, 50);
  const At before = at(c);
  const auto part_b = cluster.dir / "snapshots" / snap["parts"][1]["file"].get<std::string>();
  std::filesystem::rename(part_b, cluster.dir / "part_b.saved");
  const auto huge = cluster.dir / "huge";  // 64 GiB that take no disk
  { std::ofstream touch(huge); }
  std::filesystem::resize_file(huge, std::uint64_t{64} << 30);
  const auto refused = [&](const std::string& says) {
    auto r = c.ask(nlohmann::json{{"cmd", "load_snapshot"}, {"args", {{"path", snap["name"]}}}}.dump());
    INFO(r.dump());
    CHECK(code(r) == "snapshot_corrupt");
    CHECK_THAT(r["error"]["message"].get<std::string>(), Catch::Contains(says));
    CHECK(at(c) == before);  // every node answers (the raster hash needs all three) and stands where it stood
    std::filesystem::remove(part_b);
  };
  std::filesystem::create_directory(part_b);
  refused("not a regular file");
  std::filesystem::create_symlink(huge, part_b);
  refused("symbolic link");
  REQUIRE(::mkfifo(part_b.c_str(), 0600) == 0);
  refused("not a regular file");
  { std::ofstream touch(part_b); }
  std::filesystem::resize_file(part_b, std::uint64_t{64} << 30);  // a plain file this time, as sparse
  refused("more than the");
  std::filesystem::rename(cluster.dir / "part_b.saved", part_b);
  CHECK(ok(c, {{"cmd", "load_snapshot"}, {"args", {{"path", snap["name"]}}}})["tick"] == 100);
}

TEST_CASE("a manifest taking one node's part from another snapshot, or lying about its tick, is refused", "[cluster]") {
  Cluster cluster;
  LineClient c(cluster.port);
  make_active(c);
  advance(c, 100);
  const auto first = ok(c, {{"cmd", "snapshot"}});
  advance(c, 50);
  const auto second = ok(c, {{"cmd", "snapshot"}});
  REQUIRE(second["tick"] == 150);
  advance(c, 30);
  const At before = at(c);
  const auto dir = cluster.dir / "snapshots";
  const std::string name = first["name"];
  const std::string good = read_file(dir / name);
  const auto refused = [&](const nlohmann::json& manifest, const std::string& says) {
    std::ofstream(dir / name, std::ios::trunc) << manifest.dump(2);
    auto r = c.ask(nlohmann::json{{"cmd", "load_snapshot"}, {"args", {{"path", name}}}}.dump());
    INFO(r.dump());
    CHECK(code(r) == "snapshot_corrupt");
    CHECK_THAT(r["error"]["message"].get<std::string>(), Catch::Contains(says));
    CHECK(at(c) == before);
  };
  auto mixed = nlohmann::json::parse(good);
  REQUIRE(mixed["parts"][1]["node"] == "nodeB");
  mixed["parts"][1] = second["parts"][1];  // nodeB's part of the snapshot at tick 150, with its true SHA-256
  refused(mixed, "not one snapshot");
  auto lying = nlohmann::json::parse(good);
  lying["tick"] = 1'000'000'000'000'000'000;
  refused(lying, "tick 1000000000000000000");
  std::ofstream(dir / name, std::ios::trunc) << good;
  const auto loaded = ok(c, {{"cmd", "load_snapshot"}, {"args", {{"path", name}}}});
  CHECK(loaded["tick"] == 100);
  for (const char* node : {"nodeA", "nodeB", "nodeC"}) CHECK(loaded["at"][node]["tick"] == 100);  // as the nodes say
  CHECK(at(c).tick == 100);
}

namespace {

// The control node's file layer with the rename of the manifest failing (a full disk, or kill -9 before it).
class ManifestWriteFails : public p3p::persistence::FileOps {
 public:
  p3p::Expected<void, std::string> rename(const std::filesystem::path& from, const std::filesystem::path& to, bool replace) override {
    if (p3p::persistence::is_manifest_name(to.filename().string())) return p3p::unexpected(std::string("injected: no space left"));
    return FileOps::rename(from, to, replace);
  }
};

// What write_atomically names a file while writing it (appended step by step: GCC 12 -Wrestrict).
std::string temporary(std::string name) {
  name.insert(0, 1, '.');
  return name.append(".tmp-4242");
}

std::vector<std::string> files_in(const std::filesystem::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("a snapshot whose manifest cannot be written leaves no part, prune removes parts no manifest names", "[cluster]") {
  Cluster cluster;
  LineClient c(cluster.port);
  advance(c, 20);
  const auto kept = ok(c, {{"cmd", "snapshot"}});
  const auto dir = cluster.dir / "snapshots";
  const auto whole = files_in(dir);
  REQUIRE(whole.size() == 4);

  // The real nodes write their parts; this process writes the manifest, through a file layer that fails.
  auto topo = p3p::topology::load_file(cluster.yaml);
  REQUIRE(topo);
  auto client = p3p::control::NodeClient::open(*topo);
  REQUIRE(client);
  ManifestWriteFails ops;
  auto failed = p3p::control::take_snapshot(*topo, **client, "doomed", ops);
  REQUIRE_FALSE(failed);
  CHECK(to_string(failed.error().code) == "io_error");
  CHECK_THAT(failed.error().message, Catch::Contains("injected"));
  CHECK(files_in(dir) == whole);  // its three parts went with it
  advance(c, 10);                 // and the cluster was released

  // Left by a kill -9 between the parts and the manifest: parts, and a part's and a manifest's temporary file.
  const std::string lost = p3p::persistence::manifest_name("nodeA", 1795914436000);
  for (const char* node : {"nodeA", "nodeB", "nodeC"}) std::ofstream(dir / p3p::persistence::part_name(lost, node)) << "left over";
  std::ofstream(dir / temporary(p3p::persistence::part_name(lost, "nodeB"))) << "half";
  std::ofstream(dir / temporary(lost)) << "half";
  std::ofstream(dir / "notes.txt") << "not a snapshot file: stays";
  const auto pruned = ok(c, {{"cmd", "prune_snapshots"}, {"args", {{"keep", 10}}}});
  CHECK(pruned["removed"].empty());
  CHECK(pruned["orphans_removed"].size() == 5);
  auto expected = whole;
  expected.push_back("notes.txt");
  std::sort(expected.begin(), expected.end());
  CHECK(files_in(dir) == expected);
  CHECK(ok(c, {{"cmd", "load_snapshot"}, {"args", {{"path", kept["name"]}}}})["tick"] == 20);  // the whole one untouched
}
