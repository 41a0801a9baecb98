// A node that cannot start says why and exits non-zero: a node id the topology does not name, a port
// already in use. Also: SIGTERM stops a node cleanly (exit 0).
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/nodes/cluster_support.hpp"

using namespace p3p::test;

TEST_CASE("a node the topology does not name exits 1 with a clear message", "[cluster]") {
  TempDir dir;
  const auto topo = write_topology(dir, "t.yaml", active_topology(free_nodes({"n1"}), std::vector<std::string>(6, "n1")));
  auto r = run_process({built_binary("nodes/p3p-node"), "--topology", topo.string(), "--node", "ghost"}, std::chrono::seconds(10));
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("node 'ghost' is not in topology") && Catch::Contains("n1"));
  auto usage = run_process({built_binary("nodes/p3p-node"), "--node", "n1"}, std::chrono::seconds(10));
  CHECK(usage.exit_code == 2);
}

TEST_CASE("a node whose port is in use exits 1 naming the endpoint", "[cluster]") {
  TempDir dir;
  const auto nodes = free_nodes({"n1"});
  const auto topo = write_topology(dir, "t.yaml", active_topology(nodes, std::vector<std::string>(6, "n1")));
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(nodes[0].router));
  REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(listen(fd, 1) == 0);
  auto r = run_process({built_binary("nodes/p3p-node"), "--topology", topo.string(), "--node", "n1"}, std::chrono::seconds(10));
  close(fd);
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("cannot bind") && Catch::Contains(std::to_string(nodes[0].router)) &&
                        Catch::Contains("in use"));
}

TEST_CASE("SIGTERM and SIGINT stop a node cleanly", "[cluster]") {
  TempDir dir;
  const auto topo = write_topology(dir, "t.yaml", active_topology(free_nodes({"n1"}), std::vector<std::string>(6, "n1"), {1, 2000}));
  for (int sig : {SIGTERM, SIGINT}) {
    auto node = start_node(dir, topo, "n1", {"--ticks", "1000000"});
    wait_for(topo, [](const auto& st) { return node_in(st, "n1").value("tick", 0) > 5; }, std::chrono::seconds(10));
    CHECK(node->stop(sig) == 0);
    CHECK_THAT(node->output(), Catch::Contains("stop requested") && Catch::Contains("node stopped"));
  }
}
