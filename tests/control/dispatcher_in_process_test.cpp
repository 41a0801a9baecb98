// The dispatcher's cluster-wide protocols against real nodes running in this process (in_process_cluster.hpp:
// the default topology, each node in a thread, real sockets and files), with faults injected only at the
// transport (fault_client.hpp): the branches a process-based test cannot aim at - a node lost between the two
// phases of update_regions, a snapshot meeting a node an epoch behind - and run_demo checked against the
// in-process engine driver. Each case takes well under a second.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "client/request.hpp"
#include "driver/engine_driver.hpp"
#include "nodes/control/dispatcher.hpp"
#include "nodes/persistence/snapshot_part.hpp"
#include "tests/support/fault_client.hpp"
#include "tests/support/in_process_cluster.hpp"
#include "tests/support/poll.hpp"

using namespace p3p;
using namespace p3p::test;
using nlohmann::json;

namespace {

// What the control node runs, here in the test: the real dispatcher, over a client with the fault seam.
struct Control {
  explicit Control(const InProcessCluster& cluster)
      : topo(cluster.topology()),
        client(FaultClient::open(topo)),
        regions(control::RegionLayout::from_topology(topo)),
        dispatcher(topo, *client, regions) {}

  Expected<json, Failure> run(const std::string& cmd, const json& args = json::object()) {
    auto request = control::make_request(cmd, args);
    INFO(cmd << " " << args.dump() << ": " << (request ? std::string() : request.error().text()));
    REQUIRE(request);
    return dispatcher.execute(*request);
  }
  json ok(const std::string& cmd, const json& args = json::object()) {
    auto r = run(cmd, args);
    INFO(cmd << ": " << (r ? r->dump() : r.error().text()));
    REQUIRE(r);
    return *r;
  }
  // One node's own status, asked directly.
  json status_of(const std::string& node) {
    auto s = client->call(*topology::find_node(topo, node), node_api::status(), std::chrono::seconds(2));
    REQUIRE(s);
    return *s;
  }

  const topology::Topology& topo;
  std::unique_ptr<FaultClient> client;
  control::RegionStore regions;
  control::Dispatcher dispatcher;
};

std::vector<std::string> nodes_of(const std::vector<FaultClient::Sent>& sent) {
  std::vector<std::string> out;
  for (const auto& s : sent) out.push_back(s.node);
  return out;
}

// The current grouping with col_C1 moved from Region_BC into Region_AB (update_regions' argument).
json col_c1_into_region_ab(Control& c) {
  const json status = c.ok("status");
  json regions = json::object();
  for (const auto& r : status["regions"]) {
    json ids = json::array();
    for (const auto& col : r["columns"])
      if (col["id"] != "col_C1") ids.push_back(col["id"]);
    regions[r["name"].get<std::string>()] = ids;
  }
  regions["Region_AB"].push_back("col_C1");
  return {{"regions", regions}};
}

}  // namespace

TEST_CASE("update_regions: a node refusing prepare changes nothing anywhere, and the prepared nodes get abort", "[in_process]") {
  InProcessCluster cluster;
  Control c(cluster);
  const json update = col_c1_into_region_ab(c);
  c.client->set_rule([](const topology::Node& n, std::string_view, std::string_view kind, const json& body) {
    return n.id == "nodeC" && kind == "regions" && body["phase"] == "prepare";
  });

  auto refused = c.run("update_regions", update);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == ErrorCode::unreachable);
  CHECK_THAT(refused.error().message, Catch::Contains("nodeC refused the new regions, nothing changed"));
  CHECK(nodes_of(c.client->sent("regions", "phase", "prepare")) == std::vector<std::string>{"nodeA", "nodeB", "nodeC"});
  const auto aborts = c.client->sent("regions", "phase", "abort");
  CHECK(nodes_of(aborts) == std::vector<std::string>{"nodeA", "nodeB"});
  for (const auto& a : aborts) CHECK_FALSE(a.failed);
  CHECK(c.client->sent("regions", "phase", "commit").empty());

  const json status = c.ok("status");
  CHECK(status["regions_version"] == 0);
  for (const auto& n : status["nodes"]) CHECK(n["regions_version"] == 0);
  // The abort dropped what nodeA had prepared: a late commit of that version finds nothing to apply.
  auto late = c.client->call(*topology::find_node(c.topo, "nodeA"), node_api::regions_commit(1),
                                std::chrono::seconds(2));
  REQUIRE_FALSE(late);
  CHECK(late.error().code == ErrorCode::conflict);

  c.client->set_rule(nullptr);  // the same update, nothing lost: every node takes it
  CHECK(c.ok("update_regions", update)["nodes"] == json({"nodeA", "nodeB", "nodeC"}));
  const json after = c.ok("status");
  for (const auto& n : after["nodes"]) CHECK(n["regions_version"] == 1);
}

