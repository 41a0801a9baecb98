// Hostile input against real nodes: a frame far above the size bound (anyone who can reach a port), and
// from a holder of the cluster key a forged spike batch announcing a new boot, bodies nested a hundred
// thousand levels deep, and a reward far outside its range. Each is refused with a clear error or
// counted, changes nothing, and the node keeps serving.
#include <cmath>
#include "tests/support/poll.hpp"
#include <fstream>

#include "bus/inbox.hpp"
#include "bus/key_file.hpp"
#include "bus/outbox.hpp"
#include "bus/socket_monitor.hpp"
#include "bus/sockets.hpp"
#include "client/msgpack_body.hpp"
#include "client/node_client.hpp"
#include "tests/nodes/cluster_support.hpp"
#include "topology/loader.hpp"

using namespace p3p;
using namespace p3p::test;

namespace {

const std::vector<std::string> kPlacement{"n1", "n2", "n1", "n2", "n1", "n2"};

// The largest resident set the process ever had (VmHWM), in bytes.
std::uint64_t peak_rss(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stoull(line.substr(6)) * 1024;
  FAIL("no VmHWM for pid " << pid);
  return 0;
}

struct TwoNodes {
  TempDir dir;
  std::vector<NodePorts> ports = free_nodes({"n1", "n2"});
  std::filesystem::path file = write_topology(dir, "t.yaml", active_topology(ports, kPlacement));
  std::unique_ptr<BackgroundProcess> n1, n2;
  std::vector<std::uint8_t> key;

  explicit TwoNodes(std::vector<std::string> extra = {}) {
    n1 = start_node(dir, file, "n1", extra);
    n2 = start_node(dir, file, "n2", extra);
    auto k = bus::load_key(dir / "cluster.key");
    REQUIRE(k);
    key.assign(k->bytes().begin(), k->bytes().end());
  }
  nlohmann::json wait(const std::function<bool(const nlohmann::json&)>& done) { return wait_for(file, done, std::chrono::seconds(20)); }
};

bool all_at(const nlohmann::json& st, std::int64_t tick) {
  return all_nodes(st, [&](const nlohmann::json& n) { return n.value("tick", -1) == tick && n.value("node_state", "") == "idle"; });
}

// A request with exactly these body bytes, signed as p3pctl; the node's answer as (kind, decoded body).
std::pair<std::string, nlohmann::json> ask_raw(const std::vector<std::uint8_t>& key, int port, const std::string& module,
                                               const std::string& kind, const std::string& body) {
  zmq::context_t ctx;
  bus::SocketOptions opts;
  opts.linger = std::chrono::milliseconds(0);
  bus::Dealer dealer(ctx, opts);
  REQUIRE(dealer.connect("tcp://127.0.0.1:" + std::to_string(port)));
  bus::Outbox out(key, "test-cluster", "p3pctl");
  bus::Bytes frame;
  REQUIRE(out.seal({"n1", module, kind}, bus::as_bytes(body), frame));
  REQUIRE(dealer.send(frame, bus::SendMode::wait) == bus::SendResult::sent);
  bus::InboxConfig ic;
  ic.cluster_id = "test-cluster";
  ic.guard.known_senders = {"n1", "n2"};
  bus::Inbox in(key, ic);
  auto reply = dealer.receive(std::chrono::seconds(10));
  REQUIRE(reply);
  auto env = in.accept(bus::bytes_of(*reply));
  REQUIRE(env);
  auto decoded = control::decode_body(env->body);
  REQUIRE(decoded);
  return {std::string(env->kind), *decoded};
}

std::string nested(std::size_t depth) { return std::string(depth, '\x91') + '\xc0'; }  // [[[...nil...]]]

}  // namespace

