// The pieces of the node that need no sockets: topology -> spec, spike batch codec, lockstep, peer table.
#include <algorithm>
#include <filesystem>

#include <catch2/catch.hpp>

#include "nodes/cortex/engine.hpp"
#include "nodes/mesh/lockstep.hpp"
#include "nodes/mesh/peer_table.hpp"
#include "nodes/mesh/spike_batch.hpp"
#include "nodes/mesocortex/network_spec.hpp"
#include "topology/loader.hpp"

using namespace p3p;

TEST_CASE("the default topology translates into one spec with every column on its node") {
  topology::LoadOptions no_key;
  no_key.check_key_file = false;
  auto t = topology::load_file(std::string(P3P_SOURCE_DIR) + "/topology/default.yaml", no_key);
  REQUIRE(t);
  auto tr = mesocortex::build_network_spec(*t);
  REQUIRE(tr);
  const auto& spec = tr->spec;
  REQUIRE(spec.populations.size() == 29);
  CHECK(spec.populations[0].name == "col_A1");
  CHECK(spec.populations[0].node == 0);
  CHECK(spec.populations[1].node == 1);  // col_B1
  CHECK(spec.populations[3].node == 2);  // col_C1
  const auto columns = topology::all_columns(*t);
  const auto with_core = std::count_if(columns.begin(), columns.end(), [](const auto* c) { return !c->synapses().empty(); });
  CHECK(spec.projections.size() == static_cast<std::size_t>(with_core) + t->projections.size());  // one internal list per preset column
  CHECK(spec.seed == 12345);
  // Each plastic projection gets its own dopamine: Region_Cart's two, Region_Pattern's hidden -> output and
  // Region_Flock's three sense -> turn and Region_Anomaly's input -> detector learn with eligibility traces.
  std::size_t eligibility = 0;
  for (const auto& p : spec.projections)
    if (p.dopamine && p.dopamine->mode == cortex::DopamineMode::eligibility) ++eligibility;
  CHECK(eligibility == 7);
  CHECK(spec.dopamine.mode == cortex::DopamineMode::gain);  // the cluster default, for the columns' own synapses
  auto engine = cortex::Engine::create(spec, {0, 1});
  REQUIRE(engine);
  CHECK(engine->min_cross_delay() == 1);
}

TEST_CASE("spike batches round-trip and malformed ones are refused") {
  const std::vector<cortex::Spike> spikes{{10, 3}, {11, 7}, {11, 99}};
  const auto bytes = mesh::encode_spike_batch(3, 5, 10, spikes);
  auto b = mesh::decode_spike_batch(bytes, 2, 100);
  REQUIRE(b);
  CHECK(b->epoch == 5);
  CHECK(b->first_tick == 10);
  CHECK(b->spikes == spikes);
  CHECK_FALSE(mesh::decode_spike_batch(bytes, 1, 100));   // tick outside the epoch
  CHECK_FALSE(mesh::decode_spike_batch(bytes, 2, 50));    // unknown neuron
  const auto empty = mesh::encode_spike_batch(0, 0, 0, {});
  CHECK(mesh::decode_spike_batch(empty, 1, 1));
  // A block's batch: its spikes lie anywhere in its epochs; a node takes blocks up to a length only.
  const auto block = mesh::encode_spike_batch(3, 5, 10, spikes, 2);
  auto two = mesh::decode_spike_batch(block, 1, 100, 2);
  REQUIRE(two);
  CHECK(two->epochs == 2);
  CHECK(two->spikes == spikes);
  CHECK_FALSE(mesh::decode_spike_batch(block, 1, 100, 1));                          // longer than allowed
  CHECK_FALSE(mesh::decode_spike_batch(mesh::encode_spike_batch(3, 5, 10, spikes, 0), 1, 100, 4));  // no epochs
  const std::vector<std::uint8_t> garbage{0xdd, 0xff, 0xff, 0xff, 0xff};  // array32 claiming 4G elements
  CHECK_FALSE(mesh::decode_spike_batch(garbage, 1, 1));
  CHECK_FALSE(mesh::decode_spike_batch(std::vector<std::uint8_t>{0x94, 0x01}, 1, 1));
  auto trailing = bytes;
  trailing.push_back(0);
  CHECK_FALSE(mesh::decode_spike_batch(trailing, 2, 100));
}

