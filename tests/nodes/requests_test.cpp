// Client requests besides status, sent like p3pctl sends them (NodeClient, signed): stimulate a column and
// run until a tick. Good requests do what they say; bad ones get an error code and change nothing.
#include <thread>

#include "bus/key_file.hpp"
#include "bus/sockets.hpp"
#include "client/node_client.hpp"
#include "tests/nodes/cluster_support.hpp"
#include "topology/loader.hpp"

using namespace p3p;
using namespace p3p::test;
using Id = p3p::node_api::RequestId;

namespace {

// Two nodes; c0, c2, c4 on n1 and c1, c3, c5 on n2. A weak baseline keeps the network quiet on its own,
// so the stimulated spikes are the only ones.
std::string quiet_topology(const std::vector<NodePorts>& nodes) {
  std::string y = active_topology(nodes, {"n1", "n2", "n1", "n2", "n1", "n2"});
  const std::string from = "baseline: 0.06, noise: 0.01";
  y.replace(y.find(from), from.size(), "baseline: 0.0, noise: 0.0");
  return y;
}

std::unique_ptr<control::NodeClient> open_client(const topology::Topology& t) {
  auto c = control::NodeClient::open(t);
  REQUIRE(c);
  return std::move(*c);
}

struct Cluster {
  TempDir dir;
  std::vector<NodePorts> ports = free_nodes({"n1", "n2"});
  std::filesystem::path file = write_topology(dir, "t.yaml", quiet_topology(ports));
  std::unique_ptr<BackgroundProcess> n1 = start_node(dir, file, "n1");
  std::unique_ptr<BackgroundProcess> n2 = start_node(dir, file, "n2");
  topology::Topology topo = *topology::load_file(file);
  std::unique_ptr<control::NodeClient> client = open_client(topo);

  Cluster() {
    wait_for(file, [](const auto& st) { return all_nodes(st, [](const auto& n) { return n.value("node_state", "") == "idle"; }); },
             std::chrono::seconds(15));
  }
  const topology::Node& node(int i) const { return topo.nodes[static_cast<std::size_t>(i)]; }
  // A request with the body as given: the tests below send bodies no builder would.
  Expected<nlohmann::json, Failure> ask(int i, node_api::RequestId id, const nlohmann::json& body) {
    return client->call(node(i), {id, body}, std::chrono::seconds(5));
  }
  Expected<nlohmann::json, Failure> ask(int i, const node_api::NodeCall& call) {
    return client->call(node(i), call, std::chrono::seconds(5));
  }
};

nlohmann::json pattern(int neuron, double current) { return nlohmann::json::array({{{"neuron", neuron}, {"current", current}}}); }

}  // namespace

TEST_CASE("stimulate schedules the pattern on the engine and run_until makes the cluster run to the tick", "[cluster]") {
  Cluster c;
  auto r = c.ask(0, node_api::stimulate("c0", pattern(0, 1.5), 4, 2));
  REQUIRE(r);
  CHECK((*r)["column"] == "c0");
  CHECK((*r)["start_tick"] == 2);
  CHECK((*r)["ticks"] == 4);
  auto run = c.ask(0, node_api::run_until(20));
  REQUIRE(run);
  CHECK((*run)["target_tick"].get<std::int64_t>() >= 20);
  REQUIRE(c.ask(1, node_api::run_until(20)));
  auto s = wait_for(c.file, [](const auto& st) {
        return all_nodes(st, [](const auto& n) { return n.value("node_state", "") == "idle" && n.value("tick", 0) >= 20; });
      }, std::chrono::seconds(15));
  INFO(s.dump(1));
  // 1.5 above threshold 1.0 for 4 ticks: neuron 0 of c0 fires on each (reset to 0 every time).
  CHECK(node_in(s, "n1")["column_spikes"]["c0"].get<int>() >= 4);
  CHECK(node_in(s, "n1")["spikes"].get<int>() >= 4);
  // c0 -> c1 (all_to_all 0.3, plastic) crosses to n2, but 0.3 per spike cannot make c1 fire alone;
  // what matters here is that n2 kept in lockstep and reached the same tick.
  CHECK(node_in(s, "n2")["tick"] == node_in(s, "n1")["tick"]);
}

