#pragma once
// The node's one event loop: ZeroMQ sockets and plain file descriptors (the signal fd) in one poll() per turn,
// plus timers. Everything the loop runs is a callback on this thread, so the node's state needs no locks;
// the simulation thread talks to it only through an inproc socket (sim_actor.hpp).
// bus::PollSet covers sockets only; the loop also needs fds and deadlines, hence this small class.
#include <poll.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <vector>
#include <zmq.hpp>

namespace p3p::runtime {

using Clock = std::chrono::steady_clock;

class EventLoop {
 public:
  using Handler = std::function<void()>;
  using TimerId = std::uint64_t;

  void add_socket(void* zmq_socket, Handler on_readable);
  void add_fd(int fd, Handler on_readable);
  // Stops watching `fd` (safe from inside any handler; the caller closes the fd afterwards).
  void remove_fd(int fd);
  // Runs `h` every `interval` (first run one interval from now).
  TimerId every(std::chrono::milliseconds interval, Handler h);
  // Runs `h` once at `when` (or at the next turn if that has passed).
  TimerId at(Clock::time_point when, Handler h);
  void cancel(TimerId id);

  // Turns until stop() is called. A turn never blocks longer than `max_wait`.
  void run(std::chrono::milliseconds max_wait = std::chrono::milliseconds(100));
  void stop() { stopping_ = true; }

 private:
  struct Timer {
    Clock::time_point due;
    std::chrono::milliseconds interval{0};  // 0 = one-shot
    Handler handler;
  };
  void run_due_timers();
  std::chrono::milliseconds wait_budget(std::chrono::milliseconds max_wait) const;
  bool wait_for_readable(std::chrono::milliseconds budget);

  std::vector<zmq::pollitem_t> items_;
  std::vector<pollfd> fds_;  // per item: its fd, or a socket's ZMQ_FD (what poll() sleeps on)
  std::vector<Handler> handlers_;
  bool removed_ = false;  // some items were removed this turn: compact after dispatching
  std::map<TimerId, Timer> timers_;
  TimerId next_id_ = 1;
  bool stopping_ = false;
};

}  // namespace p3p::runtime
