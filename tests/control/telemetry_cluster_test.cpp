// Telemetry and region updates on a running default cluster (real p3p-node processes, free ports):
// update_regions changes the grouping on every node or on none, the spike stream follows it, and
// `p3pctl watch metrics|events` shows the once-a-second counts and what happened.
#include <catch2/catch.hpp>
#include "tests/support/poll.hpp"
#include <chrono>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/control/port_support.hpp"

using namespace p3p::test;

namespace {

void check_every_node_has_version(const nlohmann::json& status, std::uint64_t version) {
  REQUIRE(status["ok"] == true);
  CHECK(status["result"]["regions_version"] == version);
  for (const auto& n : status["result"]["nodes"]) CHECK(n["regions_version"] == version);
}

}  // namespace

TEST_CASE("update_regions: every node or none, and stimulate_region and the spike stream follow the new grouping", "[cluster]") {
  Cluster cluster;
  LineClient c(cluster.port);
  check_every_node_has_version(c.ask(R"({"cmd": "status"})"), 0);

  // Refused: a misspelt column. Nothing changes anywhere.
  auto typo = c.ask(R"({"cmd": "update_regions", "args": {"regions": {"Region_AB": ["col_A1", "col_B11"]}}})");
  CHECK(code(typo) == "bad_args");
  CHECK_THAT(typo["error"]["message"].get<std::string>(), Catch::Contains("did you mean 'col_B1'"));
  CHECK(code(c.ask(R"({"cmd": "update_regions", "args": {"regions": []}})")) == "bad_args");
  check_every_node_has_version(c.ask(R"({"cmd": "status"})"), 0);

  // Accepted: col_C1 moves from Region_BC to Region_AB (every other region as it was).
  auto status = c.ask(R"({"cmd": "status"})");
  nlohmann::json regions = nlohmann::json::object();
  for (const auto& r : status["result"]["regions"]) {
    nlohmann::json ids = nlohmann::json::array();
    for (const auto& col : r["columns"])
      if (col["id"] != "col_C1") ids.push_back(col["id"]);
    regions[r["name"].get<std::string>()] = ids;
  }
  regions["Region_AB"].push_back({{"id", "col_C1"}, {"node", "nodeC"}, {"module", "cortex7"}});  // the original's form
  auto update = c.ask(nlohmann::json{{"cmd", "update_regions"}, {"args", {{"regions", regions}}}}.dump());
  INFO(update.dump());
  REQUIRE(update["ok"] == true);
  CHECK(update["result"]["version"] == 1);
  CHECK(update["result"]["nodes"] == nlohmann::json({"nodeA", "nodeB", "nodeC"}));
  status = c.ask(R"({"cmd": "status"})");
  check_every_node_has_version(status, 1);
  for (const auto& r : status["result"]["regions"])
    if (r["name"] == "Region_AB") CHECK(r["columns"].size() == 3);

  Watch watch(cluster, {"spikes", "--node", "nodeC", "--region", "Region_AB", "--count", "1", "--timeout", "20"}, "watch");
  REQUIRE(watch.subscribed()["nodes"] == nlohmann::json({"nodeC"}));  // from here on it misses nothing
  auto stim = c.ask(R"({"cmd": "stimulate_region", "args": {"region": "Region_AB", "pattern": [{"neuron": 0, "current": 1.5}]}})");
  INFO(stim.dump());
  REQUIRE(stim["ok"] == true);
  CHECK(stim["result"]["spikes_per_column"]["col_C1"].get<int>() >= 1);  // now part of Region_AB
  REQUIRE(watch.proc.wait_exit(std::chrono::seconds(5)) == 0);
  const auto lines = watch.lines();
  REQUIRE(lines.size() == 1);
  CHECK(lines[0]["node"] == "nodeC");
  CHECK(lines[0]["columns"][0]["column"] == "col_C1");
  CHECK(lines[0]["columns"][0]["region"] == "Region_AB");
  CHECK(code(c.ask(R"({"cmd": "stimulate_region", "args": {"region": "Region_AB", "column": "col_B2", "pattern": [{"neuron": 0, "current": 1}]}})")) ==
        "unknown_column");
}