TEST_CASE("bad stimulate and run_until requests get an error code and change nothing", "[cluster]") {
  Cluster c;
  const auto code = [&](int node, node_api::RequestId id, const nlohmann::json& body) {
    auto r = c.ask(node, id, body);
    return r ? std::string("ok") : std::string(to_string(r.error().code));
  };
  CHECK(code(0, Id::stimulate, {{"column", "nope"}, {"pattern", pattern(0, 1.0)}}) == "bad_args");
  CHECK(code(0, Id::stimulate, {{"column", "c1"}, {"pattern", pattern(0, 1.0)}}) == "not_here");
  CHECK(code(0, Id::stimulate, {{"column", 3}, {"pattern", pattern(0, 1.0)}}) == "bad_args");
  CHECK(code(0, Id::stimulate, {{"column", "c0"}}) == "bad_args");
  CHECK(code(0, Id::stimulate, {{"column", "c0"}, {"pattern", nlohmann::json::array()}}) == "bad_args");
  CHECK(code(0, Id::stimulate, {{"column", "c0"}, {"pattern", {{{"neuron", "x"}, {"current", 1.0}}}}}) == "bad_args");
  CHECK(code(0, Id::stimulate, {{"column", "c0"}, {"pattern", {{{"neuron", 0}, {"current", "high"}}}}}) == "bad_args");
  CHECK(code(0, Id::stimulate, {{"column", "c0"}, {"pattern", pattern(99, 1.0)}}) == "bad_args");  // 4 neurons
  CHECK(code(0, Id::stimulate, {{"column", "c0"}, {"pattern", pattern(0, 1.0)}, {"pattern_len", 0}}) == "bad_args");
  CHECK(code(0, Id::stimulate, {{"column", "c0"}, {"pattern", pattern(0, 1.0)}, {"pattern_len", 2000000}}) == "bad_args");
  CHECK(code(0, Id::stimulate, {{"column", "c0"}, {"pattern", pattern(0, 1.0)}, {"start_tick", -1}}) == "bad_args");
  CHECK(code(0, Id::stimulate, nlohmann::json::array({1, 2})) == "bad_args");
  CHECK(code(0, Id::run_until, {{"tick", "soon"}}) == "bad_args");
  CHECK(code(0, Id::run_until, {{"tick", -5}}) == "bad_args");
  CHECK(code(0, Id::run_until, nlohmann::json::object()) == "bad_args");

  // Still at tick 0, nothing scheduled: run both nodes a little and see no spike at all.
  REQUIRE(c.ask(0, node_api::run_until(10)));
  REQUIRE(c.ask(1, node_api::run_until(10)));
  auto s = wait_for(c.file, [](const auto& st) {
        return all_nodes(st, [](const auto& n) { return n.value("node_state", "") == "idle" && n.value("tick", 0) >= 10; });
      }, std::chrono::seconds(15));
  INFO(s.dump(1));
  CHECK(node_in(s, "n1")["spikes"] == 0);
  CHECK(node_in(s, "n2")["spikes"] == 0);
  // Stimulating the past is refused; the nodes are still up and idle.
  CHECK(code(0, Id::stimulate, {{"column", "c0"}, {"pattern", pattern(0, 1.0)}, {"start_tick", 3}}) == "bad_args");
  CHECK(c.n1->running());
  CHECK(c.n2->running());
}

TEST_CASE("bad snapshot, region and metrics requests get an error code, touch no file and kill no node", "[cluster]") {
  Cluster c;
  const auto code = [&](node_api::RequestId id, const nlohmann::json& body) {
    auto r = c.ask(0, id, body);
    return r ? std::string("ok") : std::string(to_string(r.error().code));
  };
  CHECK(code(Id::metrics, {{"neurons", "yes"}}) == "bad_args");
  CHECK(code(Id::metrics, {{"neurons", true}}) == "ok");
  CHECK(code(Id::regions, {{"phase", "prepare"}, {"version", 1}, {"regions", {{"R", {"nope"}}}}}) == "bad_args");
  CHECK(code(Id::regions, {{"phase", "commit"}, {"version", 7}}) == "conflict");
  CHECK(code(Id::regions, {{"phase", "sideways"}, {"version", 1}}) == "bad_args");
  CHECK(code(Id::regions, {{"phase", "prepare"}, {"version", "one"}}) == "bad_args");
  CHECK(code(Id::hold, {{"epoch", -1}}) == "bad_args");
  CHECK(code(Id::save, {{"manifest", "../../etc/passwd"}}) == "bad_args");
  CHECK(code(Id::save, {{"manifest", 5}}) == "bad_args");
  CHECK(code(Id::stage, {{"file", "/etc/shadow"}, {"sha256", "x"}}) == "bad_args");
  CHECK(code(Id::stage, {{"file", "snapshot_n1_20261129T010716.274Z.n2.part"}, {"sha256", "x"}}) == "bad_args");  // not n1's
  CHECK(code(Id::stage, {{"file", "snapshot_n1_20261129T010716.274Z.n1.part"}, {"sha256", "x"}}) == "snapshot_corrupt");
  CHECK(code(Id::restore, {{"generation", 3}}) == "conflict");  // nothing staged
  CHECK(code(Id::remove, {{"files", {"../t.yaml"}}}) == "bad_args");
  CHECK(code(Id::remove, {{"files", "all"}}) == "bad_args");
  auto wipe = c.client->request(c.node(0), "persist", "wipe", nlohmann::json::object(), std::chrono::seconds(5));  // no such request
  REQUIRE_FALSE(wipe);
  CHECK(to_string(wipe.error().code) == "unknown_target");
  CHECK(std::filesystem::exists(c.file));
  CHECK(c.n1->running());
  CHECK(c.n2->running());
}

