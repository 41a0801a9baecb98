#include "nodes/loop/event_loop.hpp"

#include <algorithm>
#include <cerrno>

namespace p3p::runtime {

void EventLoop::add_socket(void* zmq_socket, Handler on_readable) {
  int fd = -1;
  std::size_t size = sizeof fd;
  if (zmq_getsockopt(zmq_socket, ZMQ_FD, &fd, &size) != 0) throw zmq::error_t();
  items_.push_back(zmq::pollitem_t{zmq_socket, 0, ZMQ_POLLIN, 0});
  fds_.push_back(pollfd{fd, POLLIN, 0});
  handlers_.push_back(std::move(on_readable));
}

void EventLoop::add_fd(int fd, Handler on_readable) {
  items_.push_back(zmq::pollitem_t{nullptr, fd, ZMQ_POLLIN, 0});
  fds_.push_back(pollfd{fd, POLLIN, 0});
  handlers_.push_back(std::move(on_readable));
}

void EventLoop::remove_fd(int fd) {
  for (std::size_t i = 0; i < items_.size(); ++i) {
    if (items_[i].socket != nullptr || items_[i].fd != fd) continue;
    items_[i] = zmq::pollitem_t{nullptr, -1, 0, 0};  // poll() skips negative fds; compacted after this turn
    fds_[i] = pollfd{-1, 0, 0};
    handlers_[i] = nullptr;
    removed_ = true;
  }
}

EventLoop::TimerId EventLoop::every(std::chrono::milliseconds interval, Handler h) {
  const TimerId id = next_id_++;
  timers_[id] = Timer{Clock::now() + interval, std::max(interval, std::chrono::milliseconds(1)), std::move(h)};
  return id;
}

EventLoop::TimerId EventLoop::at(Clock::time_point when, Handler h) {
  const TimerId id = next_id_++;
  timers_[id] = Timer{when, std::chrono::milliseconds(0), std::move(h)};
  return id;
}

void EventLoop::cancel(TimerId id) { timers_.erase(id); }

std::chrono::milliseconds EventLoop::wait_budget(std::chrono::milliseconds max_wait) const {
  auto budget = max_wait;
  const auto now = Clock::now();
  for (const auto& [id, t] : timers_) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(t.due - now);
    budget = std::min(budget, std::max(left, std::chrono::milliseconds(0)));
  }
  return budget;
}

void EventLoop::run_due_timers() {
  const auto now = Clock::now();
  std::vector<TimerId> due;
  for (const auto& [id, t] : timers_)
    if (t.due <= now) due.push_back(id);
  for (const TimerId id : due) {
    auto it = timers_.find(id);
    if (it == timers_.end()) continue;  // cancelled by an earlier handler of this turn
    Handler h = it->second.handler;      // copy: the handler may cancel or add timers
    if (it->second.interval.count() == 0) {
      timers_.erase(it);
    } else {
      it->second.due = now + it->second.interval;
    }
    h();
  }
}

namespace {

bool zmq_readable(void* socket) {
  int events = 0;
  std::size_t size = sizeof events;
  return zmq_getsockopt(socket, ZMQ_EVENTS, &events, &size) == 0 && (events & ZMQ_POLLIN);
}

}  // namespace

// zmq_poll's work with half its system calls, which cost microseconds each on a virtual machine. Reading a
// socket's ZMQ_EVENTS costs two (libzmq checks getpid() and polls the socket's mailbox), and zmq_poll reads
// every socket's twice when it sleeps (before and after). Here: each socket's once; if none is readable,
// one poll() on every fd (a socket's ZMQ_FD), then only the sockets whose fd woke it are read again. Sound
// because nothing touches the sockets between the first reading and the sleep: whatever makes a socket
// readable after it (a command to its mailbox) signals its fd. false: interrupted, nothing to dispatch.
bool EventLoop::wait_for_readable(std::chrono::milliseconds budget) {
  bool ready = false;
  bool plain_fds = false;
  for (auto& item : items_) {
    item.revents = item.socket && zmq_readable(item.socket) ? ZMQ_POLLIN : 0;
    ready = ready || item.revents != 0;
    plain_fds = plain_fds || (!item.socket && item.fd >= 0);
  }
  if (ready && !plain_fds) return true;
  for (auto& f : fds_) f.revents = 0;
  if (::poll(fds_.data(), fds_.size(), ready ? 0 : static_cast<int>(budget.count())) < 0) {
    if (errno != EINTR) throw zmq::error_t();
    for (auto& item : items_) item.revents = 0;
    return false;
  }
  for (std::size_t i = 0; i < items_.size(); ++i) {
    if (!(fds_[i].revents & POLLIN) || items_[i].revents) continue;
    if (!items_[i].socket || zmq_readable(items_[i].socket)) items_[i].revents = ZMQ_POLLIN;
  }
  return true;
}

void EventLoop::run(std::chrono::milliseconds max_wait) {
  stopping_ = false;
  while (!stopping_) {
    if (!wait_for_readable(wait_budget(max_wait))) continue;
    for (std::size_t i = 0; i < items_.size() && !stopping_; ++i)
      if ((items_[i].revents & ZMQ_POLLIN) && handlers_[i]) {
        Handler h = handlers_[i];  // a copy: the handler may add or remove items
        h();
      }
    if (removed_) {
      for (std::size_t i = items_.size(); i-- > 0;)
        if (!handlers_[i]) {
          items_.erase(items_.begin() + static_cast<std::ptrdiff_t>(i));
          fds_.erase(fds_.begin() + static_cast<std::ptrdiff_t>(i));
          handlers_.erase(handlers_.begin() + static_cast<std::ptrdiff_t>(i));
        }
      removed_ = false;
    }
    if (!stopping_) run_due_timers();
  }
}

}  // namespace p3p::runtime
