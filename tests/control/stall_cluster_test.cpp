// A node lost during an advance (SIGSTOP, then SIGCONT - a real p3p-node of a real cluster): the advance
// waits through the loss and answers with the run finished; past its no-progress bound it answers
// `stalled`, naming where every node stands, pauses the run there and frees the long-command worker.
#include <signal.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <thread>

#include "tests/control/port_support.hpp"

using namespace p3p::test;

namespace {

// Nodes notice a silent peer after 500 ms, so the loss shows in status soon.
Cluster quick_loss_cluster() { return Cluster(64, {{"heartbeat_timeout_ms: 2000", "heartbeat_timeout_ms: 500"}}); }

// SIGSTOP for the length of a scope: the node is continued whatever the test does.
class Stopped {
 public:
  Stopped(const Cluster& cluster, const std::string& id)
      : pid_(std::stoi(read_file(cluster.dir / "run" / ("p3p-default." + id + ".pid")))) {
    REQUIRE(::kill(pid_, SIGSTOP) == 0);
  }
  ~Stopped() { go_on(); }
  void go_on() {
    if (pid_ > 0) ::kill(pid_, SIGCONT);
    pid_ = -1;
  }

 private:
  pid_t pid_;
};

const nlohmann::json& node_of(const nlohmann::json& status, const std::string& id) {
  for (const auto& n : status["nodes"])
    if (n["id"] == id) return n;
  FAIL("no node " << id);
  return status;
}

// Polls status (bounded: 60 s) until `done` holds; the last status seen.
template <class Done>
nlohmann::json status_until(LineClient& c, Done done) {
  nlohmann::json s;
  if (!poll_until([&] { return done(s = ok(c, {{"cmd", "status"}})); }, std::chrono::seconds(60), std::chrono::milliseconds(20)))
    FAIL("status never showed what the test waits for: " << s.dump());
  return s;
}

bool lost_by_a(const nlohmann::json& s, const std::string& id) {
  const auto& lost = node_of(s, "nodeA")["lost"];
  return lost.is_array() && std::find(lost.begin(), lost.end(), id) != lost.end();
}

// How long nodeA has not heard from `id` (0 if it does not say).
std::int64_t silent_ms(const nlohmann::json& s, const std::string& id) {
  for (const auto& p : node_of(s, "nodeA")["peers"])
    if (p["id"] == id && p["silent_ms"].is_number()) return p["silent_ms"].get<std::int64_t>();
  return 0;
}

nlohmann::json advance_request(int ticks, int stall_s) {
  return {{"cmd", "advance"}, {"args", {{"ticks", ticks}, {"stall_s", stall_s}}}};
}

}  // namespace

TEST_CASE("an advance waits through a node stopped for a while and answers with the run finished", "[cluster]") {
  Cluster cluster = quick_loss_cluster();
  LineClient runner(cluster.port), watcher(cluster.port);
  ok(watcher, {{"cmd", "set_pacing"}, {"args", {{"tick_ms", 1}}}});  // the run takes seconds, not milliseconds
  const int ticks = 5000;
  runner.send(advance_request(ticks, 60).dump());
  status_until(watcher, [](const nlohmann::json& s) { return node_of(s, "nodeA")["tick"].get<std::int64_t>() > 0; });
  {
    Stopped stopped(cluster, "nodeB");
    // Stopped long enough that the advance's own look at nodeB (2 s per request) has gone unanswered:
    // nodeA has not heard from it for 3 s.
    const auto during = status_until(watcher, [](const nlohmann::json& s) { return lost_by_a(s, "nodeB") && silent_ms(s, "nodeB") >= 3000; });
    REQUIRE(node_of(during, "nodeA")["tick"].get<std::int64_t>() < ticks);  // the loss came mid-run
    CHECK(node_of(during, "nodeA")["node_state"] == "paused");
  }  // SIGCONT: nodeB is back, the cluster resumes
  auto line = runner.line();
  REQUIRE(line);
  const auto reply = nlohmann::json::parse(*line);
  INFO(reply.dump());
  REQUIRE(reply["ok"] == true);
  CHECK(reply["result"]["end_tick"].get<std::int64_t>() == reply["result"]["start_tick"].get<std::int64_t>() + ticks);
  const auto after = ok(watcher, {{"cmd", "status"}});
  for (const char* id : {"nodeA", "nodeB", "nodeC"}) CHECK(node_of(after, id)["tick"] == reply["result"]["end_tick"]);
}

TEST_CASE("an advance that cannot progress answers stalled within its bound, naming every node, and pauses the run there", "[cluster]") {
  Cluster cluster = quick_loss_cluster();
  LineClient runner(cluster.port), watcher(cluster.port);
  ok(watcher, {{"cmd", "set_pacing"}, {"args", {{"tick_ms", 1}}}});
  const int ticks = 1'000'000;
  runner.send(advance_request(ticks, 2).dump());
  status_until(watcher, [](const nlohmann::json& s) { return node_of(s, "nodeA")["tick"].get<std::int64_t>() > 0; });
  Stopped stopped(cluster, "nodeB");
  const auto asked = std::chrono::steady_clock::now();
  auto line = runner.line();
  REQUIRE(line);
  // 2 s without progress, then the pause and a last look - each status of the stopped node waits 2 s for it.
  CHECK(std::chrono::steady_clock::now() - asked < std::chrono::seconds(30));
  const auto reply = nlohmann::json::parse(*line);
  INFO(reply.dump());
  REQUIRE(code(reply) == "stalled");
  const std::string message = reply["error"]["message"];
  CHECK_THAT(message, Catch::Contains("nodeB not answering"));
  CHECK_THAT(message, Catch::Contains("resume"));
  // Where the answer says nodeA and nodeC were paused.
  const auto paused_part = message.substr(message.find("Paused where it stands"));
  std::smatch a, c;
  REQUIRE(std::regex_search(paused_part, a, std::regex("nodeA at tick (\\d+)")));
  REQUIRE(std::regex_search(paused_part, c, std::regex("nodeC at tick (\\d+)")));
  const std::int64_t reported = std::stoll(a[1]);
  CHECK(std::stoll(c[1]) == reported);
  // The long-command worker is free: the next long command gets its own answer, not busy.
  CHECK(code(watcher.ask(advance_request(1, 2).dump())) == "cluster_not_running");

  stopped.go_on();
  // nodeB back, caught up and come to rest: waiting for its paused peers' batches.
  const auto back = status_until(watcher, [&](const nlohmann::json& s) {
    if (s["all_up"] != true || lost_by_a(s, "nodeB")) return false;
    const auto& b = node_of(s, "nodeB");
    return b["tick"].get<std::int64_t>() >= reported && !b["waiting_for"].empty() && b["epoch_in_flight"] == false;
  });
  const auto epoch_ticks = node_of(back, "nodeB")["epoch_ticks"].get<std::int64_t>();
  CHECK(node_of(back, "nodeB")["tick"].get<std::int64_t>() <= reported + epoch_ticks);  // at most the one epoch the answer says
  for (const char* id : {"nodeA", "nodeC"}) {
    CHECK(node_of(back, id)["tick"] == reported);  // not a tick past the answer
    CHECK(node_of(back, id)["node_state"] == "paused");
    CHECK_THAT(node_of(back, id)["reason"].get<std::string>(), Catch::Contains("operator"));
  }
  ok(watcher, {{"cmd", "resume"}});  // as the answer said: the run goes on
  status_until(watcher, [&](const nlohmann::json& s) { return node_of(s, "nodeA")["tick"].get<std::int64_t>() > reported; });
}
