// A rogue peer (a raw ZeroMQ DEALER in this process) sends garbage, a forged MAC, a replayed frame, an
// unknown sender and another cluster's frame: the node drops them all, counts each by reason, stays up.
#include "bus/key_file.hpp"
#include "bus/outbox.hpp"
#include "bus/sockets.hpp"
#include "tests/nodes/cluster_support.hpp"

using namespace p3p;
using namespace p3p::test;

TEST_CASE("rogue traffic is rejected, counted by reason, and the node keeps running", "[cluster]") {
  TempDir dir;
  const auto nodes = free_nodes({"n1", "n2"});
  const auto topo = write_topology(dir, "t.yaml", active_topology(nodes, {"n1", "n2", "n1", "n2", "n1", "n2"}));
  auto a = start_node(dir, topo, "n1");
  auto b = start_node(dir, topo, "n2");
  wait_for(topo, [](const auto& st) { return all_nodes(st, [](const auto& n) { return n.value("node_state", "") == "idle"; }); },
           std::chrono::seconds(15));

  auto key = bus::load_key(dir / "cluster.key");
  REQUIRE(key);
  const std::vector<std::uint8_t> wrong_key(32, 0x42);
  zmq::context_t ctx;
  bus::Dealer rogue(ctx, {}, "rogue");  // routing ids are not trusted anyway: only the signed sender counts
  REQUIRE(rogue.connect("tcp://127.0.0.1:" + std::to_string(nodes[0].router)));
  const std::string body_text = "\x90";  // msgpack []
  const bus::ByteView body = bus::as_bytes(body_text);
  bus::Bytes frame;

  rogue.send(bus::as_bytes("this is not an envelope"));                                    // malformed
  bus::Outbox forger(wrong_key, "test-cluster", "n2");
  REQUIRE(forger.seal({"n1", "mesh", "heartbeat"}, body, frame));
  rogue.send(frame);                                                                        // bad_mac
  bus::Outbox honest(key->bytes(), "test-cluster", "p3pctl");
  REQUIRE(honest.seal({"n1", "echo", "ping"}, body, frame));
  rogue.send(frame);                                                                        // accepted
  rogue.send(frame);                                                                        // replayed
  bus::Outbox stranger(key->bytes(), "test-cluster", "mallory");
  REQUIRE(stranger.seal({"n1", "echo", "ping"}, body, frame));
  rogue.send(frame);                                                                        // unknown_sender
  bus::Outbox other(key->bytes(), "other-cluster", "n2");
  REQUIRE(other.seal({"n1", "echo", "ping"}, body, frame));
  rogue.send(frame);                                                                        // wrong_cluster
  for (int i = 0; i < 200; ++i) rogue.send(bus::as_bytes("flood"));                        // rate-limited log

  auto s = wait_for(topo, [](const auto& st) {
        return node_in(st, "n1")["state"] == "up" && node_in(st, "n1")["rejected"]["wrong_cluster"] == 1;
      }, std::chrono::seconds(10));
  INFO(s.dump(1));
  const auto& r = node_in(s, "n1")["rejected"];
  CHECK(r["malformed"] == 201);
  CHECK(r["bad_mac"] == 1);
  CHECK(r["replayed"] == 1);
  CHECK(r["unknown_sender"] == 1);
  CHECK(r["wrong_cluster"] == 1);
  CHECK(node_in(s, "n1")["node_state"] == "idle");
  CHECK(node_in(s, "n1")["peers_connected"] == 1);
  CHECK(a->running());
  // Logged, but rate-limited: far fewer lines than rejected frames.
  const std::string log = a->output();
  std::size_t lines = 0;
  for (std::size_t p = log.find("envelope rejected"); p != std::string::npos; p = log.find("envelope rejected", p + 1)) ++lines;
  CHECK(lines >= 5);
  CHECK(lines < 20);
}

TEST_CASE("rogue traffic on the simulation's spike path is rejected and counted, and the lockstep goes on", "[cluster]") {
  TempDir dir;
  const auto nodes = free_nodes({"n1", "n2"});
  const auto topo = write_topology(dir, "t.yaml", active_topology(nodes, {"n1", "n2", "n1", "n2", "n1", "n2"}));
  auto a = start_node(dir, topo, "n1", {"--ticks", "400"});
  auto b = start_node(dir, topo, "n2", {"--ticks", "400"});
  auto s = wait_for(topo, [](const auto& st) { return all_nodes(st, [](const auto& n) { return n.value("state", "") == "up"; }); },
                    std::chrono::seconds(15));
  const std::string endpoint = node_in(s, "n1")["spikes_endpoint"].get<std::string>();
  REQUIRE(endpoint.rfind("tcp://127.0.0.1:", 0) == 0);

  auto key = bus::load_key(dir / "cluster.key");
  REQUIRE(key);
  zmq::context_t ctx;
  bus::Dealer rogue(ctx, {}, "n2");  // claiming to be n2's simulation changes nothing: only signatures count
  REQUIRE(rogue.connect(endpoint));
  const std::string body_text = "\x93\x00\x00\x90";  // msgpack [0, 0, []]: an empty batch of epoch 0
  bus::Bytes frame;
  rogue.send(bus::as_bytes("not an envelope"));                                              // malformed
  bus::Outbox forger(std::vector<std::uint8_t>(32, 0x42), "test-cluster", "n2");
  REQUIRE(forger.seal({"n1", "mesh", "spike_batch"}, bus::as_bytes(body_text), frame));
  rogue.send(frame);                                                                          // bad_mac
  bus::Outbox stranger(key->bytes(), "test-cluster", "n9");
  REQUIRE(stranger.seal({"n1", "mesh", "spike_batch"}, bus::as_bytes(body_text), frame));
  rogue.send(frame);                                                                          // unknown_sender
  // The client sender may send here (the cluster driver's steps), but not spike batches.
  bus::Outbox client(key->bytes(), "test-cluster", "p3pctl");
  REQUIRE(client.seal({"n1", "mesh", "spike_batch"}, bus::as_bytes(body_text), frame));
  rogue.send(frame);                                                                          // misaddressed

  s = wait_for(topo, [](const auto& st) {
        return node_in(st, "n1")["rejected"]["unknown_sender"] == 1 &&
               all_nodes(st, [](const auto& n) { return n.value("node_state", "") == "idle"; });
      }, std::chrono::seconds(15));
  INFO(s.dump(1));
  const auto& r = node_in(s, "n1")["rejected"];
  CHECK(r["malformed"] == 1);
  CHECK(r["bad_mac"] == 1);
  CHECK(r["unknown_sender"] == 1);
  CHECK(node_in(s, "n1")["dropped"]["misaddressed"] == 1);
  CHECK(node_in(s, "n1")["tick"] == 400);  // the lockstep reached its target regardless
  CHECK(node_in(s, "n2")["tick"] == 400);
  CHECK(a->running());
  CHECK(b->running());
}
