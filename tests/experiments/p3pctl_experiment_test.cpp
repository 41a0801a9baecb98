// p3pctl experiment against the default cluster (real processes on free ports): list, the refusals (nothing
// moves), then `experiment all` running every implemented experiment through the control port.
#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/support/background_process.hpp"
#include "tests/support/default_cluster_files.hpp"
#include "tests/support/poll.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/text_file.hpp"

using namespace p3p::test;

TEST_CASE("p3pctl experiment: list, all and a run answer from the cluster, bad names and arguments are refused", "[cluster]") {
  TempDir dir;
  const auto yaml = default_topology_with_free_ports(dir);
  const std::string ctl = built_binary("cli/p3pctl"), run_dir = (dir / "run").string();
  DownOnExit guard{{ctl, "down", yaml.string(), "--run-dir", run_dir}};
  REQUIRE(run_process({ctl, "up", yaml.string(), "--run-dir", run_dir}, std::chrono::seconds(40)).exit_code == 0);
  const auto p3pctl = [&](std::vector<std::string> args) {
    args.insert(args.begin(), ctl);
    args.insert(args.end(), {"--run-dir", run_dir});
    return run_process(args, std::chrono::seconds(60));
  };

  auto list = p3pctl({"experiment", "list", "-o", "json"});
  INFO(list.out << list.err);
  REQUIRE(list.exit_code == 0);
  const auto experiments = nlohmann::json::parse(list.out);
  REQUIRE(experiments.size() == 7);
  CHECK(experiments[0].contains("pass_criterion"));
  CHECK(experiments[0]["args"].back()["name"] == "seed");
  auto table = p3pctl({"experiment", "list"});
  CHECK(table.exit_code == 0);
  CHECK_THAT(table.out, Catch::Contains("boid_swarm") && Catch::Contains("train_steps=5000"));
  CHECK_THAT(table.out, !Catch::Contains("not yet"));
  for (const auto& e : experiments) CHECK(e["implemented"] == true);

  auto refused = p3pctl({"experiment", "boid_swarm", "--set", "train_steps=0"});
  CHECK(refused.exit_code == 1);
  CHECK_THAT(refused.err, Catch::Contains("bad_args") && Catch::Contains("train_steps"));
  auto unknown = p3pctl({"experiment", "seq_gem"});
  CHECK(unknown.exit_code == 1);
  CHECK_THAT(unknown.err, Catch::Contains("no experiment 'seq_gem'") && Catch::Contains("seq_gen"));
  auto bad_key = p3pctl({"experiment", "boid_swarm", "--set", "bogus=1"});
  CHECK(bad_key.exit_code == 1);
  CHECK_THAT(bad_key.err, Catch::Contains("'bogus' is not an argument of boid_swarm"));
  for (const char* value : {"epochs=0", "epochs=1000000000", "epochs=x"}) {
    auto bad = p3pctl({"experiment", "boid_swarm", "--set", value});
    INFO(value << ": " << bad.err);
    CHECK(bad.exit_code == 1);
    CHECK_THAT(bad.err, Catch::Contains("bad_args") && Catch::Contains("'epochs'"));
  }
  // The cluster did not move for any of it.
  auto status = p3pctl({"status", "--topology", yaml.string(), "-o", "json"});
  REQUIRE(status.exit_code == 0);
  const auto nodes = nlohmann::json::parse(status.out)["nodes"];
  REQUIRE(nodes.size() == 3);
  for (const auto& n : nodes) CHECK(n["tick"] == 0);

  // The three closed-loop experiments take minutes each at their defaults (their own tests run them short):
  // skipped here, and a misspelt name is refused before anything runs.
  auto misspelt = p3pctl({"experiment", "all", "--skip", "cart_balanse"});
  CHECK(misspelt.exit_code == 2);
  CHECK_THAT(misspelt.err, Catch::Contains("cart_balanse"));
  auto all = p3pctl({"experiment", "all", "--skip", "cart_balance,boid_swarm", "--skip", "seizure_detect"});
  INFO(all.out << all.err);
  CHECK(all.exit_code == 0);
  CHECK_THAT(all.out, Catch::Contains("EXPERIMENT") && Catch::Contains("SCORE") && Catch::Contains("BASELINE") &&
                          Catch::Contains("PASSED") && Catch::Contains("TICKS") && Catch::Contains("SECONDS"));
  for (const char* name : {"cart_balance", "boid_swarm", "seizure_detect"}) {
    const auto at = all.out.find(std::string("\n") + name + " ");
    REQUIRE(at != std::string::npos);
    CHECK_THAT(all.out.substr(at, all.out.find('\n', at + 1) - at), Catch::Contains("skipped"));
  }
  for (const char* name : {"seq_gen", "pattern_classify", "hopfield_assoc", "rhythm_gen"}) {
    const auto at = all.out.find(std::string("\n") + name + " ");
    REQUIRE(at != std::string::npos);
    INFO(name);
    CHECK_THAT(all.out.substr(at, all.out.find('\n', at + 1) - at), Catch::Contains(" yes "));
  }

  auto one = p3pctl({"experiment", "seq_gen", "--seed", "2"});
  INFO(one.out << one.err);
  CHECK(one.exit_code == 0);
  CHECK_THAT(one.out, Catch::Contains("taught") && Catch::Contains("generated") && Catch::Contains("010101") &&
                          Catch::Contains("passed"));

  // Ctrl-C while an experiment runs: p3pctl asks the control node to cancel it and reports cancelled.
  BackgroundProcess running({ctl, "experiment", "pattern_classify", "--run-dir", run_dir}, dir / "running.out", dir / "running.err");
  const auto under_way = [&] {
    const auto st = p3pctl({"status", "--topology", yaml.string(), "-o", "json"});
    return st.out.find("\"experiment_running\":\"pattern_classify\"") != std::string::npos;
  };
  REQUIRE(poll_until(under_way, std::chrono::seconds(30)));
  running.stop(SIGINT, std::chrono::seconds(30));
  const std::string said = read_file(dir / "running.err") + running.output();
  INFO(said);
  CHECK_THAT(said, Catch::Contains("cancelled"));
  CHECK_FALSE(under_way());
  auto again = p3pctl({"experiment", "seq_gen", "--set", "epochs=3", "-o", "json"});  // the cluster is usable
  INFO(again.err);
  CHECK(again.exit_code == 0);
}

