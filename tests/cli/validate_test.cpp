// p3pctl validate on the shipped default topology and on broken files, run as a real process.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

using p3p::test::built_binary;
using p3p::test::run_process;
using p3p::test::TempDir;

namespace {

// The shipped default topology next to a freshly generated key, as the quick start sets it up.
std::filesystem::path default_topology_in(const TempDir& dir) {
  auto yaml = dir / "default.yaml";
  std::filesystem::copy_file(std::string(P3P_SOURCE_DIR) + "/topology/default.yaml", yaml);
  REQUIRE(run_process({built_binary("cli/p3pctl"), "keygen", (dir / "cluster.key").string()}).exit_code == 0);
  return yaml;
}

void write(const std::filesystem::path& p, const std::string& text) { std::ofstream(p) << text; }

}  // namespace

TEST_CASE("validate accepts the default topology and reports its size") {
  TempDir dir;
  auto yaml = default_topology_in(dir);

  auto table = run_process({built_binary("cli/p3pctl"), "validate", yaml.string()});
  INFO(table.err);
  REQUIRE(table.exit_code == 0);
  CHECK_THAT(table.out, Catch::Contains("nodeA") && Catch::Contains("nodeB") && Catch::Contains("nodeC"));

  auto js = run_process({built_binary("cli/p3pctl"), "validate", yaml.string(), "-o", "json"});
  REQUIRE(js.exit_code == 0);
  auto v = nlohmann::json::parse(js.out);
  CHECK(v["valid"] == true);
  CHECK(v["nodes"] == 3);
  CHECK(v["regions"] == 9);
  CHECK(v["columns"] == 29);
  CHECK(v["neurons"] == 2364);  // 6 cortex7 columns of 4, and the experiments' regions (Osc, Memory, Cart, Flock, Seq, Pattern, Anomaly)
  CHECK(v["synapses"].get<int>() > 250);  // the cortex7 columns hold 10 internal synapses each, plus projections
  REQUIRE(v["per_node"].size() == 3);
  CHECK(v["per_node"][0]["id"] == "nodeA");
  CHECK(v["per_node"][0]["columns"] == 8);
  CHECK(v["per_node"][1]["columns"] == 11);
  CHECK(v["per_node"][2]["columns"] == 10);

  auto y = run_process({built_binary("cli/p3pctl"), "validate", yaml.string(), "-o", "yaml"});
  CHECK(y.exit_code == 0);
  CHECK_THAT(y.out, Catch::Contains("columns: 29"));
}

TEST_CASE("validate points at the file, line and column of an error") {
  TempDir dir;
  auto yaml = default_topology_in(dir);
  std::ifstream in(yaml);
  std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  auto pos = text.find("  seed:");
  REQUIRE(pos != std::string::npos);
  const int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(pos), '\n'));
  text.replace(pos, 7, "  sede:");
  auto bad = dir / "bad.yaml";
  write(bad, text);

  auto r = run_process({built_binary("cli/p3pctl"), "validate", bad.string()});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("bad.yaml:" + std::to_string(line) + ":3") && Catch::Contains("sede") &&
                        Catch::Contains("seed"));

  auto js = run_process({built_binary("cli/p3pctl"), "validate", bad.string(), "-o", "json"});
  CHECK(js.exit_code == 1);
  auto v = nlohmann::json::parse(js.out);
  CHECK(v["valid"] == false);
  REQUIRE(!v["errors"].empty());
  CHECK(v["errors"][0]["line"] == line);
  CHECK(v["errors"][0]["column"] == 3);
}

TEST_CASE("validate refuses a key that others can read") {
  TempDir dir;
  auto yaml = default_topology_in(dir);
  std::filesystem::permissions(dir / "cluster.key", std::filesystem::perms::group_read,
                               std::filesystem::perm_options::add);
  auto r = run_process({built_binary("cli/p3pctl"), "validate", yaml.string()});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("cluster.key") && Catch::Contains("chmod 600"));
}

