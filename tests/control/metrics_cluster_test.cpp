// Metrics on a running default cluster (real p3p-node processes): counts that agree with the telemetry
// stream, the Prometheus endpoint checked by promtool, per-neuron counts, and the dump file - on demand, on
// shutdown, and whole even when its writer is killed mid-way.
#include <atomic>
#include "tests/support/poll.hpp"
#include <catch2/catch.hpp>
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>

#include "tests/control/port_support.hpp"

using namespace p3p::test;

namespace {

// One HTTP exchange with a node's metrics port: the whole response (status line, headers, body).
std::string http(int port, const std::string& request) {
  const int fd = connect_loopback(port, 10);
  (void)::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  std::string out;
  char buf[65536];
  for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) out.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  return out;
}

int metrics_port(const Cluster& cluster, const std::string& node) {
  // default.yaml lists the nodes' metrics ports in node order; the test cluster replaced them with free ones.
  const std::string yaml = read_file(cluster.yaml);
  std::size_t at = yaml.find("id: " + node);
  at = yaml.find("metrics_port: ", at);
  return std::stoi(yaml.substr(at + 14));
}

}  // namespace

TEST_CASE("metrics: per node and per neuron counts equal the spikes seen on the telemetry stream", "[cluster]") {
  Cluster cluster;
  Watch watch(cluster, {"spikes"}, "watch");
  REQUIRE(watch.subscribed()["missing"].empty());  // subscribed to every node before anything runs
  LineClient c(cluster.port);
  ok(c, {{"cmd", "run_demo"}});
  ok(c, {{"cmd", "debug_low_thresholds"}, {"args", {{"threshold", 0.05}}}});
  ok(c, {{"cmd", "advance"}, {"args", {{"ticks", 200}}}});
  const auto m = ok(c, {{"cmd", "metrics"}, {"args", {{"neurons", true}}}});
  INFO(m["node_spike_counts"].dump());
  std::map<std::string, std::uint64_t> streamed;
  const auto stream_done = [&] {  // the last batches are published within ~10 ms of the cluster coming to rest
    streamed.clear();
    for (const auto& j : watch.lines()) {
      REQUIRE(j["kind"] == "spikes");  // no gap lines: nothing lost
      streamed[j["node"]] += j["spikes"].get<std::uint64_t>();
    }
    for (const char* node : {"nodeA", "nodeB", "nodeC"})
      if (streamed[node] < m["node_spike_counts"][node].get<std::uint64_t>()) return false;
    return true;
  };
  poll_until(stream_done, std::chrono::seconds(30));
  watch.proc.stop(SIGINT);
  INFO(watch.proc.output());
  std::uint64_t total = 0;
  for (const char* node : {"nodeA", "nodeB", "nodeC"}) {
    CHECK(m["node_spike_counts"][node].get<std::uint64_t>() == streamed[node]);
    total += streamed[node];
    std::uint64_t per_neuron = 0;
    for (const auto& col : m["nodes"][node]["columns"]) {
      std::uint64_t sum = 0;
      for (const auto& n : col["per_neuron"]) sum += n.get<std::uint64_t>();
      CHECK(sum == col["spikes"].get<std::uint64_t>());
      per_neuron += sum;
    }
    CHECK(per_neuron == streamed[node]);
  }
  CHECK(total > 100);
  CHECK(m["total_spikes"] == total);
  CHECK(m["last_t"]["nodeB"] == 235);
  std::uint64_t in_regions = 0;
  for (const auto& [region, n] : m["region_spike_counts"].items()) in_regions += n.get<std::uint64_t>();
  CHECK(in_regions == total);
  CHECK(m["nodes"]["nodeA"]["commands"]["served"].get<int>() >= 3);
  CHECK(m["nodes"]["nodeB"]["exchange"]["count"].get<int>() >= 200);
}

