// The JSON-lines control port on a running default cluster (real p3p-node processes, free ports), spoken to
// by a plain TCP client: the original's documented session line by line, bad lines of every kind, order
// and ids per connection, a status served while a long command runs, the client cap and the line limit.
#include <atomic>
#include "tests/support/poll.hpp"
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>
#include <string>

#include "tests/control/port_support.hpp"

using namespace p3p::test;

TEST_CASE("control port: the original's session, line by line, answered with what happened", "[cluster]") {
  Cluster cluster;
  LineClient c(cluster.port);

  auto status = c.ask(R"({"cmd": "status"})");
  INFO(status.dump(1));
  REQUIRE(status["ok"] == true);
  CHECK(status["cmd"] == "status");
  CHECK(status["result"]["nodes"].size() == 3);
  for (const auto& n : status["result"]["nodes"]) CHECK(n["state"] == "up");
  CHECK(status["result"]["regions"].size() == 9);

  auto demo = c.ask(R"({"cmd": "run_demo"})");
  INFO(demo.dump(1));
  REQUIRE(demo["ok"] == true);
  CHECK(demo["result"]["end_tick"] == 35);
  for (const char* node : {"nodeA", "nodeB", "nodeC"}) CHECK(demo["result"]["spikes_per_node"][node].get<int>() > 0);

  auto stim = c.ask(R"({"cmd": "stimulate_region", "args": {"region": "Region_AB", "pattern": [{"neuron": 0, "current": 1.5}], "pattern_len": 2}})");
  INFO(stim.dump(1));
  REQUIRE(stim["ok"] == true);
  CHECK(stim["result"]["region"] == "Region_AB");
  CHECK(stim["result"]["start_tick"] == 35);
  CHECK(stim["result"]["spikes_per_column"]["col_A1"].get<int>() >= 2);  // 1.5 > threshold 1.0 on both ticks
  CHECK(stim["result"]["spikes_per_column"]["col_B1"].get<int>() >= 2);

  auto reward = c.ask(R"({"cmd": "reward_global", "args": {"value": 0.5}})");
  CHECK(reward["result"]["nodes"] == nlohmann::json({"nodeA", "nodeB", "nodeC"}));
  auto low = c.ask(R"({"cmd": "debug_low_thresholds"})");
  CHECK(low["result"]["threshold"] == 0.4);
  CHECK(low["result"]["changed"] == 2364);  // every neuron of the default topology
  auto back = c.ask(R"({"cmd": "debug_low_thresholds", "args": {"threshold": 1.0}})");
  CHECK(back["result"]["changed"] == 2364);  // back to the presets' 1.0/1.2/1.3/1.5
  CHECK(code(c.ask(R"({"cmd": "experiment_nowhere"})")) == "unknown_command");
  auto snap = c.ask(R"({"cmd": "snapshot", "args": {"reason": "x"}})");
  CHECK(code(snap) == "ok");
  CHECK(snap["result"]["tick"] == 37);

  CHECK(code(c.ask("not json")) == "bad_json");
  CHECK(code(c.ask("{}")) == "missing_cmd");
  CHECK(code(c.ask("[]")) == "not_object");
  auto unknown = c.ask(R"({"cmd": "stimulate_regoin"})");
  CHECK(code(unknown) == "unknown_command");
  CHECK_THAT(unknown["error"]["message"].get<std::string>(), Catch::Contains("'stimulate_region'"));
  auto wrong = c.ask(R"({"cmd": "reward_global", "args": {"value": "lots"}})");
  CHECK(code(wrong) == "bad_args");
  CHECK_THAT(wrong["error"]["message"].get<std::string>(), Catch::Contains("'value'"));
  CHECK(code(c.ask(R"({"cmd": "stimulate_region", "args": {"region": "Region_Nowhere", "pattern": [{"neuron": 0, "current": 1}]}})")) ==
        "unknown_region");
  auto outside = c.ask(R"({"cmd": "stimulate_region", "args": {"region": "Region_AB", "pattern": [{"neuron": 9, "current": 1}]}})");
  CHECK(code(outside) == "bad_args");
  CHECK_THAT(outside["error"]["message"].get<std::string>(),
             Catch::Contains("neuron 9 is out of range: column 'col_A1' has neurons 0 to 3"));
  CHECK(code(c.ask(R"({"cmd": "echo", "args": {"node": "nodeZ"}})")) == "unknown_node");

  // Nothing above changed the cluster's state: it is where the good commands left it.
  auto after = c.ask(R"({"cmd": "status"})");
  for (const auto& n : after["result"]["nodes"]) CHECK(n["tick"] == 37);

  // Pipelined lines are answered in order, each with its id.
  c.send_raw("{\"cmd\": \"list_commands\", \"id\": 1}\n{\"cmd\": \"nope\", \"id\": \"two\"}\n{\"cmd\": \"echo\", \"args\": {\"node\": \"nodeB\"}, \"id\": 3}\n");
  auto r1 = nlohmann::json::parse(*c.line());
  auto r2 = nlohmann::json::parse(*c.line());
  auto r3 = nlohmann::json::parse(*c.line());
  CHECK(r1["id"] == 1);
  CHECK(r1["result"].size() >= 22);
  CHECK(r2["id"] == "two");
  CHECK(code(r2) == "unknown_command");
  CHECK(r3["id"] == 3);
  CHECK(r3["result"]["rtt_us"].get<int>() > 0);

  // An oversized line: too_large, then the server closes the connection.
  c.send_raw(std::string((1 << 20) + 10, 'x') + "\n");
  auto big = c.line();
  REQUIRE(big);
  CHECK(code(nlohmann::json::parse(*big)) == "too_large");
  CHECK_FALSE(c.line());
  LineClient again(cluster.port);  // the port itself is fine
  CHECK(again.ask(R"({"cmd": "status"})")["ok"] == true);
}

