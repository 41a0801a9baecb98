#include "nodes/runtime/metrics_http.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "nodes/runtime/http_request.hpp"

namespace p3p::runtime {
namespace {

constexpr std::size_t kMaxHead = 8192;
constexpr std::size_t kMaxConnections = 16;
constexpr auto kTimeout = std::chrono::seconds(5);

std::string response(const char* status, const std::string& type, const std::string& body) {
  return std::string("HTTP/1.1 ") + status + "\r\nContent-Type: " + type + "\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\nConnection: close\r\n\r\n" + body;
}

}  // namespace

Expected<std::unique_ptr<MetricsHttp>, std::string> MetricsHttp::start(EventLoop& loop, const std::string& host, std::uint16_t port,
                                                                       std::function<std::string()> render) {
  std::unique_ptr<MetricsHttp> s(new MetricsHttp(loop, std::move(render)));
  const std::string address = host == "localhost" ? "127.0.0.1" : host;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  if (inet_pton(AF_INET, address.c_str(), &addr.sin_addr) != 1) return unexpected("metrics port: bad IPv4 address " + host);
  s->listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  const int one = 1;
  setsockopt(s->listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(s->listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(s->listen_fd_, 16) != 0)
    return unexpected("metrics port: cannot listen on " + address + ":" + std::to_string(port) + ": " + std::strerror(errno));
  MetricsHttp* self = s.get();
  loop.add_fd(s->listen_fd_, [self] { self->on_accept(); });
  loop.every(std::chrono::milliseconds(10), [self] { self->flush_and_reap(); });
  return s;
}

MetricsHttp::~MetricsHttp() {
  for (auto& [fd, c] : conns_) ::close(fd);
  if (listen_fd_ >= 0) ::close(listen_fd_);
}

void MetricsHttp::on_accept() {
  for (;;) {
    const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return;
    if (conns_.size() >= kMaxConnections) {
      const std::string busy = response("503 Service Unavailable", "text/plain", "too many connections\n");
      (void)::send(fd, busy.data(), busy.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
      ::close(fd);
      continue;
    }
    conns_[fd].fd = fd;
    loop_.add_fd(fd, [this, fd] { on_readable(fd); });
  }
}

void MetricsHttp::on_readable(int fd) {
  const auto it = conns_.find(fd);
  if (it == conns_.end()) return;
  Conn& c = it->second;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) return close(fd);
    if (n < 0) break;
    if (!c.answered) c.in.append(buf, static_cast<std::size_t>(n));
  }
  if (!c.answered) answer(c);
  flush_and_reap();
}

void MetricsHttp::answer(Conn& c) {
  const HttpVerdict verdict = parse_http_request(c.in, kMaxHead);
  switch (verdict) {
    case HttpVerdict::incomplete: return;  // the rest of the head is still coming
    case HttpVerdict::too_large:
      c.out = response("431 Request Header Fields Too Large", "text/plain", "request head over 8 KiB\n");
      break;
    case HttpVerdict::malformed: c.out = response("400 Bad Request", "text/plain", "not an HTTP request\n"); break;
    case HttpVerdict::bad_method: c.out = response("405 Method Not Allowed", "text/plain", "only GET\n"); break;
    case HttpVerdict::not_found: c.out = response("404 Not Found", "text/plain", "the metrics are at /metrics\n"); break;
    case HttpVerdict::metrics_get:
    case HttpVerdict::metrics_head: {
      const std::string body = render_();
      c.out = response("200 OK", "text/plain; version=0.0.4; charset=utf-8",
                       verdict == HttpVerdict::metrics_head ? std::string() : body);
      ++served_;
      break;
    }
  }
  c.answered = true;
  c.in.clear();
}

void MetricsHttp::flush_and_reap() {
  const auto now = Clock::now();
  std::vector<int> done;
  for (auto& [fd, c] : conns_) {
    while (!c.out.empty()) {
      const ssize_t n = ::send(fd, c.out.data(), c.out.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n <= 0) break;
      c.out.erase(0, static_cast<std::size_t>(n));
    }
    if ((c.answered && c.out.empty()) || now - c.since > kTimeout) done.push_back(fd);
  }
  for (int fd : done) close(fd);
}

void MetricsHttp::close(int fd) {
  loop_.remove_fd(fd);
  ::close(fd);
  conns_.erase(fd);
}

}  // namespace p3p::runtime
