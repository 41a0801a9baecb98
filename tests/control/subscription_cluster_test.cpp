// The answer to ZeroMQ's slow joiner on a running default cluster (real p3p-node processes): every node
// answers a subscription with a signed marker, and `p3pctl watch` prints nothing before every node has
// answered, says so on stderr, and from then on misses nothing; a node that is down is named, and is
// picked up when it comes back.
#include <catch2/catch.hpp>
#include "tests/support/poll.hpp"
#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "bus/inbox.hpp"
#include "bus/key_file.hpp"
#include "bus/sockets.hpp"
#include "client/telemetry_format.hpp"
#include "tests/control/port_support.hpp"

using namespace p3p;
using namespace p3p::test;

namespace {

bus::InboxConfig default_cluster_inbox() {
  bus::InboxConfig config;
  config.cluster_id = "p3p-default";
  config.guard.known_senders = {"nodeA", "nodeB", "nodeC"};
  return config;
}

int pub_port(const Cluster& cluster, const std::string& node) {
  const std::string yaml = read_file(cluster.yaml);
  const std::size_t at = yaml.find("pub_port: ", yaml.find("id: " + node));
  return std::stoi(yaml.substr(at + 10));
}

}  // namespace

TEST_CASE("subscription marker: a node answers a subscription on its topic with a signed marker, odd topics not at all", "[cluster]") {
  Cluster cluster;
  auto key = bus::load_key(cluster.dir / "cluster.key");
  REQUIRE(key);
  zmq::context_t context(1);
  bus::Sub sub(context);
  REQUIRE(sub.connect("tcp://127.0.0.1:" + std::to_string(pub_port(cluster, "nodeB"))));
  sub.subscribe(std::string(100'000, 'x'));  // no topic the node publishes on: ignored, not answered
  sub.subscribe("events.\xff\xfe");           // not UTF-8: the same
  sub.subscribe("events.nodeB");
  bus::Inbox inbox(key->bytes(), default_cluster_inbox());
  std::optional<bus::PublishedMessage> marker;
  for (int i = 0; i < 100 && !marker; ++i) {  // an event may come first
    auto msg = sub.receive(std::chrono::seconds(30));
    REQUIRE(msg);
    auto env = inbox.accept(msg->frame_bytes());
    REQUIRE(env);
    if (env->kind == control::kSubscribedKind) marker = std::move(msg);
  }
  REQUIRE(marker);
  const auto* msg = &*marker;
  CHECK(msg->topic_view() == "events.nodeB");  // on the exact topic subscribed, so the prefix matches it
  bus::Inbox again(key->bytes(), default_cluster_inbox());
  auto env = again.accept(msg->frame_bytes());
  REQUIRE(env);
  CHECK(env->sender == "nodeB");
  CHECK(env->target_module == "telemetry");
  auto topic = control::decode_subscribed(env->body);
  REQUIRE(topic);
  CHECK(*topic == "events.nodeB");

  // Signed like every envelope: another key, or one byte changed, is refused before anything is read.
  bus::Inbox stranger(bus::Bytes(32, 0x5a), default_cluster_inbox());
  auto forged = stranger.accept(msg->frame_bytes());
  REQUIRE_FALSE(forged);
  CHECK(forged.error().reason == bus::Reason::bad_mac);
  bus::Bytes tampered(msg->frame_bytes().begin(), msg->frame_bytes().end());
  tampered[tampered.size() - 40] ^= 1;  // inside the body
  bus::Inbox fresh(key->bytes(), default_cluster_inbox());
  auto changed = fresh.accept(tampered);
  REQUIRE_FALSE(changed);
  CHECK(changed.error().reason == bus::Reason::bad_mac);

  LineClient c(cluster.port);
  const auto status = ok(c, {{"cmd", "status"}});
  for (const auto& n : status["nodes"])
    if (n["id"] == "nodeB") CHECK(n["telemetry"]["subscriptions"] == 1);  // handled in order: the odd two before ours
}

TEST_CASE("p3pctl watch: once subscribed, the first spike batch after each stimulation arrives, every time", "[cluster]") {
  Cluster cluster;
  LineClient c(cluster.port);
  // A new watch each round, stimulating as soon as it says it is subscribed: a subscription still on its
  // way to the node would lose the batch holding the stimulated spike, and watch would show a later one.
  for (int round = 1; round <= 5; ++round) {
    Watch watch(cluster, {"spikes", "--node", "nodeB", "--count", "1", "--timeout", "30"}, "watch" + std::to_string(round));
    const auto subscribed = watch.subscribed();
    INFO("round " << round << ": " << read_file(watch.errors));
    REQUIRE(subscribed == nlohmann::json({{"kind", "subscribed"}, {"nodes", {"nodeB"}}, {"missing", nlohmann::json::array()}}));
    const auto stim = ok(c, {{"cmd", "stimulate_region"},
                             {"args", {{"region", "Region_BC"}, {"column", "col_B2"}, {"pattern", {{{"neuron", 3}, {"current", 2.0}}}}}}});
    const std::int64_t at = stim["start_tick"];
    REQUIRE(watch.proc.wait_exit(std::chrono::seconds(30)) == 0);
    const auto lines = watch.lines();
    INFO(watch.proc.output());
    REQUIRE(lines.size() == 1);
    const auto& batch = lines[0];
    CHECK(batch["node"] == "nodeB");
    CHECK(batch["first_tick"].get<std::int64_t>() <= at);  // the batch covering the stimulation, not a later one
    CHECK(batch["end_tick"].get<std::int64_t>() > at);
    bool stimulated = false;
    for (const auto& col : batch["columns"])
      for (const auto& s : col["spikes"]) stimulated = stimulated || (col["column"] == "col_B2" && s[1] == 3);
    CHECK(stimulated);
  }
}

TEST_CASE("p3pctl watch: a node that is down is named after the wait, picked up when it is back, and markers are never printed", "[cluster]") {
  Cluster cluster;
  cluster.kill_node("nodeC");
  auto alone = run_process({cluster.ctl, "watch", "events", "--topology", cluster.yaml.string(), "--node", "nodeC",
                            "--subscribe-timeout", "1"},
                           std::chrono::seconds(30));
  CHECK(alone.exit_code == 1);  // nobody to watch
  CHECK_THAT(alone.err, Catch::Contains(R"({"kind":"subscribed","missing":["nodeC"],"nodes":[]})"));

  Watch first(cluster, {"events", "--subscribe-timeout", "3"}, "first");
  auto subscribed = first.subscribed();
  INFO(read_file(first.errors));
  CHECK(subscribed["nodes"] == nlohmann::json({"nodeA", "nodeB"}));
  CHECK(subscribed["missing"] == nlohmann::json({"nodeC"}));
  // A second subscriber to the same topics: its markers reach the first one too, which must not show them.
  Watch second(cluster, {"events"}, "second");
  CHECK(second.subscribed()["missing"] == nlohmann::json({"nodeC"}));

  cluster.up();  // nodeC again: the watches' sockets reconnect and subscribe, nodeC answers
  subscribed = first.subscribed(2);
  CHECK(subscribed == nlohmann::json({{"kind", "subscribed"}, {"nodes", {"nodeC"}}, {"missing", nlohmann::json::array()}}));
  REQUIRE(second.subscribed(2)["nodes"] == nlohmann::json({"nodeC"}));

  LineClient c(cluster.port);
  ok(c, {{"cmd", "reward_global"}, {"args", {{"value", 0.25}}}});  // every node publishes a reward event
  const auto rewarded = [](const Watch& w) {
    std::vector<std::string> nodes;
    for (const auto& e : w.lines())
      if (e["event"] == "reward") nodes.push_back(e["node"]);
    std::sort(nodes.begin(), nodes.end());
    return nodes;
  };
  const std::vector<std::string> all{"nodeA", "nodeB", "nodeC"};
  poll_until([&] { return rewarded(first) == all && rewarded(second) == all; }, std::chrono::seconds(30));
  INFO(first.proc.output());
  CHECK(rewarded(first) == all);
  CHECK(rewarded(second) == all);
  for (const auto& line : first.lines()) CHECK(line["kind"] == "events");  // no marker, no subscribed line
}
