// p3pctl up / status / down on the shipped default topology (copied to a temp dir with a fresh key and
// its ports rewritten to free ones), as real processes on 127.0.0.1.
#include <signal.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/support/background_process.hpp"
#include "tests/support/default_cluster_files.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

using namespace p3p::test;


TEST_CASE("up starts the default cluster, status shows it, a second up changes nothing, down stops it", "[cluster]") {
  TempDir dir;
  const auto yaml = default_topology_with_free_ports(dir);
  const std::string run_dir = (dir / "run").string();
  const std::string ctl = built_binary("cli/p3pctl");
  DownOnExit guard{{ctl, "down", yaml.string(), "--run-dir", run_dir}};

  auto up = run_process({ctl, "up", yaml.string(), "--run-dir", run_dir}, std::chrono::seconds(40));
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);
  CHECK_THAT(up.out, Catch::Contains("nodeA") && Catch::Contains("nodeB") && Catch::Contains("nodeC"));
  for (const char* n : {"nodeA", "nodeB", "nodeC"}) {
    CHECK(std::filesystem::exists(dir / "run" / (std::string("p3p-default.") + n + ".pid")));
    CHECK(std::filesystem::exists(dir / "run" / (std::string("p3p-default.") + n + ".log")));
  }

  auto st = run_process({ctl, "status", "--topology", yaml.string(), "-o", "json"}, std::chrono::seconds(15));
  REQUIRE(st.exit_code == 0);
  auto v = nlohmann::json::parse(st.out);
  REQUIRE(v["nodes"].size() == 3);
  for (const auto& n : v["nodes"]) {
    CHECK(n["state"] == "up");
    CHECK(n["peers_connected"] == 2);
    CHECK(n["node_state"] == "idle");
  }
  CHECK(v["nodes"][0]["columns"] == 8);
  CHECK(v["nodes"][1]["columns"] == 11);
  CHECK(v["nodes"][0]["modules"].size() == 10);
  auto yaml_out = run_process({ctl, "status", "--run-dir", run_dir, "-o", "yaml"}, std::chrono::seconds(15));
  CHECK(yaml_out.exit_code == 0);  // the topology remembered by `up`
  CHECK_THAT(yaml_out.out, Catch::Contains("id: nodeB"));

  const std::string pid_before = read_file(dir / "run" / "p3p-default.nodeA.pid");
  auto again = run_process({ctl, "up", yaml.string(), "--run-dir", run_dir}, std::chrono::seconds(40));
  CHECK(again.exit_code == 0);
  CHECK_THAT(again.out, Catch::Contains("already up"));
  CHECK(read_file(dir / "run" / "p3p-default.nodeA.pid") == pid_before);

  auto down = run_process({ctl, "down", yaml.string(), "--run-dir", run_dir}, std::chrono::seconds(30));
  CHECK(down.exit_code == 0);
  CHECK_THAT(down.out, Catch::Contains("nodeA: stopped"));
  CHECK_FALSE(std::filesystem::exists(dir / "run" / "p3p-default.nodeA.pid"));
  CHECK_THAT(read_file(dir / "run" / "p3p-default.nodeA.log"), Catch::Contains("node stopped"));

  auto after = nlohmann::json::parse(run_process({ctl, "status", "--topology", yaml.string(), "-o", "json"}).out);
  for (const auto& n : after["nodes"]) CHECK(n["state"] == "down");
}

TEST_CASE("up times out with a clear error and stops what it started", "[cluster]") {
  TempDir dir;
  const auto yaml = default_topology_with_free_ports(dir);
  std::string text = read_file(yaml);
  // nodeC on another host: p3pctl does not start it, so the mesh can never connect.
  replace_all(text, "  - id: nodeC\n    host: 127.0.0.1", "  - id: nodeC\n    host: 192.0.2.1");
  std::ofstream(yaml) << text;
  const std::string run_dir = (dir / "run").string();
  auto up = run_process({built_binary("cli/p3pctl"), "up", yaml.string(), "--run-dir", run_dir, "--timeout", "2"},
                        std::chrono::seconds(40));
  CHECK(up.exit_code == 1);
  CHECK_THAT(up.err, Catch::Contains("not ready within") && Catch::Contains("nodeC"));
  CHECK_FALSE(std::filesystem::exists(dir / "run" / "p3p-default.nodeA.pid"));
}

