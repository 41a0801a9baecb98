#include "tests/support/in_process_cluster.hpp"

#include <signal.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <thread>

#include "bus/key_file.hpp"
#include "client/cluster_status.hpp"
#include "nodes/loop/logger.hpp"
#include "nodes/runtime/node.hpp"
#include "tests/support/background_process.hpp"
#include "tests/support/poll.hpp"
#include "tests/support/text_file.hpp"
#include "topology/loader.hpp"

namespace p3p::test {
namespace {

// A node's stop handle: an eventfd its loop watches; firing it is what SIGTERM is to p3p-node.
class StopHandle final : public runtime::StopSource {
 public:
  StopHandle() : fd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
    if (fd_ < 0) throw std::runtime_error("eventfd failed");
  }
  ~StopHandle() override { ::close(fd_); }
  StopHandle(const StopHandle&) = delete;
  StopHandle& operator=(const StopHandle&) = delete;

  void fire() {
    const std::uint64_t one = 1;
    [[maybe_unused]] const ssize_t n = ::write(fd_, &one, sizeof one);
  }
  int fd() const override { return fd_; }
  int take() override {
    std::uint64_t count = 0;
    return ::read(fd_, &count, sizeof count) == static_cast<ssize_t>(sizeof count) ? SIGTERM : 0;
  }

 private:
  int fd_;
};

// default.yaml with free ports, no Prometheus ports and no control port (the test is the control node).
std::string in_process_topology(const std::vector<std::pair<std::string, std::string>>& edits) {
  std::string text = read_file(std::string(P3P_SOURCE_DIR) + "/topology/default.yaml");
  for (const char* p : {"10001", "10002", "10003", "10101", "10102", "10103"})
    replace_all(text, std::string(": ") + p, ": " + std::to_string(free_tcp_port()));
  for (const char* p : {"9464", "9465", "9466"}) replace_all(text, std::string("    metrics_port: ") + p + "\n", "");
  replace_all(text, ", scheduler, control_port]", "]");
  const auto control = text.find("\ncontrol:\n");
  REQUIRE(control != std::string::npos);
  text.erase(control + 1, text.find("\n\n", control + 1) - control);
  for (const auto& [from, to] : edits) replace_all(text, from, to);
  return text;
}

}  // namespace

struct InProcessCluster::Running {
  std::string id;
  StopHandle stop;
  std::unique_ptr<runtime::Logger> log;
  std::thread thread;
  int exit_code = -1;

  ~Running() { halt(); }
  int halt() {
    if (thread.joinable()) {
      stop.fire();
      thread.join();
    }
    return exit_code;
  }
};

InProcessCluster::InProcessCluster(const std::vector<std::pair<std::string, std::string>>& edits) : yaml_(dir / "default.yaml") {
  std::ofstream(yaml_) << in_process_topology(edits);
  auto key = bus::write_new_key(dir / "cluster.key", false);
  REQUIRE(key);
  auto topo = topology::load_file(yaml_);
  REQUIRE(topo);
  topo_ = std::make_unique<topology::Topology>(std::move(*topo));
  for (const auto& n : topo_->nodes) {
    auto running = std::make_unique<Running>();
    running->id = n.id;
    running->log = std::make_unique<runtime::Logger>(n.id, (dir / (n.id + ".log")).string());
    auto created = runtime::Node::create({yaml_, n.id, 0, {}}, *running->log);
    INFO(n.id << ": " << (created ? std::string() : created.error()));
    REQUIRE(created);
    // The thread owns the node: it is destroyed there, so stopping several nodes closes their sockets in parallel.
    running->thread = std::thread([r = running.get(), node = std::move(*created)]() mutable {
      r->exit_code = node->run(r->stop);
      node.reset();
    });
    nodes_.push_back(std::move(running));
  }
  wait_ready();
}

InProcessCluster::~InProcessCluster() {
  for (auto& n : nodes_) n->stop.fire();  // all at once: none waits on a peer that is already gone
  nodes_.clear();
}

int InProcessCluster::stop(const std::string& id) { return node(id).halt(); }

bool InProcessCluster::stopped(const std::string& id) const { return !node(id).thread.joinable(); }

InProcessCluster::Running& InProcessCluster::node(const std::string& id) const {
  for (const auto& n : nodes_)
    if (n->id == id) return *n;
  throw std::invalid_argument("no node '" + id + "' in the in-process cluster");
}

// What `p3pctl up` waits for: every node up and idle, its peers connected (status polled, bounded in time).
void InProcessCluster::wait_ready() const {
  auto client = control::NodeClient::open(*topo_);
  REQUIRE(client);
  nlohmann::json last;
  const auto ready = [&] {
    last = control::cluster_status(*topo_, **client, std::chrono::milliseconds(500));
    for (const auto& n : last["nodes"])
      if (n["state"] != "up" || n.value("node_state", "") != "idle" ||
          n.value("peers_connected", 0) + 1 != static_cast<int>(topo_->nodes.size()))
        return false;
    return true;
  };
  const bool up = poll_until(ready, std::chrono::seconds(20), std::chrono::milliseconds(2));
  INFO(last.dump());
  REQUIRE(up);
}

}  // namespace p3p::test
