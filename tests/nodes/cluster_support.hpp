#pragma once
// Helpers for tests that run real clusters: a small active topology written with free ports and a fresh
// key, starting p3p-node processes (killed at the end of the test whatever happens), and reading the
// cluster's status through the real `p3pctl status -o json`. Every wait is bounded.
#include <signal.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/background_process.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

namespace p3p::test {

struct NodePorts {
  std::string id;
  int router = 0;
  int pub = 0;
};

inline std::vector<NodePorts> free_nodes(const std::vector<std::string>& ids) {
  std::vector<NodePorts> out;
  for (const auto& id : ids) out.push_back({id, free_tcp_port(), free_tcp_port()});
  return out;
}

struct ClusterSettings {
  std::uint32_t tick_ms = 0;
  std::uint32_t heartbeat_timeout_ms = 2000;
};

// Six cortex7 columns whose neurons fire on their own (baseline 0.06), wired across the columns with
// every rule, several delays and plastic synapses; `placement[i]` is the node of column i.
inline std::string active_topology(const std::vector<NodePorts>& nodes, const std::vector<std::string>& placement,
                                   const ClusterSettings& s = {}) {
  std::string y = "cluster: {name: test-cluster, key_file: cluster.key, seed: 7, tick_ms: " + std::to_string(s.tick_ms) +
                  ", heartbeat_timeout_ms: " + std::to_string(s.heartbeat_timeout_ms) + "}\n";
  y += "neuron_params:\n  active: {leak: 0.95, baseline: 0.06, noise: 0.01, threshold: 1.0, reset: 0.0}\n";
  y += "nodes:\n";
  for (const auto& n : nodes)
    y += "  - {id: " + n.id + ", host: 127.0.0.1, router_port: " + std::to_string(n.router) +
         ", pub_port: " + std::to_string(n.pub) + ", modules: [logger, echo, cortex7, mesocortex, mesh]}\n";
  y += "regions:\n  - name: R\n    columns:\n";
  for (std::size_t i = 0; i < placement.size(); ++i)
    y += "      - {id: c" + std::to_string(i) + ", node: " + placement[i] + ", preset: cortex7, params: active}\n";
  y += R"(projections:
  - {from: c0, to: c1, rule: all_to_all, weight: 0.3, delay: 2, plastic: true}
  - {from: c1, to: c2, rule: one_to_one, weight: 0.5, delay: 3}
  - {from: c2, to: c0, rule: probability, p: 0.5, weight: -0.2, delay: 2}
  - {from: c3, to: c4, rule: fixed_indegree, k: 2, weight: 0.25, delay: 4, plastic: true}
  - {from: c4, to: c5, rule: all_to_all, weight: {uniform: [0.1, 0.3]}, delay: 2}
  - {from: c5, to: c3, rule: one_to_one, weight: 0.4, delay: 2, plastic: true}
  - {from: c1, to: c4, rule: all_to_all, weight: 0.2, delay: 5}
)";
  return y;
}

// Writes `yaml` as DIR/NAME with a fresh cluster.key beside it (made by the real p3pctl keygen).
inline std::filesystem::path write_topology(const TempDir& dir, const std::string& name, const std::string& yaml) {
  if (!std::filesystem::exists(dir / "cluster.key"))
    REQUIRE(run_process({built_binary("cli/p3pctl"), "keygen", (dir / "cluster.key").string()}).exit_code == 0);
  const auto path = dir / name;
  std::ofstream(path) << yaml;
  return path;
}

inline std::unique_ptr<BackgroundProcess> start_node(const TempDir& dir, const std::filesystem::path& topology,
                                                     const std::string& id, std::vector<std::string> extra = {}) {
  std::vector<std::string> argv{built_binary("nodes/p3p-node"), "--topology", topology.string(), "--node", id};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return std::make_unique<BackgroundProcess>(argv, dir / (topology.stem().string() + "." + id + ".out"));
}

inline nlohmann::json status_of(const std::filesystem::path& topology) {
  auto r = run_process({built_binary("cli/p3pctl"), "status", "--topology", topology.string(), "-o", "json"},
                       std::chrono::seconds(15));
  INFO(r.err);
  REQUIRE((r.exit_code == 0 || r.exit_code == 1));  // 1: a node is down or lost - the tests look at which
  return nlohmann::json::parse(r.out);
}

inline const nlohmann::json& node_in(const nlohmann::json& status, const std::string& id) {
  for (const auto& n : status["nodes"])
    if (n["id"] == id) return n;
  FAIL("node " << id << " missing from status");
  return status;
}

// Polls the cluster status until `done` holds or `timeout` passes; returns the last status seen.
inline nlohmann::json wait_for(const std::filesystem::path& topology, const std::function<bool(const nlohmann::json&)>& done,
                               std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  nlohmann::json s = status_of(topology);
  while (!done(s) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    s = status_of(topology);
  }
  return s;
}

inline bool all_nodes(const nlohmann::json& s, const std::function<bool(const nlohmann::json&)>& pred) {
  for (const auto& n : s["nodes"])
    if (!pred(n)) return false;
  return true;
}

}  // namespace p3p::test