TEST_CASE("validate of a missing file or garbage exits 1 and a bad flag exits 2") {
  TempDir dir;
  auto missing = run_process({built_binary("cli/p3pctl"), "validate", (dir / "nope.yaml").string()});
  CHECK(missing.exit_code == 1);
  CHECK_THAT(missing.err, Catch::Contains("nope.yaml"));

  write(dir / "garbage.yaml", "cluster: [unclosed\n  nodes: {\n");
  auto garbage = run_process({built_binary("cli/p3pctl"), "validate", (dir / "garbage.yaml").string()});
  CHECK(garbage.exit_code == 1);
  CHECK_THAT(garbage.err, Catch::Contains("garbage.yaml:"));

  CHECK(run_process({built_binary("cli/p3pctl"), "validate", "x.yaml", "-o", "xml"}).exit_code == 2);
}

TEST_CASE("validate refuses a self-referencing alias with a located error instead of crashing") {
  TempDir dir;
  REQUIRE(run_process({built_binary("cli/p3pctl"), "keygen", (dir / "cluster.key").string()}).exit_code == 0);
  write(dir / "t.yaml", R"(cluster: {name: t, key_file: cluster.key}
nodes:
  - {id: nA, host: 127.0.0.1, router_port: 20001, pub_port: 20101, modules: [cortex7, mesh]}
regions: [{name: R, columns: [{id: c1, node: nA, preset: cortex7}]}]
jobs:
  - {id: j, type: command, args: &a {cmd: echo, self: *a}}
)");
  auto r = run_process({built_binary("cli/p3pctl"), "validate", (dir / "t.yaml").string()});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("t.yaml:6:") && Catch::Contains("a node that contains it"));
}

TEST_CASE("validate refuses a topology too big for this machine, naming the node and its estimate") {
  std::ifstream meminfo("/proc/meminfo");
  std::string name;
  std::uint64_t kib = 0;
  meminfo >> name >> kib;
  REQUIRE(name == "MemTotal:");
  // 10^10 plastic synapses on nB: about 149 GiB (16 B each).
  if (kib > (std::uint64_t{140} << 20)) {
    WARN("this machine has more memory than the oversized topology needs; nothing to refuse");
    return;
  }
  TempDir dir;
  REQUIRE(run_process({built_binary("cli/p3pctl"), "keygen", (dir / "cluster.key").string()}).exit_code == 0);
  write(dir / "big.yaml", R"(cluster: {name: t, key_file: cluster.key}
nodes:
  - {id: nA, host: 127.0.0.1, router_port: 20001, pub_port: 20101, modules: [cortex7, mesh]}
  - {id: nB, host: 127.0.0.1, router_port: 20002, pub_port: 20102, modules: [cortex7, mesh]}
regions: [{name: R, columns: [{id: a, node: nA, size: 100000}, {id: b, node: nB, size: 100000}]}]
projections: [{from: a, to: b, rule: all_to_all, weight: 0.01, plastic: true}]
)");
  auto r = run_process({built_binary("cli/p3pctl"), "validate", (dir / "big.yaml").string()});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("not enough memory: node 'nB' needs about 149.0 GiB") &&
                        Catch::Contains("(MemTotal)"));
  auto js = run_process({built_binary("cli/p3pctl"), "validate", (dir / "big.yaml").string(), "-o", "json"});
  CHECK(js.exit_code == 1);
  auto v = nlohmann::json::parse(js.out);
  CHECK(v["valid"] == false);
  CHECK(v["errors"][0]["code"] == "insufficient_memory");

  // The default topology fits, and its estimate is printed per node.
  TempDir other;
  auto ok = run_process({built_binary("cli/p3pctl"), "validate", default_topology_in(other).string(), "-o", "json"});
  REQUIRE(ok.exit_code == 0);
  auto d = nlohmann::json::parse(ok.out);
  CHECK(d["per_node"][0]["memory_bytes"].get<std::uint64_t>() > d["per_node"][0]["engine_bytes"].get<std::uint64_t>());
}