TEST_CASE("set_weights and reset write and restore a column's synapses and bad ones get an error code and change nothing", "[cluster]") {
  Cluster c;
  const auto code = [&](node_api::RequestId id, const nlohmann::json& body) {
    auto r = c.ask(1, id, body);
    return r ? std::string("ok") : std::string(to_string(r.error().code));
  };
  const auto from_c0 = [&] {  // the plastic all_to_all c0 -> c1 (0.3), held by n2 with c1
    auto w = c.ask(1, node_api::weights("c1"));
    REQUIRE(w);
    for (const auto& p : (*w)["projections"])
      if (p["from"] == "c0") return p["synapses"];
    FAIL("no projection from c0");
    return nlohmann::json();
  };
  const nlohmann::json built = from_c0();
  auto set = c.ask(1, node_api::set_weights("c1", "c0", {{0, 1, 0.8}, {3, 2, 0.05}}));
  REQUIRE(set);
  CHECK((*set)["written"] == 2);
  const nlohmann::json written = from_c0();
  CHECK(written[4] == nlohmann::json({0, 1, 0.8}));  // target-major: target t, source s at 4t + s
  CHECK(written[11] == nlohmann::json({3, 2, 0.05}));
  CHECK(written[5] == built[5]);

  const auto with = [](const nlohmann::json& synapses) { return nlohmann::json{{"column", "c1"}, {"from", "c0"}, {"synapses", synapses}}; };
  CHECK(code(Id::set_weights, {{"column", "nope"}, {"from", "c0"}, {"synapses", {{0, 0, 0.1}}}}) == "unknown_column");
  CHECK(code(Id::set_weights, {{"column", "c1"}, {"from", "nope"}, {"synapses", {{0, 0, 0.1}}}}) == "unknown_column");
  CHECK(code(Id::set_weights, {{"column", "c0"}, {"from", "c2"}, {"synapses", {{0, 0, 0.1}}}}) == "not_here");
  CHECK(code(Id::set_weights, {{"column", "c1"}, {"from", "c3"}, {"synapses", {{0, 0, 0.1}}}}) == "bad_args");  // no projection
  CHECK(code(Id::set_weights, with(nlohmann::json::array())) == "bad_args");
  CHECK(code(Id::set_weights, with("all")) == "bad_args");
  CHECK(code(Id::set_weights, with({{0, 0}})) == "bad_args");
  CHECK(code(Id::set_weights, with({{0, 0, "x"}})) == "bad_args");
  CHECK(code(Id::set_weights, with({{-1, 0, 0.1}})) == "bad_args");
  CHECK(code(Id::set_weights, with({{0, 0, 0.1}, {0, 9, 0.1}})) == "bad_args");  // c1 has 4 neurons
  CHECK(code(Id::set_weights, with({{0, 0, 0.1}, {1, 1, 2.5}})) == "bad_args");  // w_max 2
  CHECK(code(Id::set_weights, with({{0, 0, -0.4}})) == "bad_args");  // excitatory (0.3): w_min 0 by default
  CHECK(code(Id::set_weights, {{"column", "c1"}, {"from", "c0"}}) == "bad_args");
  CHECK(code(Id::reset, {{"columns", nlohmann::json::array()}}) == "bad_args");
  CHECK(code(Id::reset, {{"columns", "c1"}}) == "bad_args");
  CHECK(code(Id::reset, {{"columns", {"c1", 3}}, {"weights", true}}) == "bad_args");
  CHECK(code(Id::reset, {{"columns", {"c1", "nope"}}, {"weights", true}}) == "unknown_column");
  CHECK(code(Id::reset, {{"columns", {"c1", "c0"}}, {"weights", true}}) == "not_here");
  CHECK(code(Id::reset, {{"columns", {"c1"}}, {"weights", "yes"}}) == "bad_args");
  CHECK(from_c0() == written);

  auto kept = c.ask(1, Id::reset, {{"columns", {"c1", "c3"}}});
  REQUIRE(kept);
  CHECK((*kept)["weights"] == false);
  CHECK(from_c0() == written);
  auto reset = c.ask(1, node_api::reset({"c1"}, true));
  REQUIRE(reset);
  CHECK((*reset)["columns"] == nlohmann::json({"c1"}));
  CHECK(from_c0() == built);
  CHECK(c.n1->running());
  CHECK(c.n2->running());
}