namespace {

nlohmann::json demo_on(const std::filesystem::path& yaml, const std::string& run_dir) {
  const std::string ctl = built_binary("cli/p3pctl");
  DownOnExit guard{{ctl, "down", yaml.string(), "--run-dir", run_dir}};
  auto up = run_process({ctl, "up", yaml.string(), "--run-dir", run_dir}, std::chrono::seconds(40));
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);
  auto demo = run_process({ctl, "demo", "--topology", yaml.string(), "-o", "json"}, std::chrono::seconds(40));
  INFO(demo.err);
  REQUIRE(demo.exit_code == 0);
  auto first = nlohmann::json::parse(demo.out);
  // A second demo continues from where the first ended.
  auto again = run_process({ctl, "demo", "--topology", yaml.string(), "-o", "json"}, std::chrono::seconds(40));
  REQUIRE(again.exit_code == 0);
  CHECK(nlohmann::json::parse(again.out)["start_tick"] == first["end_tick"]);
  auto table = run_process({ctl, "demo", "--topology", yaml.string()}, std::chrono::seconds(40));
  CHECK(table.exit_code == 0);
  CHECK_THAT(table.out, Catch::Contains("Region_AB") && Catch::Contains("nodeC") && Catch::Contains("total spikes"));
  return first;
}

std::uint64_t total(const nlohmann::json& counts) {
  std::uint64_t sum = 0;
  for (const auto& [k, v] : counts.items()) sum += v.get<std::uint64_t>();
  return sum;
}

}  // namespace

TEST_CASE("demo stimulates regions spanning all three nodes, and the spikes do not depend on the partition", "[cluster]") {
  TempDir dir;
  const auto yaml = default_topology_with_free_ports(dir);
  const auto spread = demo_on(yaml, (dir / "run").string());
  INFO(spread.dump(1));
  CHECK(spread["start_tick"] == 0);
  CHECK(spread["end_tick"] == 35);  // 5 cycles x 2 regions x 3 ticks + 5
  CHECK(spread["stimulations"] == 20);
  for (const char* node : {"nodeA", "nodeB", "nodeC"}) CHECK(spread["spikes_per_node"][node].get<int>() > 0);
  CHECK(spread["spikes_per_region"]["Region_AB"].get<int>() > 0);
  CHECK(spread["spikes_per_region"]["Region_BC"].get<int>() > 0);
  CHECK(total(spread["spikes_per_node"]) == spread["spikes_total"]);
  CHECK(total(spread["spikes_per_region"]) == spread["spikes_total"]);
  CHECK(total(spread["spikes_per_column"]) == spread["spikes_total"]);

  // The same topology with every column on nodeA (nodes B and C idle in the lockstep): the same spikes.
  // Fresh ports: the first cluster's were free seconds ago, and other tests' nodes bind kernel-picked ports.
  TempDir dir1;
  const auto yaml1 = default_topology_with_free_ports(dir1);
  std::string text = read_file(yaml1);
  replace_all(text, ", node: nodeB,", ", node: nodeA,");
  replace_all(text, ", node: nodeC,", ", node: nodeA,");
  std::ofstream(yaml1) << text;
  const auto single = demo_on(yaml1, (dir1 / "run").string());
  CHECK(single["spikes_per_node"]["nodeA"] == spread["spikes_total"]);
  CHECK(single["spikes_per_column"] == spread["spikes_per_column"]);

  // The cluster is down now: the demo says so and fails.
  auto down = run_process({built_binary("cli/p3pctl"), "demo", "--topology", yaml.string()}, std::chrono::seconds(40));
  CHECK(down.exit_code == 1);
  CHECK_THAT(down.err, Catch::Contains("cannot connect to the control port"));
}

