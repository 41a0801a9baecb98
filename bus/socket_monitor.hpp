#pragma once
// Counts the connections a socket has lost, from libzmq's monitor events (ZMQ_EVENT_DISCONNECTED).
// Why: a frame above ZMQ_MAXMSGSIZE (SocketOptions::max_message_bytes) is never delivered - libzmq drops
// the connection as soon as the frame's header announces its size, before holding its bytes - so the
// inbox can no longer count it as `too_large`. libzmq reports such a drop exactly like a peer closing
// its end (the same events: checked with 4.3.4), so this counts every lost connection: on a socket whose
// peers stay connected (the spike path) any count is a sign of trouble; on one that clients connect to
// per request it includes their ordinary goodbyes.
#include <cstdint>
#include <zmq.hpp>

namespace p3p::bus {

class DisconnectCounter {
 public:
  DisconnectCounter(zmq::context_t& context, zmq::socket_t& watched);
  ~DisconnectCounter();  // stops the monitor before its socket can close
  DisconnectCounter(const DisconnectCounter&) = delete;
  DisconnectCounter& operator=(const DisconnectCounter&) = delete;

  // Reads the events that have arrived (never blocks) and returns the count so far. Call it from the
  // watched socket's thread now and then: events wait in an unbounded inproc queue until then.
  std::uint64_t disconnects();
  // Readable (ZMQ_POLLIN) when events wait: for a thread that sleeps until something happens.
  void* events_handle() { return events_.handle(); }

 private:
  zmq::socket_t& watched_;
  zmq::socket_t events_;
  std::uint64_t disconnects_ = 0;
};

}  // namespace p3p::bus