TEST_CASE("Prometheus: every node serves /metrics, valid for promtool, agreeing with status", "[cluster]") {
  Cluster cluster;
  LineClient c(cluster.port);
  ok(c, {{"cmd", "run_demo"}});
  const auto status = ok(c, {{"cmd", "status"}});
  for (const auto& n : status["nodes"]) {
    const std::string id = n["id"];
    const std::string reply = http(metrics_port(cluster, id), "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
    REQUIRE(reply.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
    CHECK(reply.find("Content-Type: text/plain; version=0.0.4") != std::string::npos);
    const std::string body = reply.substr(reply.find("\r\n\r\n") + 4);
    CHECK(body.find("p3p_spikes_total{node=\"" + id + "\"} " + std::to_string(n["spikes"].get<std::uint64_t>()) + "\n") !=
          std::string::npos);
    CHECK(body.find("p3p_epoch_exchange_seconds_bucket{node=\"" + id + "\",le=\"+Inf\"}") != std::string::npos);
    const auto file = cluster.dir / ("metrics_" + id + ".txt");
    std::ofstream(file) << body;
    auto check = run_process({"/bin/sh", "-c", "promtool check metrics < '" + file.string() + "'"});
    INFO(body << check.out << check.err);
    CHECK(check.exit_code == 0);
  }
  const int port = metrics_port(cluster, "nodeA");
  CHECK(http(port, "GET / HTTP/1.1\r\n\r\n").rfind("HTTP/1.1 404", 0) == 0);
  CHECK(http(port, "POST /metrics HTTP/1.1\r\n\r\n").rfind("HTTP/1.1 405", 0) == 0);
  CHECK(http(port, "nonsense\r\n\r\n").rfind("HTTP/1.1 400", 0) == 0);
  CHECK(http(port, "GET /metrics HTTP/1.1\r\n" + std::string(9000, 'x')).rfind("HTTP/1.1 431", 0) == 0);
  CHECK(ok(c, {{"cmd", "status"}})["all_up"] == true);  // none of that hurt the node
}

TEST_CASE("the metrics dump: written on demand and on shutdown, whole even when its writer is killed while writing", "[cluster]") {
  Cluster cluster;
  const auto dump = cluster.dir / "metrics_dump_core.json";
  {
    LineClient c(cluster.port);
    ok(c, {{"cmd", "run_demo"}});
    const auto m = ok(c, {{"cmd", "metrics"}, {"args", {{"dump", true}}}});
    CHECK(m["dump"] == dump.string());
    const auto written = nlohmann::json::parse(read_file(dump));
    CHECK(written["format"] == "p3p-metrics/1");
    CHECK(written["total_spikes"] == m["total_spikes"]);
    // Dumps as fast as the port answers, while nodeA is killed at some moment among them.
    std::atomic<bool> stop{false};
    std::atomic<int> dumps{0};
    std::thread writer([&] {
      LineClient w(cluster.port);
      while (!stop) {
        w.send(R"({"cmd": "metrics", "args": {"dump": true, "neurons": true}})");
        if (!w.line()) break;  // the node is gone
        ++dumps;
      }
    });
    // Killed once dumps are being written one after the other (a bounded poll for the first few).
    REQUIRE(poll_until([&] { return dumps >= 3; }, std::chrono::seconds(30)));
    cluster.kill_node("nodeA");
    stop = true;
    writer.join();
  }
  const auto after_kill = nlohmann::json::parse(read_file(dump), nullptr, false);
  REQUIRE_FALSE(after_kill.is_discarded());  // the last complete dump, never half of one
  CHECK(after_kill["format"] == "p3p-metrics/1");
  std::filesystem::remove(dump);
  cluster.up();  // nodeA again (the cluster now waits for a snapshot load; metrics still answer)
  auto down = run_process({cluster.ctl, "down", cluster.yaml.string(), "--run-dir", (cluster.dir / "run").string()},
                          std::chrono::seconds(30));
  REQUIRE(down.exit_code == 0);
  const auto at_exit = nlohmann::json::parse(read_file(dump), nullptr, false);
  REQUIRE_FALSE(at_exit.is_discarded());
  CHECK(at_exit["nodes"].size() == 3);
  CHECK(at_exit["nodes"]["nodeB"]["tick"] == 35);  // the others were still up: the control node stops first
}
