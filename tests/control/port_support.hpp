#pragma once
// What the control-port tests share: a default cluster brought up by p3pctl on free ports (and brought down
// at the end), and a plain TCP line client for its control port.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <signal.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "tests/support/background_process.hpp"
#include "tests/support/process.hpp"
#include "tests/support/poll.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/text_file.hpp"

namespace p3p::test {

// A plain TCP client: send a line, read a line (bounded by a timeout).
// A TCP connection to 127.0.0.1:port whose reads give up after `timeout_s`.
inline int connect_loopback(int port, long timeout_s) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  REQUIRE(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  timeval tv{timeout_s, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  return fd;
}

class LineClient {
 public:
  explicit LineClient(int port) : fd_(connect_loopback(port, 60)) {}
  ~LineClient() { ::close(fd_); }
  int fd() const { return fd_; }
  void send_raw(const std::string& bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
      const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return;  // the server may close on us (too_large)
      sent += static_cast<std::size_t>(n);
    }
  }
  void send(const std::string& line) { send_raw(line + "\n"); }
  // The next line, or nothing if the connection closed or nothing came in time.
  std::optional<std::string> line() {
    for (;;) {
      if (auto nl = buf_.find('\n'); nl != std::string::npos) {
        std::string l = buf_.substr(0, nl);
        buf_.erase(0, nl + 1);
        return l;
      }
      char tmp[65536];
      const ssize_t n = ::recv(fd_, tmp, sizeof tmp, 0);
      if (n <= 0) return std::nullopt;
      buf_.append(tmp, static_cast<std::size_t>(n));
    }
  }
  nlohmann::json ask(const std::string& request) {
    send(request);
    auto l = line();
    REQUIRE(l);
    return nlohmann::json::parse(*l);
  }

 private:
  int fd_ = -1;
  std::string buf_;
};

struct Cluster {
  TempDir dir;
  std::filesystem::path yaml = dir / "default.yaml";
  int port = free_tcp_port();
  std::string ctl = built_binary("cli/p3pctl");

  // `edits`: text replacements in default.yaml (after the ports are made free).
  explicit Cluster(int max_clients = 64, const std::vector<std::pair<std::string, std::string>>& edits = {}) {
    std::string text = read_file(std::string(P3P_SOURCE_DIR) + "/topology/default.yaml");
    for (const char* p : {"10001", "10002", "10003", "10101", "10102", "10103", "9464", "9465", "9466"})
      replace_all(text, std::string(": ") + p, ": " + std::to_string(free_tcp_port()));
    replace_all(text, ": 10080", ": " + std::to_string(port));
    replace_all(text, "max_clients: 64", "max_clients: " + std::to_string(max_clients));
    for (const auto& [from, to] : edits) replace_all(text, from, to);
    std::ofstream(yaml) << text;
    REQUIRE(run_process({ctl, "keygen", (dir / "cluster.key").string()}).exit_code == 0);
    up();
  }
  // p3pctl up: starts whichever nodes are not running.
  void up() {
    auto r = run_process({ctl, "up", yaml.string(), "--run-dir", (dir / "run").string()}, std::chrono::seconds(40));
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
  }
  // SIGKILL, as a crash would: no goodbye, no flush.
  void kill_node(const std::string& id) {
    const auto pid = std::stoi(read_file(dir / "run" / ("p3p-default." + id + ".pid")));
    ::kill(pid, SIGKILL);
    for (int i = 0; i < 200 && ::kill(pid, 0) == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    std::filesystem::remove(dir / "run" / ("p3p-default." + id + ".pid"));
  }
  ~Cluster() { run_process({ctl, "down", yaml.string(), "--run-dir", (dir / "run").string()}, std::chrono::seconds(30)); }
};

// The result of a request that must succeed.
inline nlohmann::json ok(LineClient& c, const nlohmann::json& request) {
  auto r = c.ask(request.dump());
  INFO(request.dump() << " -> " << r.dump());
  REQUIRE(r["ok"] == true);
  return r["result"];
}

inline std::string code(const nlohmann::json& reply) { return reply["ok"] == true ? "ok" : reply["error"]["code"].get<std::string>(); }

// Every complete, non-empty line of `text` as JSON (a last line without its newline is still being written).
inline std::vector<nlohmann::json> json_lines(const std::string& text) {
  std::vector<nlohmann::json> out;
  for (std::size_t at = 0, nl; (nl = text.find('\n', at)) != std::string::npos; at = nl + 1)
    if (nl > at) out.push_back(nlohmann::json::parse(text.substr(at, nl - at)));
  return out;
}

// `p3pctl watch ARGS --topology <the cluster's>` in the background, its stdout (the telemetry) and stderr
// (its subscribed lines) in files of their own.
struct Watch {
  Watch(const Cluster& cluster, std::vector<std::string> args, const std::string& name)
      : errors(cluster.dir / (name + ".err")), proc(argv(cluster, std::move(args)), cluster.dir / (name + ".out"), errors) {}
  // Waits (a bounded poll of its stderr) until watch has printed `n` subscribed lines; the n-th, or null.
  nlohmann::json subscribed(std::size_t n = 1, std::chrono::seconds timeout = std::chrono::seconds(30)) {
    std::vector<nlohmann::json> lines;
    const auto seen = [&] {
      lines.clear();
      std::istringstream in(read_file(errors));
      for (std::string line; std::getline(in, line);) {
        const auto j = nlohmann::json::parse(line, nullptr, false);  // error messages (or half a line) are not JSON
        if (j.is_object() && j.value("kind", "") == "subscribed") lines.push_back(j);
      }
      return lines.size() >= n || !proc.running();
    };
    poll_until(seen, timeout);
    return lines.size() >= n ? lines[n - 1] : nlohmann::json();
  }
  std::vector<nlohmann::json> lines() const { return json_lines(proc.output()); }
  std::filesystem::path errors;
  BackgroundProcess proc;

 private:
  static std::vector<std::string> argv(const Cluster& cluster, std::vector<std::string> args) {
    args.insert(args.begin(), {cluster.ctl, "watch", "--topology", cluster.yaml.string()});
    return args;
  }
};

}  // namespace p3p::test
