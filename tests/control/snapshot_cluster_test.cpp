// Snapshots on a running default cluster (real p3p-node processes, real files in a temp dir): exact replay
// after a load, after every node was killed and after one node was; every bad load refused with the
// running state untouched; retention.
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "tests/control/port_support.hpp"

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