TEST_CASE("control port: status is served while a long command runs, a second long one is busy, the client cap holds", "[cluster]") {
  Cluster cluster(3);
  LineClient runner(cluster.port), asker(cluster.port);
  runner.send(R"({"cmd": "advance", "args": {"ticks": 20000}, "id": "long"})");
  // The control node says when the long command runs (a bounded poll of the status it serves meanwhile).
  const auto long_running = [&] {
    const auto s = asker.ask(R"({"cmd": "status"})");
    for (const auto& n : s["result"]["nodes"])
      for (const auto& m : n["modules"])
        if (m.value("long_command_running", false)) return true;
    return false;
  };
  REQUIRE(poll_until(long_running, std::chrono::seconds(30)));
  const auto t0 = std::chrono::steady_clock::now();
  auto status = asker.ask(R"({"cmd": "status"})");
  const auto status_ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  CHECK(status["ok"] == true);
  CHECK(status_ms < 1000);
  CHECK(code(asker.ask(R"({"cmd": "run_demo"})")) == "busy");
  {
    LineClient third(cluster.port);
    CHECK(third.ask(R"({"cmd": "list_commands"})")["ok"] == true);
    // Over the cap of 3: the connection idle longest (asker) makes way, not the runner with its command in flight.
    LineClient fourth(cluster.port);
    CHECK(fourth.ask(R"({"cmd": "list_commands"})")["ok"] == true);
    CHECK_FALSE(asker.line());
  }
  auto done = runner.line();
  REQUIRE(done);
  auto result = nlohmann::json::parse(*done);
  INFO(result.dump(1));
  CHECK(result["id"] == "long");
  CHECK(result["ok"] == true);
  CHECK(result["result"]["end_tick"].get<int>() - result["result"]["start_tick"].get<int>() == 20000);
  LineClient asker_again(cluster.port);
  CHECK(code(asker_again.ask(R"({"cmd": "run_demo"})")) == "ok");  // free again

  // Status requests share cached looks at the cluster, but a status asked after a command sees its effect,
  // even while another client keeps asking for status all the time.
  std::atomic<bool> spamming{true};
  std::thread spammer([&] {
    LineClient spam(cluster.port);
    while (spamming) spam.ask(R"({"cmd": "status"})");
  });
  for (int i = 0; i < 5; ++i) {
    auto adv = runner.ask(R"({"cmd": "advance", "args": {"ticks": 300}})");
    REQUIRE(adv["ok"] == true);
    auto st = runner.ask(R"({"cmd": "status"})");
    for (const auto& n : st["result"]["nodes"]) CHECK(n["tick"] == adv["result"]["end_tick"]);
  }
  spamming = false;
  spammer.join();
}