TEST_CASE("the lockstep waits for every peer's batch of the previous epoch") {
  mesh::Lockstep ls({1, 2}, 3);
  CHECK(ls.inputs_complete());  // epoch 0 needs nothing
  CHECK(ls.begin().empty());
  CHECK(ls.on_batch(1, 1, {}) == mesh::BatchVerdict::out_of_window);  // nobody can be 2 ahead while we compute 0
  CHECK(ls.on_batch(1, 0, {{1, 5}}) == mesh::BatchVerdict::accepted);  // a peer finished epoch 0 first
  ls.end();
  CHECK(ls.missing() == std::vector<int>{2});
  CHECK(ls.on_batch(1, 0, {}) == mesh::BatchVerdict::duplicate);
  CHECK(ls.on_batch(2, 0, {{2, 8}}) == mesh::BatchVerdict::accepted);
  CHECK(ls.on_batch(2, 1, {}) == mesh::BatchVerdict::accepted);  // one epoch ahead is allowed
  REQUIRE(ls.inputs_complete());
  const auto inputs = ls.begin();
  CHECK(inputs == std::vector<cortex::Spike>{{1, 5}, {2, 8}});
  CHECK(ls.on_batch(2, 0, {}) == mesh::BatchVerdict::duplicate);  // consumed already
  ls.end();
  CHECK(ls.missing() == std::vector<int>{1});
  ls.forget(2);  // peer 2 restarted: its batch of epoch 1 is void
  CHECK(ls.missing() == std::vector<int>{1, 2});
  CHECK(ls.epochs_for(7) == 3);
}

TEST_CASE("the lockstep runs blocks of epochs, takes batches of blocks and hands over only what is due") {
  mesh::Lockstep ls({1, 2}, 2);
  (void)ls.begin();
  ls.end(3);  // ran epochs 0-2 at once
  CHECK(ls.next_epoch() == 3);
  CHECK(ls.missing() == std::vector<int>{1, 2});
  CHECK(ls.on_batch(1, 0, {{1, 4}}, 3) == mesh::BatchVerdict::accepted);
  CHECK(ls.on_batch(2, 0, {}, 2) == mesh::BatchVerdict::accepted);
  CHECK(ls.missing() == std::vector<int>{2});  // through epoch 1 only
  // Peer 2 is ahead: its next block covers epochs 2-5, ticks 4-11; this node is at epoch 3 (tick 6).
  CHECK(ls.on_batch(2, 3, {}) == mesh::BatchVerdict::out_of_window);  // epoch 2 would be missing
  CHECK(ls.on_batch(2, 2, {{5, 7}, {6, 8}, {11, 9}}, 4) == mesh::BatchVerdict::accepted);
  REQUIRE(ls.inputs_complete());
  CHECK(ls.begin() == std::vector<cortex::Spike>{{1, 4}, {5, 7}});
  ls.end();
  CHECK(ls.held_inputs() == mesh::Lockstep::PeerInputs{{1, {}}, {2, {{6, 8}, {11, 9}}}});
  REQUIRE(ls.on_batch(1, 3, {}) == mesh::BatchVerdict::accepted);
  CHECK(ls.begin() == std::vector<cortex::Spike>{{6, 8}});
}

TEST_CASE("the lockstep waits only for the peers it listens to, once they have sent all they owed") {
  mesh::Lockstep ls({1, 2}, 1);
  (void)ls.begin();
  ls.end();
  CHECK(ls.on_batch(1, 0, {{0, 3}}) == mesh::BatchVerdict::accepted);
  // A focus from epoch 1: peer 2 is silent towards this node, but its batch of epoch 0 is still owed.
  ls.listen({true, false});
  CHECK(ls.missing() == std::vector<int>{2});
  CHECK(ls.on_batch(2, 0, {{0, 4}}) == mesh::BatchVerdict::accepted);
  REQUIRE(ls.inputs_complete());
  CHECK(ls.begin() == std::vector<cortex::Spike>{{0, 3}, {0, 4}});
  ls.end(5);
  CHECK(ls.missing() == std::vector<int>{1});  // peer 2's epochs 1-5 count as covered
  CHECK(ls.on_batch(1, 1, {}, 5) == mesh::BatchVerdict::accepted);
  REQUIRE(ls.inputs_complete());
  // Listening again from epoch 6: peer 2's batches start where its silence ended.
  ls.listen({true, true});
  CHECK(ls.missing() == std::vector<int>{});
  (void)ls.begin();
  ls.end();
  CHECK(ls.missing() == std::vector<int>{1, 2});
  CHECK(ls.on_batch(2, 5, {}) == mesh::BatchVerdict::duplicate);
  CHECK(ls.on_batch(2, 6, {}) == mesh::BatchVerdict::accepted);
}