TEST_CASE("p3pctl watch metrics and events: counts once a second per node, commands and their effects as events", "[cluster]") {
  Cluster cluster;
  Watch metrics(cluster, {"metrics", "--region", "Region_BC", "--count", "3", "--timeout", "20"}, "metrics");
  Watch events(cluster, {"events", "--timeout", "30"}, "events");
  REQUIRE(events.subscribed()["missing"].empty());  // every node's events reach it from here on
  LineClient c(cluster.port);
  const auto rewarded_by = [&](double value) {
    std::vector<std::string> nodes;
    for (const auto& e : events.lines())
      if (e["event"] == "reward" && e["value"] == value) nodes.push_back(e["node"]);
    std::sort(nodes.begin(), nodes.end());
    return nodes;
  };
  const double value = 0.25;
  REQUIRE(c.ask(nlohmann::json{{"cmd", "reward_global"}, {"args", {{"value", value}}}}.dump())["ok"] == true);
  const auto command_seen = [&] {
    for (const auto& e : events.lines())
      if (e["event"] == "command" && e["cmd"] == "reward_global" && e["ok"] == true) return true;
    return false;
  };
  // The three nodes' reward events and the control node's command event (published once the worker answered).
  poll_until([&] { return rewarded_by(value).size() >= 3 && command_seen(); }, std::chrono::seconds(30));
  events.proc.stop(SIGINT);
  INFO(events.proc.output());
  CHECK(rewarded_by(value) == std::vector<std::string>{"nodeA", "nodeB", "nodeC"});
  CHECK(command_seen());
  for (const auto& e : events.lines()) {
    CHECK(e["kind"] == "events");
    if (e["event"] == "reward") CHECK(e["reward_level"] == e["value"]);
    if (e["event"] == "command") CHECK(e["node"] == "nodeA");  // the control node
  }

  REQUIRE(metrics.proc.wait_exit(std::chrono::seconds(10)) == 0);
  INFO(metrics.proc.output());
  for (const auto& m : metrics.lines()) {
    CHECK(m["kind"] == "metrics");
    CHECK(m["tick"].is_number_integer());
    CHECK(m["spikes_per_s"].is_number());
    CHECK(m["regions_version"] == 0);
    const std::string node = m["node"];
    // Region_BC is col_B2 (nodeB) and col_C1 (nodeC); nodeA holds none of it.
    CHECK(m["regions"].size() == (node == "nodeA" ? 0u : 1u));
    CHECK(m["columns"].size() == (node == "nodeA" ? 0u : 1u));  // only the region's columns
    if (node == "nodeB") CHECK(m["columns"]["col_B2"]["region"] == "Region_BC");
  }
}

TEST_CASE("an experiment publishes its learning curve as experiment_progress events, one per epoch", "[cluster]") {
  Cluster cluster;
  Watch events(cluster, {"events", "--node", "nodeA", "--timeout", "120"}, "progress");
  REQUIRE(events.subscribed()["missing"].empty());
  LineClient c(cluster.port);
  const auto result = ok(c, {{"cmd", "experiment_seq_gen"}, {"args", {{"epochs", 3}, {"seed", 5}}}});
  const auto progress = [&] {
    std::vector<nlohmann::json> seen;
    for (const auto& e : events.lines())
      if (e["event"] == "experiment_progress") seen.push_back(e);
    return seen;
  };
  poll_until([&] { return progress().size() >= 3; }, std::chrono::seconds(60));
  events.proc.stop(SIGINT);
  const auto seen = progress();
  INFO(events.proc.output());
  REQUIRE(seen.size() == 3);
  for (std::size_t i = 0; i < seen.size(); ++i) {
    CHECK(seen[i]["experiment"] == "seq_gen");
    CHECK(seen[i]["epoch"] == i + 1);
    CHECK(seen[i]["epochs"] == 3);
    CHECK(seen[i]["score"] == result["curve"][i]);  // the curve the result document reports, live
  }
}
