#include "nodes/loop/event_loop.hpp"

#include <algorithm>
#include <cerrno>

namespace p3p::runtime {

void EventLoop::add_socket(void* zmq_socket, Handler on_readable) {
  items_.push_back(zmq::pollitem_t{zmq_socket, 0, ZMQ_POLLIN, 0});
  handlers_.push_back(std::move(on_readable));
}

void EventLoop::add_fd(int fd, Handler on_readable) {
  items_.push_back(zmq::pollitem_t{nullptr, fd, ZMQ_POLLIN, 0});
  handlers_.push_back(std::move(on_readable));
}

void EventLoop::remove_fd(int fd) {
  for (std::size_t i = 0; i < items_.size(); ++i) {
    if (items_[i].socket != nullptr || items_[i].fd != fd) continue;
    items_[i] = zmq::pollitem_t{nullptr, -1, 0, 0};  // poll() skips negative fds; compacted after this turn
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

void EventLoop::run(std::chrono::milliseconds max_wait) {
  stopping_ = false;
  while (!stopping_) {
    for (auto& item : items_) item.revents = 0;
    try {
      zmq::poll(items_.data(), items_.size(), wait_budget(max_wait));
    } catch (const zmq::error_t& e) {
      if (e.num() != EINTR) throw;
      continue;
    }
    for (std::size_t i = 0; i < items_.size() && !stopping_; ++i)
      if ((items_[i].revents & ZMQ_POLLIN) && handlers_[i]) {
        Handler h = handlers_[i];  // a copy: the handler may add or remove items
        h();
      }
    if (removed_) {
      for (std::size_t i = items_.size(); i-- > 0;)
        if (!handlers_[i]) {
          items_.erase(items_.begin() + static_cast<std::ptrdiff_t>(i));
          handlers_.erase(handlers_.begin() + static_cast<std::ptrdiff_t>(i));
        }
      removed_ = false;
    }
    if (!stopping_) run_due_timers();
  }
}

}  // namespace p3p::runtime