TEST_CASE("the lockstep's check answers what on_batch would, and changes nothing") {
  mesh::Lockstep ls({1}, 1);
  ls.begin();
  CHECK(ls.on_batch(1, 0, {{0, 5}}) == mesh::BatchVerdict::accepted);
  ls.end();
  CHECK(ls.check(1, 0) == mesh::BatchVerdict::duplicate);
  CHECK(ls.check(1, 0, true) == mesh::BatchVerdict::accepted);  // as a new boot's batch: after forget
  CHECK(ls.check(1, 5, true) == mesh::BatchVerdict::out_of_window);
  CHECK(ls.check(7, 0) == mesh::BatchVerdict::out_of_window);    // not a peer
  REQUIRE(ls.inputs_complete());  // the held batch is still there
  CHECK(ls.begin() == std::vector<cortex::Spike>{{0, 5}});
}

TEST_CASE("the lockstep hands its held inputs to a snapshot and restarts from one") {
  mesh::Lockstep ls({1, 2}, 1);
  (void)ls.begin();
  ls.end();
  CHECK(ls.on_batch(1, 0, {{0, 5}}) == mesh::BatchVerdict::accepted);
  CHECK(ls.on_batch(2, 0, {}) == mesh::BatchVerdict::accepted);
  const auto held = ls.held_inputs();  // at the boundary before epoch 1
  REQUIRE(held.size() == 2);
  CHECK(held[0] == std::make_pair(1, std::vector<cortex::Spike>{{0, 5}}));

  mesh::Lockstep loaded({1, 2}, 1);
  CHECK(loaded.on_batch(1, 0, {{0, 99}}) == mesh::BatchVerdict::accepted);  // from before the load: void
  loaded.restart(7, {{1, {{6, 3}}}, {2, {}}});
  CHECK(loaded.next_epoch() == 7);
  REQUIRE(loaded.inputs_complete());
  CHECK(loaded.on_batch(1, 6, {}) == mesh::BatchVerdict::duplicate);  // held already
  CHECK(loaded.on_batch(1, 5, {}) == mesh::BatchVerdict::duplicate);  // covered by the snapshot
  CHECK(loaded.on_batch(1, 8, {}) == mesh::BatchVerdict::out_of_window);  // epoch 7 would be missing
  CHECK(loaded.begin() == std::vector<cortex::Spike>{{6, 3}});
  loaded.end();
  CHECK(loaded.missing() == std::vector<int>{1, 2});
}

TEST_CASE("peers: a snapshot load makes restarted peers compatible again, lost ones stay lost") {
  mesh::PeerTable t;
  t.add("b", 1);
  t.add("c", 2);
  auto& b = *t.find("b");
  auto& c = *t.find("c");
  (void)t.on_heard(b, 1, 0);
  (void)t.on_heartbeat(b, 40, 40, "idle", 40);  // a restart judged while this node ran: incompatible
  (void)t.on_heard(c, 2, 0);
  (void)t.on_heartbeat(c, 0, 0, "idle", 0);
  REQUIRE(t.expire(5000, 1000).size() == 2);
  (void)t.on_heard(b, 1, 5100);  // b is back (still incompatible), c stays silent
  b.state = mesh::PeerState::incompatible;
  t.after_load();
  CHECK(b.state == mesh::PeerState::connected);
  CHECK(b.compatible);
  CHECK(c.state == mesh::PeerState::lost);
}

TEST_CASE("peers: lost after the timeout, back on the same boot, incompatible after a restart mid-run") {
  mesh::PeerTable t;
  t.add("b", 1);
  auto& b = *t.find("b");
  CHECK(t.on_heard(b, 42, 0).new_boot);
  CHECK(b.state == mesh::PeerState::connecting);
  CHECK(t.on_heartbeat(b, 0, 0, "idle", 0));
  CHECK(b.state == mesh::PeerState::connected);
  CHECK(t.expire(500, 1000).empty());
  REQUIRE(t.expire(1600, 1000).size() == 1);
  CHECK(b.state == mesh::PeerState::lost);
  CHECK(t.on_heard(b, 42, 1700).came_back);
  CHECK(b.state == mesh::PeerState::connected);
  // Restarted (new boot) while this node has already computed epochs: it lost the cluster's state.
  CHECK(t.on_heard(b, 43, 1800).new_boot);
  CHECK(t.on_heartbeat(b, 0, 0, "idle", 7));
  CHECK(b.state == mesh::PeerState::incompatible);
  CHECK(b.restarts == 1);
}
