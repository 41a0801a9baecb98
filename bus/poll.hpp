#pragma once
// Waiting on several sockets at once with zmq::poll. (Debian 12's libzmq is built without the draft
// API, so zmq::poller_t is not available; zmq_poll is the stable interface.)
#include <chrono>
#include <cstddef>
#include <vector>
#include <zmq.hpp>

namespace p3p::bus {

class PollSet {
 public:
  // Adds a socket (Router, Dealer, Pub, Sub) to wait on for input; returns its index for readable().
  template <class Socket>
  std::size_t add(Socket& socket) {
    items_.push_back(zmq::pollitem_t{socket.native_handle(), 0, ZMQ_POLLIN, 0});
    return items_.size() - 1;
  }

  // Waits until at least one socket has input or `timeout` passes (0 = just look; a negative timeout
  // waits forever, which wire code should not do). Returns how many sockets are readable; an
  // interrupting signal counts as 0.
  int wait(std::chrono::milliseconds timeout);
  bool readable(std::size_t index) const { return (items_.at(index).revents & ZMQ_POLLIN) != 0; }
  std::size_t size() const { return items_.size(); }

 private:
  std::vector<zmq::pollitem_t> items_;
};

}  // namespace p3p::bus