TEST_CASE("p3pctl control verbs go through the control port: results, exit codes, outputs", "[cluster]") {
  TempDir dir;
  const auto yaml = default_topology_with_free_ports(dir);
  const std::string ctl = built_binary("cli/p3pctl");
  const std::string run_dir = (dir / "run").string();
  DownOnExit guard{{ctl, "down", yaml.string(), "--run-dir", run_dir}};
  REQUIRE(run_process({ctl, "up", yaml.string(), "--run-dir", run_dir}, std::chrono::seconds(40)).exit_code == 0);
  const std::string text = read_file(yaml);
  const auto control = text.find("\ncontrol:");
  const auto port_at = text.find("port: ", control);
  const std::string endpoint = "127.0.0.1:" + text.substr(port_at + 6, text.find_first_not_of("0123456789", port_at + 6) - port_at - 6);
  const auto run = [&](std::vector<std::string> args) {
    std::vector<std::string> argv{ctl};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.insert(argv.end(), {"--topology", yaml.string()});
    return run_process(argv, std::chrono::seconds(40));
  };

  auto stim = run({"stimulate", "Region_AB", "--neuron", "0", "--current", "1.5", "--len", "2", "-o", "json"});
  INFO(stim.err);
  REQUIRE(stim.exit_code == 0);
  auto s = nlohmann::json::parse(stim.out);
  CHECK(s["region"] == "Region_AB");
  CHECK(s["spikes_per_column"]["col_A1"].get<int>() >= 2);
  CHECK(nlohmann::json::parse(run({"reward", "0.5", "-o", "json"}).out)["nodes"].size() == 3);
  auto regional = run({"reward", "0.5", "--region", "Region_AB", "-o", "json"});
  INFO(regional.err);
  CHECK(nlohmann::json::parse(regional.out)["nodes"].size() == 2);  // nodeA and nodeB hold Region_AB
  auto nowhere = run({"reward", "0.5", "--region", "Region_Nowhere"});
  CHECK(nowhere.exit_code == 1);
  CHECK_THAT(nowhere.err, Catch::Contains("unknown_region"));
  CHECK(nlohmann::json::parse(run({"thresholds", "0.4", "-o", "json"}).out)["changed"] == 2364);  // every neuron of the default topology
  auto adv = nlohmann::json::parse(run({"advance", "100", "-o", "json"}).out);
  CHECK(adv["end_tick"].get<int>() - adv["start_tick"].get<int>() == 100);
  CHECK(run({"pause"}).exit_code == 0);
  auto refused = run({"advance", "5"});
  CHECK(refused.exit_code == 1);
  CHECK_THAT(refused.err, Catch::Contains("cluster_not_running"));
  CHECK(run({"resume"}).exit_code == 0);
  auto commands = run({"commands"});
  CHECK(commands.exit_code == 0);
  CHECK_THAT(commands.out, Catch::Contains("stimulate_region") && Catch::Contains("stim_cycles=5"));
  auto yaml_out = run({"call", R"({"cmd": "echo", "args": {"node": "nodeC"}})", "-o", "yaml"});
  CHECK(yaml_out.exit_code == 0);
  CHECK_THAT(yaml_out.out, Catch::Contains("node: nodeC"));
  CHECK(run({"call", R"({"cmd": "nope"})"}).exit_code == 1);
  CHECK(run({"call", "not json"}).exit_code == 2);
  CHECK(run({"stimulate", "Region_AB"}).exit_code == 2);  // --neuron and --current are required
  auto by_endpoint = run_process({ctl, "call", R"({"cmd": "list_commands"})", "--endpoint", endpoint, "-o", "json"});
  CHECK(by_endpoint.exit_code == 0);
  CHECK(nlohmann::json::parse(by_endpoint.out).size() >= 22);
  CHECK(run_process({ctl, "status", "--endpoint", "nonsense"}).exit_code == 2);  // status has no --endpoint: usage error
}
