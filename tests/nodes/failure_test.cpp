// A node killed with SIGKILL: the others report it lost within the heartbeat timeout and pause; a restart
// resumes the cluster if nothing had been computed yet, and otherwise leaves it paused, saying that a
// snapshot load is needed - never hanging silently, never running on without the lost node's state.
#include "tests/nodes/cluster_support.hpp"

using namespace p3p::test;

namespace {

const std::vector<std::string> kIds{"n1", "n2", "n3"};
const std::vector<std::string> kPlacement{"n1", "n2", "n3", "n3", "n1", "n2"};

bool lost_reported(const nlohmann::json& s, const std::string& by, const std::string& lost) {
  const auto& n = node_in(s, by);
  if (n["state"] != "up") return false;
  for (const auto& l : n["lost"])
    if (l == lost) return true;
  return false;
}

}  // namespace

TEST_CASE("a killed node is reported lost and a restart at tick 0 resumes the cluster", "[cluster]") {
  TempDir dir;
  const auto topo = write_topology(dir, "t.yaml", active_topology(free_nodes(kIds), kPlacement, {0, 600}));
  std::vector<std::unique_ptr<BackgroundProcess>> procs;
  for (const auto& id : kIds) procs.push_back(start_node(dir, topo, id));
  auto s = wait_for(topo, [](const auto& st) { return all_nodes(st, [](const auto& n) { return n.value("node_state", "") == "idle"; }); },
                    std::chrono::seconds(15));
  REQUIRE(all_nodes(s, [](const auto& n) { return n.value("node_state", "") == "idle"; }));

  procs[2]->stop(SIGKILL);
  const auto killed_at = std::chrono::steady_clock::now();
  s = wait_for(topo, [](const auto& st) { return lost_reported(st, "n1", "n3") && lost_reported(st, "n2", "n3"); },
               std::chrono::seconds(10));
  const auto took = std::chrono::steady_clock::now() - killed_at;
  INFO(s.dump(1));
  REQUIRE(lost_reported(s, "n1", "n3"));
  REQUIRE(lost_reported(s, "n2", "n3"));
  // Timeout 600 ms, plus a heartbeat period and the polling: about 1 s. The bound only tells the heartbeat
  // timeout from a TCP one (minutes); it is loose because under ASan on a loaded CI machine a status poll
  // alone can take a second (3 s was missed by 55 ms there).
  CHECK(took < std::chrono::seconds(8));
  CHECK(node_in(s, "n3")["state"] == "lost");
  CHECK(node_in(s, "n1")["node_state"] == "paused");
  CHECK_THAT(node_in(s, "n1")["reason"].get<std::string>(), Catch::Contains("n3"));

  procs[2] = start_node(dir, topo, "n3");
  s = wait_for(topo, [](const auto& st) { return all_nodes(st, [](const auto& n) { return n.value("node_state", "") == "idle"; }); },
               std::chrono::seconds(15));
  INFO(s.dump(1));
  CHECK(all_nodes(s, [](const auto& n) { return n["state"] == "up" && n.value("node_state", "") == "idle" && n["peers_connected"] == 2; }));
}

TEST_CASE("a node killed mid-run pauses the others, and restarted without state it needs a snapshot load", "[cluster]") {
  TempDir dir;
  const std::vector<std::string> ids{"n1", "n2"};
  const auto topo = write_topology(dir, "t.yaml", active_topology(free_nodes(ids), {"n1", "n2", "n1", "n2", "n1", "n2"}, {2, 600}));
  auto a = start_node(dir, topo, "n1", {"--ticks", "1000000"});
  auto b = start_node(dir, topo, "n2", {"--ticks", "1000000"});
  auto s = wait_for(topo, [](const auto& st) { return all_nodes(st, [](const auto& n) { return n.value("tick", 0) >= 40; }); },
                    std::chrono::seconds(15));
  REQUIRE(all_nodes(s, [](const auto& n) { return n.value("tick", 0) >= 40; }));

  b->stop(SIGKILL);
  s = wait_for(topo, [](const auto& st) { return node_in(st, "n1").value("node_state", "") == "paused"; }, std::chrono::seconds(10));
  INFO(s.dump(1));
  REQUIRE(node_in(s, "n1")["node_state"] == "paused");
  const auto paused_tick = node_in(s, "n1")["tick"].get<std::int64_t>();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  CHECK(node_in(status_of(topo), "n1")["tick"] == paused_tick);  // nobody runs ahead
  CHECK_THAT(a->output(), Catch::Contains("peer lost") && Catch::Contains("n2"));

  b = start_node(dir, topo, "n2", {"--ticks", "1000000"});
  s = wait_for(topo, [](const auto& st) {
        return all_nodes(st, [](const auto& n) { return n.value("node_state", "") == "needs_snapshot_load"; });
      }, std::chrono::seconds(15));
  INFO(s.dump(1));
  CHECK(all_nodes(s, [](const auto& n) { return n.value("node_state", "") == "needs_snapshot_load"; }));
  CHECK_THAT(node_in(s, "n1")["reason"].get<std::string>(), Catch::Contains("needs snapshot load") && Catch::Contains("n2"));
  CHECK(node_in(s, "n1")["tick"] == paused_tick);
}
