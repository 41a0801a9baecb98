#pragma once
// Real nodes inside the test process: every node of a topology runs in a thread of its own - the same
// runtime::Node p3p-node runs, with real ZeroMQ sockets on 127.0.0.1 free ports and real files in a temp dir -
// and is stopped by a stop handle of its own instead of SIGTERM. No process launch, no `p3pctl up`: a
// cluster is up in milliseconds, so the protocols above the nodes (the dispatcher's) get fast tests that can
// stop one node at the very moment they choose.
//
// The topology is topology/default.yaml with free ports, without the control port and the Prometheus
// ports: a test drives the real control::Dispatcher itself, over a client of its own (fault_client.hpp).
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/temp_dir.hpp"
#include "topology/topology.hpp"

namespace p3p::test {

class InProcessCluster {
 public:
  // Writes default.yaml into `dir` (then `edits`, text replacements, applied to it) and a fresh cluster key, starts
  // every node and returns once each one answers status idle with every peer connected (bounded wait).
  explicit InProcessCluster(const std::vector<std::pair<std::string, std::string>>& edits = {});
  ~InProcessCluster();  // stops every node still running
  InProcessCluster(const InProcessCluster&) = delete;
  InProcessCluster& operator=(const InProcessCluster&) = delete;

  const topology::Topology& topology() const { return *topo_; }
  const std::filesystem::path& yaml() const { return yaml_; }
  // Stops node `id` as SIGTERM stops p3p-node (the epoch in flight finishes, its sockets close) and returns
  // once its thread has ended, with its exit code. Stopping a stopped node returns its code again.
  int stop(const std::string& id);
  bool stopped(const std::string& id) const;

  TempDir dir;

 private:
  struct Running;
  Running& node(const std::string& id) const;
  void wait_ready() const;

  std::filesystem::path yaml_;
  std::unique_ptr<topology::Topology> topo_;
  std::vector<std::unique_ptr<Running>> nodes_;
};

}  // namespace p3p::test
