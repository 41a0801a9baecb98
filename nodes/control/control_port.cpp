// The control port's sockets: accepting (evicting the connection idle longest when every slot is taken),
// reading within the memory limits of port_connection.hpp, writing replies, and closing what is finished or
// has timed out. All on the node's event loop. Connections are closed only in reap() and evict_one(), which
// hold no other connection, so no handler ever works on a connection closed under it (they look up by id).
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "nodes/control/control_service.hpp"

namespace p3p::control {
namespace {

// Evictions per wake of the listener: a burst of connects (the backlog holds 128) cannot push out a client
// that connected just before it, before that client's first line has been read.
constexpr std::size_t kEvictionsPerWake = 4;

std::chrono::duration<double> seconds(double s) { return std::chrono::duration<double>(s); }

}  // namespace

void ControlService::on_accept() {
  std::size_t evictions = 0;
  for (;;) {
    const bool full = connections_.size() >= topo_.control->max_clients;
    if (full && evictions == kEvictionsPerWake) return;  // the rest wait in the backlog for the next turn
    const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return;  // EAGAIN: all taken; other errors (EMFILE...) are retried on the next wake
    if (full && !evict_one()) {
      const std::string line = error_reply({}, ErrorCode::busy, "too many clients, each with a request in flight (max_clients " +
                                                                    std::to_string(topo_.control->max_clients) + ")");
      (void)::send(fd, line.data(), line.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
      ::close(fd);
      count_error(ErrorCode::busy);
      continue;
    }
    if (full) ++evictions;
    const std::uint64_t id = next_connection_++;
    connections_.emplace(id, std::make_unique<Connection>(id, fd, runtime::Clock::now()));
    loop_.add_fd(fd, [this, id] { on_readable(id); });
  }
}

// Closes the connection with nothing in flight that made progress longest ago: an attacker holding every
// slot with silent or dribbling connections cannot lock an operator out.
bool ControlService::evict_one() {
  auto victim = connections_.end();
  for (auto it = connections_.begin(); it != connections_.end(); ++it)
    if (!it->second->in_flight && (victim == connections_.end() || it->second->last_progress < victim->second->last_progress))
      victim = it;
  if (victim == connections_.end()) return false;
  if (victim->second->reading) loop_.remove_fd(victim->second->fd);
  ::close(victim->second->fd);
  connections_.erase(victim);
  ++dropped_["evicted"];
  return true;
}

void ControlService::on_readable(std::uint64_t id) {
  const auto it = connections_.find(id);
  if (it == connections_.end()) return;
  read_from(*it->second);
  serve_next(*it->second);
  reap();
}

void ControlService::read_from(Connection& c) {
  char buf[65536];
  // At most 1 MiB per wake: a client streaming faster than the node discards cannot hold the loop.
  for (int reads = 0; reads < 16 && c.reading && may_read(c); ++reads) {
    const ssize_t n = ::read(c.fd, buf, sizeof buf);
    if (n > 0) {
      c.receive(std::string_view(buf, static_cast<std::size_t>(n)), runtime::Clock::now());
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    if (n == 0) c.end_of_input(runtime::Clock::now());  // a half-close: what it sent is still answered
    else c.broken = true;
    break;
  }
  update_reading(c);
}

std::size_t ControlService::held_by_all() const {
  std::size_t total = 0;
  for (const auto& [id, c] : connections_) total += c->held();
  return total;
}

// Below its fair share a client is always read; above it only while all clients together hold little.
bool ControlService::may_read(const Connection& c) const {
  if (c.peer_closed || c.broken) return false;
  if (c.overlong || c.shut) return true;  // what comes now is discarded
  const std::size_t input = c.in.size() + c.lines_bytes;
  if (c.lines.size() >= kMaxQueuedLines) return false;
  return input < kFairShare || (input < kMaxInputHeld && held_by_all() < kMaxHeldByAll);
}

// The same for serving the next line, by the replies the client has not taken: it frees them by reading.
bool ControlService::may_serve(const Connection& c) const {
  return c.out.size() < kFairShare || (c.out.size() < kMaxOutputHeld && held_by_all() < kMaxHeldByAll);
}

void ControlService::update_reading(Connection& c) {
  const bool want = may_read(c);
  if (want == c.reading) return;
  c.reading = want;
  if (!want) return loop_.remove_fd(c.fd);
  if (!c.in.empty()) c.line_started = runtime::Clock::now();  // it could not send while it was not read
  const std::uint64_t id = c.id;
  loop_.add_fd(c.fd, [this, id] { on_readable(id); });
}

void ControlService::answer(Connection& c, const std::string& line) {
  c.out += line;
  flush(c);
}

void ControlService::flush(Connection& c) {
  while (!c.out.empty() && !c.broken) {
    const ssize_t n = ::send(c.fd, c.out.data(), c.out.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      c.out.erase(0, static_cast<std::size_t>(n));
      c.last_progress = runtime::Clock::now();
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      return;  // full: the tick retries
    } else {
      c.broken = true;  // EPIPE, ECONNRESET: the client is gone
    }
  }
  if (c.out.empty() && c.out.capacity() > kFairShare) c.out.shrink_to_fit();
}

// Every 10 ms: replies a client could not take at once, lines held back by the limits, timeouts.
void ControlService::on_tick() {
  publish_progress();
  for (auto& [id, c] : connections_) {
    if (!c->out.empty()) flush(*c);
    serve_next(*c);
  }
  reap();
}

// Why a connection is closed now, if it is: "idle" or "line_timeout" (counted), "" (finished).
std::optional<std::string> ControlService::expired(const Connection& c, runtime::Clock::time_point now) const {
  const auto& limits = *topo_.control;
  if (c.shut) return now - c.shut_at > seconds(limits.line_timeout_s) ? std::optional<std::string>("") : std::nullopt;
  if (c.in_flight) return std::nullopt;
  if (now - c.last_progress > seconds(limits.idle_timeout_s)) return "idle";
  if (c.reading && !c.in.empty() && now - c.line_started > seconds(limits.line_timeout_s)) return "line_timeout";
  return std::nullopt;
}

// Closes what is finished: broken sockets, connections whose last reply is written (our side is shut down
// first, then the rest of the input is read until the client closes too, so it never gets a reset before
// it has read that reply), and connections past a timeout.
void ControlService::reap() {
  const auto now = runtime::Clock::now();
  for (auto it = connections_.begin(); it != connections_.end();) {
    Connection& c = *it->second;
    bool done = c.broken;
    if (!done && c.closing && c.out.empty() && !c.in_flight) {
      if (c.peer_closed) {
        done = true;
      } else if (!c.shut) {
        ::shutdown(c.fd, SHUT_WR);
        c.shut = true;
        c.shut_at = now;
        update_reading(c);
      }
    }
    if (!done) {
      const auto why = expired(c, now);
      done = why.has_value();
      if (why && !why->empty()) ++dropped_[*why];
    }
    if (!done) {
      ++it;
      continue;
    }
    if (c.reading) loop_.remove_fd(c.fd);
    ::close(c.fd);
    it = connections_.erase(it);
  }
}

}  // namespace p3p::control