TEST_CASE("normalise scales each neuron's incoming plastic weights to the sum and bad ones get an error code and change nothing", "[cluster]") {
  Cluster c;
  const auto code = [&](const nlohmann::json& body) {
    auto r = c.ask(1, Id::normalise, body);
    return r ? std::string("ok") : std::string(to_string(r.error().code));
  };
  const auto sums_from_c0 = [&] {  // the plastic all_to_all c0 -> c1 (0.3 from each of 4 sources), held by n2
    auto w = c.ask(1, node_api::weights("c1"));
    REQUIRE(w);
    std::vector<double> sums(4, 0.0);
    for (const auto& p : (*w)["projections"])
      if (p["from"] == "c0")
        for (const auto& s : p["synapses"]) sums[s[1].get<std::size_t>()] += s[2].get<double>();
    return sums;
  };
  REQUIRE(sums_from_c0()[0] == Approx(1.2));
  CHECK(code({{"column", "nope"}, {"from", "c0"}, {"target_sum", 1.0}}) == "unknown_column");
  CHECK(code({{"column", "c1"}, {"from", "nope"}, {"target_sum", 1.0}}) == "unknown_column");
  CHECK(code({{"column", "c0"}, {"from", "c2"}, {"target_sum", 1.0}}) == "not_here");
  CHECK(code({{"column", "c1"}, {"from", "c3"}, {"target_sum", 1.0}}) == "bad_args");  // no projection
  CHECK(code({{"column", "c5"}, {"from", "c4"}, {"target_sum", 1.0}}) == "bad_args");  // static
  CHECK(code({{"column", "c1"}, {"from", "c0"}, {"target_sum", "one"}}) == "bad_args");
  CHECK(code({{"column", "c1"}, {"from", "c0"}, {"target_sum", 2e6}}) == "bad_args");
  CHECK(code({{"column", "c1"}, {"from", "c0"}}) == "bad_args");
  CHECK(sums_from_c0() == std::vector<double>(4, sums_from_c0()[0]));
  CHECK(sums_from_c0()[0] == Approx(1.2));

  auto done = c.ask(1, node_api::normalise("c1", "c0", 0.6));
  REQUIRE(done);
  CHECK((*done)["target_sum"] == 0.6);
  for (const double sum : sums_from_c0()) CHECK(sum == Approx(0.6));
  CHECK(c.n1->running());
  CHECK(c.n2->running());
}

// The client parses the code of a node's error reply: a code it knows keeps it, one it does not (a newer
// node, a forged reply) is bad_reply naming it - never taken for another. A fake n1 in this process answers.
TEST_CASE("a node's error reply keeps its code, and a code the client does not know is bad_reply", "[cluster]") {
  TempDir dir;
  const auto ports = free_nodes({"n1", "n2"});
  const topology::Topology topo = *topology::load_file(write_topology(dir, "t.yaml", quiet_topology(ports)));
  auto key = bus::load_key(dir / "cluster.key");
  REQUIRE(key);
  zmq::context_t context;
  bus::Router fake_n1(context);
  REQUIRE(fake_n1.bind("tcp://127.0.0.1:" + std::to_string(ports[0].router)));
  bus::Outbox as_n1(key->bytes(), "test-cluster", "n1");
  auto client = open_client(topo);
  const auto answered_with = [&](const nlohmann::json& error_body) {
    std::thread node([&] {  // no Catch assertion here: a missing answer shows as unreachable below
      auto request = fake_n1.receive(std::chrono::seconds(10));
      const auto bytes = nlohmann::json::to_msgpack(error_body);
      bus::Bytes frame;
      if (request && as_n1.seal({"p3pctl", "client", "error"}, bus::ByteView(bytes), frame))
        fake_n1.send(request->identity_bytes(), frame);
    });
    auto r = client->call(topo.nodes[0], node_api::status(), std::chrono::seconds(10));
    node.join();
    REQUIRE_FALSE(r);
    return r.error();
  };
  const Failure known = answered_with({{"code", "not_here"}, {"message", "elsewhere"}});
  CHECK(to_string(known.code) == "not_here");
  CHECK(known.message == "n1: elsewhere");
  const Failure unknown = answered_with({{"code", "from_a_newer_node"}, {"message", "what it means"}});
  CHECK(to_string(unknown.code) == "bad_reply");
  CHECK_THAT(unknown.message, Catch::Contains("from_a_newer_node") && Catch::Contains("what it means"));
  CHECK(to_string(answered_with({{"message", "no code at all"}}).code) == "bad_reply");
  CHECK(to_string(answered_with({{"code", 7}, {"message", "a number"}}).code) == "bad_reply");
}
