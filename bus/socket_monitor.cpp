#include "bus/socket_monitor.hpp"

#include <cstring>
#include <string>

namespace p3p::bus {

DisconnectCounter::DisconnectCounter(zmq::context_t& context, zmq::socket_t& watched)
    : watched_(watched), events_(context, zmq::socket_type::pair) {
  // Named after this object: unique while it lives, so several sockets (and nodes) share a context.
  const std::string endpoint = "inproc://p3p-monitor-" + std::to_string(reinterpret_cast<std::uintptr_t>(this));
  if (zmq_socket_monitor(watched_.handle(), endpoint.c_str(), ZMQ_EVENT_DISCONNECTED) != 0) throw zmq::error_t();
  // libzmq's side sends with a blocking call from its I/O thread: a bounded queue that nobody read in
  // time would stall that thread. 0 = unbounded (an event is a few bytes; disconnects() empties it).
  events_.set(zmq::sockopt::rcvhwm, 0);
  events_.set(zmq::sockopt::linger, 0);
  events_.connect(endpoint);
}

DisconnectCounter::~DisconnectCounter() { zmq_socket_monitor(watched_.handle(), nullptr, 0); }

std::uint64_t DisconnectCounter::disconnects() {
  for (;;) {
    zmq::message_t event, address;
    if (!events_.recv(event, zmq::recv_flags::dontwait)) return disconnects_;
    if (event.more()) (void)events_.recv(address, zmq::recv_flags::none);  // the second frame: the endpoint
    std::uint16_t id = 0;
    if (event.size() >= sizeof id) std::memcpy(&id, event.data(), sizeof id);
    if (id == ZMQ_EVENT_DISCONNECTED) ++disconnects_;
  }
}

}  // namespace p3p::bus