// A raw DEALER (reconnecting only after a minute) whose lost connections the test counts itself.
struct Rogue {
  zmq::socket_t socket;
  std::unique_ptr<bus::DisconnectCounter> drops;
  Rogue(zmq::context_t& ctx, const std::string& endpoint) : socket(ctx, zmq::socket_type::dealer) {
    socket.set(zmq::sockopt::linger, 0);
    socket.set(zmq::sockopt::reconnect_ivl, 60000);
    drops = std::make_unique<bus::DisconnectCounter>(ctx, socket);
    socket.connect(endpoint);
  }
  ~Rogue() { drops.reset(); }  // stop monitoring before the socket closes
  bool dropped_within(std::chrono::seconds limit) {
    return test::poll_until([this] { return drops->disconnects() > 0; }, limit);
  }
};

TEST_CASE("a frame far above the size bound is dropped before it is held, and the drop is counted", "[cluster]") {
  TwoNodes c;
  auto s = c.wait([](const nlohmann::json& st) { return all_nodes(st, [](const nlohmann::json& n) { return n.value("node_state", "") == "idle"; }); });
  const std::uint64_t before = peak_rss(c.n1->pid());
  const auto spike_drops = [](const nlohmann::json& st) { return node_in(st, "n1")["disconnects"]["spikes"].get<std::uint64_t>(); };
  const std::uint64_t spike_drops_before = spike_drops(s);

  // 96 MiB, six times the bound, to each of n1's ROUTERs. Without ZMQ_MAXMSGSIZE n1 holds all of it.
  const std::string big(std::size_t{96} << 20, 'x');
  zmq::context_t ctx;
  Rogue to_router(ctx, "tcp://127.0.0.1:" + std::to_string(c.ports[0].router));
  Rogue to_spikes(ctx, node_in(s, "n1")["spikes_endpoint"].get<std::string>());
  REQUIRE(to_router.socket.send(zmq::buffer(big), zmq::send_flags::none));
  REQUIRE(to_spikes.socket.send(zmq::buffer(big), zmq::send_flags::none));
  CHECK(to_router.dropped_within(std::chrono::seconds(20)));  // the node hung up on us
  CHECK(to_spikes.dropped_within(std::chrono::seconds(20)));

  // The spike ROUTER's peers stay connected: its count is exactly the rogue's connection.
  s = c.wait([&](const nlohmann::json& st) { return spike_drops(st) > spike_drops_before; });
  INFO(s.dump(1));
  CHECK(spike_drops(s) == spike_drops_before + 1);
  const std::uint64_t after = peak_rss(c.n1->pid());
  INFO("peak RSS before " << before << ", after " << after);
  CHECK(after < before + (std::size_t{16} << 20));  // never near the 96 MiB sent
  CHECK(node_in(s, "n1")["node_state"] == "idle");
  CHECK(c.n1->running());
}

