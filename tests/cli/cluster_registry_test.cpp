// `status` and `down` find a cluster that `up` brought up with --run-dir (the registry in $XDG_RUNTIME_DIR,
// here a temp dir of the test's own), `down` also stops nodes it finds only by asking them their pid, and
// exits 1 when a node it should stop stays up; `status` exits 0 only when every node is up and answers fast
// when nothing runs. Real p3pctl and p3p-node processes on 127.0.0.1.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "tests/support/background_process.hpp"
#include "tests/support/default_cluster_files.hpp"
#include "tests/support/poll.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

using namespace p3p::test;

TEST_CASE("status and down find a cluster brought up with --run-dir, status exit codes, status is fast when nothing runs", "[cluster]") {
  TempDir dir;
  const auto yaml = default_topology_with_free_ports(dir);
  const std::string ctl = built_binary("cli/p3pctl");
  const std::string elsewhere = (dir / "elsewhere").string();
  const std::vector<std::string> env{"XDG_RUNTIME_DIR=" + (dir / "xdg").string(), "P3P_TOPOLOGY="};
  const std::string cwd = dir.path().string();  // its ./.p3p is empty: only the registry knows `elsewhere`
  const auto run = [&](std::vector<std::string> args) {
    args.insert(args.begin(), ctl);
    return run_process(args, std::chrono::seconds(40), cwd, env);
  };
  DownOnExit guard{{ctl, "down", yaml.string(), "--run-dir", elsewhere}};

  CHECK(run({"status"}).exit_code == 2);  // nothing brought up yet: no topology to ask about
  const auto before = std::chrono::steady_clock::now();
  auto stopped = run({"status", "--topology", yaml.string()});
  const auto took = std::chrono::steady_clock::now() - before;
  CHECK(stopped.exit_code == 1);
  CHECK_THAT(stopped.out, Catch::Contains("down"));
  CHECK(took < std::chrono::milliseconds(1500));  // 2.5 s when each node's request had to time out

  auto up = run({"up", yaml.string(), "--run-dir", elsewhere});
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);
  CHECK_THAT(up.out, Catch::Contains("control port: 127.0.0.1:") && Catch::Contains("next: p3pctl demo"));

  auto status = run({"status", "-o", "json"});
  INFO(status.err);
  CHECK(status.exit_code == 0);
  const auto nodes = nlohmann::json::parse(status.out)["nodes"];
  REQUIRE(nodes.size() == 3);
  for (const auto& n : nodes) CHECK(n["state"] == "up");

  auto down = run({"down", yaml.string()});  // no --run-dir
  INFO(down.out << down.err);
  CHECK(down.exit_code == 0);
  CHECK_THAT(down.out, Catch::Contains("nodeA: stopped") && Catch::Contains("nodeC: stopped"));
  CHECK_FALSE(std::filesystem::exists(dir / "elsewhere" / "p3p-default.nodeA.pid"));
  CHECK(run({"status", "--topology", yaml.string()}).exit_code == 1);
  CHECK(run({"status"}).exit_code == 2);  // down forgot the cluster
}

TEST_CASE("down stops nodes started by hand (their pid asked over the bus) and exits 1 when one stays up", "[cluster]") {
  TempDir dir;
  const auto yaml = default_topology_with_free_ports(dir);
  const std::string ctl = built_binary("cli/p3pctl");
  const std::vector<std::string> env{"XDG_RUNTIME_DIR=" + (dir / "xdg").string()};
  const std::string cwd = dir.path().string();
  // nodeA's process is not recognisably p3p-node --node nodeA (as from another container): down must not
  // signal a pid it cannot vouch for, and must say the node stays up.
  const auto disguised = dir / "neuron-daemon";
  std::filesystem::create_symlink(built_binary("nodes/p3p-node"), disguised);
  BackgroundProcess a({disguised.string(), "--topology", yaml.string(), "--node", "nodeA"}, dir / "a.log");
  BackgroundProcess b({built_binary("nodes/p3p-node"), "--topology", yaml.string(), "--node", "nodeB"}, dir / "b.log");
  BackgroundProcess c({built_binary("nodes/p3p-node"), "--topology", yaml.string(), "--node", "nodeC"}, dir / "c.log");
  REQUIRE(poll_until([&] { return run_process({ctl, "status", "--topology", yaml.string()}, std::chrono::seconds(20), cwd, env).exit_code == 0; },
                     std::chrono::seconds(30), std::chrono::milliseconds(200)));

  auto down = run_process({ctl, "down", yaml.string()}, std::chrono::seconds(40), cwd, env);
  INFO(down.out << down.err);
  CHECK(down.exit_code == 1);
  CHECK_THAT(down.out, Catch::Contains("nodeB: stopped") && Catch::Contains("nodeC: stopped"));
  CHECK_THAT(down.err, Catch::Contains("nodeA: answers, but pid " + std::to_string(a.pid())) && Catch::Contains("not stopped"));
  CHECK(poll_until([&] { return !b.running() && !c.running(); }, std::chrono::seconds(10)));
  CHECK(a.running());
}
