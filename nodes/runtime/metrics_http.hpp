#pragma once
// The Prometheus endpoint: a minimal HTTP/1.x server in the node's event loop that answers GET /metrics
// with the text exposition (version 0.0.4) and closes the connection. Anything else gets a plain error
// status (404 other paths, 405 other methods, 400 malformed, 431 request head over 8 KiB); at most 16
// connections at once, each closed after 5 s. It only reads a request head; it never blocks the loop.
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "common/expected.hpp"
#include "nodes/loop/event_loop.hpp"

namespace p3p::runtime {

class MetricsHttp {
 public:
  static Expected<std::unique_ptr<MetricsHttp>, std::string> start(EventLoop& loop, const std::string& host, std::uint16_t port,
                                                                   std::function<std::string()> render);
  ~MetricsHttp();
  MetricsHttp(const MetricsHttp&) = delete;
  MetricsHttp& operator=(const MetricsHttp&) = delete;
  std::uint64_t served() const { return served_; }

 private:
  struct Conn {
    int fd = -1;
    std::string in, out;
    bool answered = false;
    Clock::time_point since = Clock::now();
  };
  MetricsHttp(EventLoop& loop, std::function<std::string()> render) : loop_(loop), render_(std::move(render)) {}
  void on_accept();
  void on_readable(int fd);
  void answer(Conn& c);
  void flush_and_reap();
  void close(int fd);

  EventLoop& loop_;
  std::function<std::string()> render_;
  int listen_fd_ = -1;
  std::map<int, Conn> conns_;
  std::uint64_t served_ = 0;
};

}  // namespace p3p::runtime