TEST_CASE("update_regions: a node stopping between prepare and commit is a partial_update naming who applied, and status agrees",
          "[in_process]") {
  InProcessCluster cluster;
  Control c(cluster);
  const json update = col_c1_into_region_ab(c);
  c.client->set_rule([&](const topology::Node& n, std::string_view, std::string_view kind, const json& body) {
    if (n.id == "nodeB" && kind == "regions" && body["phase"] == "commit") CHECK(cluster.stop("nodeB") == 0);
    return cluster.stopped(n.id);  // a stopped node answers nothing
  });

  auto partial = c.run("update_regions", update);
  REQUIRE_FALSE(partial);
  CHECK(partial.error().code == ErrorCode::partial_update);
  CHECK_THAT(partial.error().message, Catch::Contains(R"(version 1 applied on ["nodeA","nodeC"] but ["nodeB"] stopped answering)"));
  CHECK(nodes_of(c.client->sent("regions", "phase", "prepare")) == std::vector<std::string>{"nodeA", "nodeB", "nodeC"});
  CHECK(nodes_of(c.client->sent("regions", "phase", "commit")) == std::vector<std::string>{"nodeA", "nodeB", "nodeC"});
  CHECK(c.client->sent("regions", "phase", "abort").empty());

  const json status = c.ok("status");
  CHECK(status["regions_version"] == 1);  // the dispatcher's layout is what the nodes that answer hold
  for (const auto& n : status["nodes"]) {
    INFO(n.dump());
    CHECK(n["state"] == (n["id"] == "nodeB" ? "down" : "up"));
    if (n["id"] != "nodeB") CHECK(n["regions_version"] == 1);
  }
  for (const auto& r : status["regions"])
    if (r["name"] == "Region_AB") CHECK(r["columns"].size() == 3);
}

TEST_CASE("a snapshot whose hold meets a node an epoch behind waits for it, and every part is of one epoch", "[in_process]") {
  InProcessCluster cluster;
  Control c(cluster);
  for (const auto& n : c.topo.nodes)
    REQUIRE(c.client->call(n, node_api::run_until(1'000'000), std::chrono::seconds(2)));
  // nodeA alone paused: it stops at a boundary e, the others compute e too and wait there for its batch.
  REQUIRE(c.client->call(c.topo.nodes[0], node_api::pause(true), std::chrono::seconds(2)));
  std::uint64_t behind = 0;
  const auto one_behind = [&] {
    const json a = c.status_of("nodeA"), b = c.status_of("nodeB"), cc = c.status_of("nodeC");
    behind = a["epoch"].get<std::uint64_t>();
    return a["state"] == "paused" && a["epoch_in_flight"] == false && b["epoch"] == behind + 1 && cc["epoch"] == behind + 1 &&
           b["waiting_for"] == json({"nodeA"}) && cc["waiting_for"] == json({"nodeA"});
  };
  REQUIRE(poll_until(one_behind, std::chrono::seconds(10), std::chrono::milliseconds(2)));

  const json snap = c.ok("snapshot", {{"reason", "one behind"}});
  const std::int64_t epoch_ticks = c.status_of("nodeA")["epoch_ticks"];
  CHECK(snap["epoch"] == behind + 1);  // where the furthest nodes stood: nodeA caught up
  CHECK(snap["tick"] == static_cast<std::int64_t>(behind + 1) * epoch_ticks);
  const auto dir = cluster.topology().persistence.snapshot_dir;
  const json manifest = json::parse(std::ifstream(dir / snap["name"].get<std::string>()));
  CHECK(manifest["epoch"] == snap["epoch"]);
  REQUIRE(snap["parts"].size() == 3);
  for (const auto& p : snap["parts"]) {
    std::ifstream in(dir / p["file"].get<std::string>(), std::ios::binary);
    const bus::Bytes bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    auto part = persistence::decode_part(bus::ByteView(bytes));
    INFO(p.dump());
    REQUIRE(part);
    CHECK(part->next_epoch == behind + 1);
    CHECK(part->engine.tick == snap["tick"].get<std::int64_t>());
  }
  // Released: nodeA, still paused by the operator, stays where the snapshot was taken; the others go one
  // epoch on and wait there for its batch, as before the snapshot.
  const json a = c.status_of("nodeA");
  CHECK(a["state"] == "paused");
  CHECK(a["epoch"] == snap["epoch"]);
  REQUIRE(poll_until(one_behind, std::chrono::seconds(10), std::chrono::milliseconds(2)));
  CHECK(behind == snap["epoch"]);
}

TEST_CASE("run_demo on the in-process cluster: the spikes per column and the raster hash of the in-process engine driver",
          "[in_process]") {
  InProcessCluster cluster;
  Control c(cluster);
  const json demo = c.ok("run_demo");
  REQUIRE(demo["spikes_total"].get<std::uint64_t>() > 0);

  // The same stimulation, as run_demo fixes it (cluster_demo.hpp), scheduled on one engine of the same topology.
  auto engine = driver::EngineDriver::create(cluster.topology());
  REQUIRE(engine);
  driver::ClusterDriver& d = **engine;
  const std::int64_t t0 = demo["start_tick"], end = demo["end_tick"];
  REQUIRE(d.tick() == t0);
  const json& pattern = demo["pattern"];
  const std::int64_t len = demo["pattern_len"], span = len * static_cast<std::int64_t>(pattern.size());
  std::vector<driver::Current> currents;
  std::int64_t slot = 0;
  for (int cycle = 0; cycle < demo["stim_cycles"].get<int>(); ++cycle)
    for (const auto& region : demo["regions"]) {
      const std::int64_t start = t0 + slot++ * span;
      for (const topology::Column& col : topology::find_region(cluster.topology(), region.get<std::string>())->columns)
        for (std::int64_t r = 0; r < len; ++r)
          for (std::size_t i = 0; i < pattern.size(); ++i)
            currents.push_back({col.id, pattern[i]["neuron"], start + r * static_cast<std::int64_t>(pattern.size()) + static_cast<std::int64_t>(i),
                                pattern[i]["current"]});
    }
  REQUIRE(d.schedule(currents));
  auto reached = d.advance_to(end);
  REQUIRE(reached);
  CHECK(*reached == end);
  auto counts = d.spike_counts(t0, end);
  REQUIRE(counts);
  CHECK(demo["spikes_per_column"] == json(counts->per_column));
  CHECK(demo["spikes_total"] == counts->total);
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(d.raster_hash()));
  CHECK(c.ok("status")["raster_hash"] == hex);
}