TEST_CASE("control port: pause and resume the cluster, pace it, read a column's weights", "[cluster]") {
  Cluster cluster;
  LineClient c(cluster.port);
  auto paused = c.ask(R"({"cmd": "pause"})");
  INFO(paused.dump(1));
  REQUIRE(paused["ok"] == true);
  CHECK(paused["result"]["nodes"].size() == 3);
  auto status = c.ask(R"({"cmd": "status"})");
  for (const auto& n : status["result"]["nodes"]) CHECK(n["node_state"] == "paused");
  auto refused = c.ask(R"({"cmd": "advance", "args": {"ticks": 10}})");
  CHECK(code(refused) == "cluster_not_running");
  CHECK_THAT(refused["error"]["message"].get<std::string>(), Catch::Contains("by the operator"));
  REQUIRE(c.ask(R"({"cmd": "resume"})")["ok"] == true);

  REQUIRE(c.ask(R"({"cmd": "set_pacing", "args": {"tick_ms": 5}})")["ok"] == true);
  const auto t0 = std::chrono::steady_clock::now();
  auto paced = c.ask(R"({"cmd": "advance", "args": {"ticks": 40}})");
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  REQUIRE(paced["ok"] == true);
  CHECK(ms >= 150);  // 40 ticks at 5 ms each, give or take the first
  REQUIRE(c.ask(R"({"cmd": "set_pacing", "args": {"tick_ms": 0}})")["ok"] == true);
  CHECK(code(c.ask(R"({"cmd": "set_pacing", "args": {"tick_ms": -1}})")) == "bad_args");

  auto w = c.ask(R"({"cmd": "get_weights", "args": {"column": "col_B1"}})");
  INFO(w.dump(1));
  REQUIRE(w["ok"] == true);
  CHECK(w["result"]["column"] == "col_B1");
  bool from_a1 = false;
  for (const auto& p : w["result"]["projections"]) from_a1 = from_a1 || p["from"] == "col_A1";
  CHECK(from_a1);  // Region_AB relays A1 -> B1 across nodes
  CHECK(w["result"]["synapses"].get<int>() > 0);
  CHECK(code(c.ask(R"({"cmd": "get_weights", "args": {"column": "nowhere"}})")) == "unknown_column");
}

TEST_CASE("control port: set_weights writes a projection's synapses, reset_region restores them, reward_global takes a region, and bad ones change nothing", "[cluster]") {
  Cluster cluster;
  LineClient c(cluster.port);
  const auto learning = [&] {  // pattern_hidden_B -> pattern_out_C (plastic all_to_all, 32 x 16) as get_weights answers it
    auto w = c.ask(R"({"cmd": "get_weights", "args": {"column": "pattern_out_C"}})");
    REQUIRE(w["ok"] == true);
    for (const auto& p : w["result"]["projections"])
      if (p["from"] == "pattern_hidden_B") return p["synapses"];
    FAIL("no projection from pattern_hidden_B");
    return nlohmann::json();
  };
  const nlohmann::json built = learning();
  auto set = c.ask(R"({"cmd": "set_weights", "args": {"column": "pattern_out_C", "from": "pattern_hidden_B", "synapses": [[0, 0, 0.25], [3, 3, 1.5]]}})");
  INFO(set.dump(1));
  REQUIRE(set["ok"] == true);
  CHECK(set["result"]["written"] == 2);
  const nlohmann::json written = learning();
  CHECK(written[0] == nlohmann::json({0, 0, 0.25}));
  CHECK(written[99] == nlohmann::json({3, 3, 1.5}));  // target-major: target t, source s at 32t + s
  CHECK(written[1] == built[1]);
  const std::string head = R"({"cmd": "set_weights", "args": {"column": "pattern_out_C", "from": "pattern_hidden_B", "synapses": )";
  for (const char* bad : {R"("all")", "[[0, 0]]", "[[0, -1, 0.5]]", "[[1, 1, 0.5], [0, 16, 0.5]]", "[[1, 1, 5]]", "[[1, 1, -0.5]]"})
    CHECK(code(c.ask(head + bad + "}}")) == "bad_args");
  CHECK(code(c.ask(R"({"cmd": "set_weights", "args": {"column": "pattern_out_C", "from": "col_C1", "synapses": [[1, 1, 0.5]]}})")) == "bad_args");
  CHECK(code(c.ask(R"({"cmd": "set_weights", "args": {"column": "col_B1", "from": "col_A1", "synapses": [[1, 1, 0.5]]}})")) == "bad_args");  // static
  CHECK(code(c.ask(R"({"cmd": "set_weights", "args": {"column": "col_Z1", "from": "col_A1", "synapses": [[1, 1, 0.5]]}})")) == "unknown_column");
  CHECK(code(c.ask(R"({"cmd": "set_weights", "args": {"column": "col_B1", "from": "col_Z1", "synapses": [[1, 1, 0.5]]}})")) == "unknown_column");
  CHECK(code(c.ask(R"({"cmd": "reset_region", "args": {"region": "Region_Nowhere"}})")) == "unknown_region");
  CHECK(code(c.ask(R"({"cmd": "reset_region", "args": {"region": "Region_Pattern", "weights": "yes"}})")) == "bad_args");
  CHECK(code(c.ask(R"({"cmd": "reward_global", "args": {"value": 0.5, "region": "Region_Nowhere"}})")) == "unknown_region");
  CHECK(learning() == written);
  // A reward to one region goes to the nodes holding its columns, for the projections onto them.
  auto rewarded = c.ask(R"({"cmd": "reward_global", "args": {"value": 0.5, "region": "Region_Cart"}})");
  INFO(rewarded.dump(1));
  REQUIRE(rewarded["ok"] == true);
  CHECK(rewarded["result"]["columns"] == nlohmann::json({"cart_sens_B", "cart_actor_B", "cart_sens_C", "cart_critic_C"}));
  CHECK(rewarded["result"]["nodes"] == nlohmann::json({"nodeB", "nodeC"}));
  CHECK(rewarded["result"]["value"] == 0.5);

  auto kept = c.ask(R"({"cmd": "reset_region", "args": {"region": "Region_Pattern"}})");
  REQUIRE(kept["ok"] == true);
  CHECK(learning() == written);  // without weights: potentials and traces only
  auto reset = c.ask(R"({"cmd": "reset_region", "args": {"region": "Region_Pattern", "weights": true}})");
  INFO(reset.dump(1));
  REQUIRE(reset["ok"] == true);
  CHECK(reset["result"]["columns"] == nlohmann::json({"pattern_sens_A", "pattern_hidden_B", "pattern_out_C"}));
  CHECK(reset["result"]["nodes"] == nlohmann::json({"nodeA", "nodeB", "nodeC"}));
  CHECK(learning() == built);
}