TEST_CASE("a forged spike batch with a new boot id and a broken body changes nothing: the cluster runs on", "[cluster]") {
  // The same network run to tick 80 untouched: the raster hash the attacked cluster must reach too.
  TwoNodes untouched({"--ticks", "80"});
  auto u = untouched.wait([](const nlohmann::json& st) { return all_at(st, 80); });
  REQUIRE(all_at(u, 80));
  const std::string expected = u["raster_hash"].get<std::string>();

  TwoNodes c({"--ticks", "40"});
  auto s = c.wait([](const nlohmann::json& st) { return all_at(st, 40); });
  REQUIRE(all_at(s, 40));  // at rest: n2's batch of the last epoch waits in n1 for the next one
  zmq::context_t ctx;
  bus::Dealer rogue(ctx);
  REQUIRE(rogue.connect(node_in(s, "n1")["spikes_endpoint"].get<std::string>()));
  bus::Outbox forger(c.key, "test-cluster", "n2", 0xdead'beef, 1);  // n2's name, a boot n2 never had
  bus::Bytes frame;
  REQUIRE(forger.seal({"n1", "mesh", "spike_batch"}, bus::as_bytes(std::string("\x94\x00garbage")), frame));
  REQUIRE(rogue.send(frame, bus::SendMode::wait) == bus::SendResult::sent);
  s = c.wait([](const nlohmann::json& st) { return node_in(st, "n1")["dropped"]["bad_batch"].get<std::uint64_t>() >= 1; });
  REQUIRE(node_in(s, "n1")["dropped"]["bad_batch"].get<std::uint64_t>() >= 1);

  auto topo = topology::load_file(c.file);
  REQUIRE(topo);
  auto client = control::NodeClient::open(*topo);
  REQUIRE(client);
  for (const auto& n : topo->nodes) REQUIRE((*client)->call(n, node_api::run_until(80), std::chrono::seconds(5)));
  s = c.wait([](const nlohmann::json& st) { return all_at(st, 80); });
  INFO(s.dump(1));
  REQUIRE(all_at(s, 80));
  CHECK(s["raster_hash"] == expected);
}

TEST_CASE("bodies nested 10^5 and 10^6 levels deep get bad_args, and the node serves on", "[cluster]") {
  TwoNodes c;
  c.wait([](const nlohmann::json& st) { return all_nodes(st, [](const nlohmann::json& n) { return n.value("node_state", "") == "idle"; }); });
  const int port = c.ports[0].router;
  for (const auto& [module, kind, depth] : {std::tuple{"echo", "ping", 100'000}, std::tuple{"cortex7", "reward", 1'000'000},
                                           std::tuple{"runtime", "status", 100'000}}) {
    auto [reply, body] = ask_raw(c.key, port, module, kind, nested(static_cast<std::size_t>(depth)));
    INFO(module << "/" << kind << " " << body.dump());
    CHECK(reply == "error");
    CHECK(body["code"] == "bad_args");
    CHECK(body["message"].get<std::string>().find("deeper than 64") != std::string::npos);
  }
  auto [reply, body] = ask_raw(c.key, port, "echo", "ping", nested(64));  // at the limit: echoed back
  CHECK(reply == "pong");
  CHECK(body.dump() == nlohmann::json::from_msgpack(nested(64)).dump());
  CHECK(c.n1->running());
  const auto s = status_of(c.file);
  CHECK(node_in(s, "n1")["state"] == "up");
}

TEST_CASE("a reward of 1e308 sent straight to a node is refused and leaves every weight as it was", "[cluster]") {
  TwoNodes c;
  c.wait([](const nlohmann::json& st) { return all_nodes(st, [](const nlohmann::json& n) { return n.value("node_state", "") == "idle"; }); });
  auto topo = topology::load_file(c.file);
  REQUIRE(topo);
  auto client = control::NodeClient::open(*topo);
  REQUIRE(client);
  const topology::Node& n1 = topo->nodes[0];
  const auto weights = [&] {
    auto w = (*client)->call(n1, node_api::weights("c4"), std::chrono::seconds(5));  // c3 -> c4 is plastic
    REQUIRE(w);
    return (*w)["projections"];
  };
  const nlohmann::json before = weights();
  for (double bad : {1e308, -1e308, 1000.5}) {
    auto r = (*client)->call(n1, node_api::reward(bad), std::chrono::seconds(5));
    REQUIRE_FALSE(r);
    CHECK(to_string(r.error().code) == "bad_args");
    CHECK(r.error().message.find("[-1000, 1000]") != std::string::npos);
  }
  auto bad_threshold = (*client)->call(n1, node_api::set_thresholds(1e300), std::chrono::seconds(5));
  REQUIRE_FALSE(bad_threshold);
  CHECK(to_string(bad_threshold.error().code) == "bad_args");
  CHECK(weights() == before);
  // Plastic synapses learn while the cluster runs: under the refused reward they would all be NaN.
  for (const auto& n : topo->nodes) REQUIRE((*client)->call(n, node_api::run_until(60), std::chrono::seconds(5)));
  c.wait([](const nlohmann::json& st) { return all_at(st, 60); });
  const nlohmann::json after = weights();
  for (const auto& p : after)
    for (const auto& syn : p["synapses"]) REQUIRE(std::isfinite(syn[2].get<double>()));
  auto ok = (*client)->call(n1, node_api::reward(1000), std::chrono::seconds(5));
  REQUIRE(ok);
  CHECK((*ok)["reward_level"] == 1000);
}