TEST_CASE("p3pctl watch prints the spikes a stimulate caused within a second, tagged with node, column, region", "[cluster]") {
  Cluster cluster;
  Watch watch(cluster, {"spikes", "--region", "Region_BC", "--count", "1", "--timeout", "20"}, "watch");
  REQUIRE(watch.subscribed()["missing"].empty());  // every node's spikes reach it from here on
  LineClient c(cluster.port);
  auto stim = c.ask(R"({"cmd": "stimulate_region", "args": {"region": "Region_BC", "pattern": [{"neuron": 1, "current": 2.0}], "pattern_len": 3}})");
  REQUIRE(stim["ok"] == true);
  const auto answered = std::chrono::steady_clock::now();
  const auto code = watch.proc.wait_exit(std::chrono::seconds(5));
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - answered).count();
  REQUIRE(code);
  CHECK(*code == 0);
  CHECK(ms < 1000);
  const std::string out = watch.proc.output();
  INFO(out);
  const auto line = nlohmann::json::parse(out.substr(0, out.find('\n')));
  CHECK(line["kind"] == "spikes");
  CHECK((line["node"] == "nodeB" || line["node"] == "nodeC"));
  REQUIRE_FALSE(line["columns"].empty());
  for (const auto& col : line["columns"]) {
    CHECK(col["region"] == "Region_BC");
    for (const auto& s : col["spikes"]) CHECK(s[1].get<int>() < 4);  // neuron index inside a 4-neuron column
  }
  CHECK(line["spikes"].get<int>() >= 1);
}

TEST_CASE("control port: thousands of pipelined requests are all answered in order, the node's memory bounded", "[cluster]") {
  Cluster cluster;
  LineClient c(cluster.port);
  constexpr int kLines = 3000;  // more than a connection may queue (1024): the server stops reading, then resumes
  std::string batch;
  for (int i = 0; i < kLines; ++i) batch += R"({"cmd": "echo", "args": {"node": "nodeB"}, "id": )" + std::to_string(i) + "}\n";
  std::thread sender([&] { c.send_raw(batch); });
  int in_order = 0;
  for (int i = 0; i < kLines; ++i) {
    auto line = c.line();
    if (!line) break;
    const auto reply = nlohmann::json::parse(*line);
    in_order += reply["id"] == i && reply["ok"] == true;
  }
  sender.join();
  CHECK(in_order == kLines);
}
