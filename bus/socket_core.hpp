#pragma once
// What every wire socket shares: options set on purpose, bind/connect with errors as values, and
// receiving one whole multipart message of an expected shape. The typed sockets in sockets.hpp are thin
// shells over this; it is not meant to be used directly.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <zmq.hpp>

#include "bus/bytes.hpp"
#include "bus/codec.hpp"
#include "common/expected.hpp"

namespace p3p::bus {

// High-water marks are per peer pipe, in messages (ZeroMQ's own default is 1000 both ways). They are
// spelt out because they decide what overload does: ROUTER/DEALER report would_block instead of dropping
// (the spike exchange must never drop), PUB drops and counts (telemetry may lose under overload).
struct SocketOptions {
  int send_hwm = 1000;
  int receive_hwm = 1000;
  // How long close waits to flush unsent messages. Small, so a stopping process never hangs on a dead
  // peer, but long enough for a last reply on a healthy local link.
  std::chrono::milliseconds linger{100};
  // How soon a connecting socket retries a refused connection (ZeroMQ's default is 100 ms; a cluster whose
  // nodes start together forms faster with less).
  std::chrono::milliseconds reconnect_interval{100};
  // ZMQ_MAXMSGSIZE: a larger frame is never held in memory - libzmq drops the connection as soon as
  // the frame's header announces the size. The same bound as the inbox's (codec.hpp), so no frame a
  // receiver would accept is ever cut; spike batches, the largest messages, are refused above it too.
  std::int64_t max_message_bytes = static_cast<std::int64_t>(kDefaultMaxFrameBytes);
  // Router only: count the connections it loses (socket_monitor.hpp), as Router::disconnects().
  bool count_disconnects = false;
};

struct SocketError {
  int code = 0;         // zmq/errno code
  std::string message;  // names the endpoint
};

enum class SendMode { dont_wait, wait };
enum class SendResult { sent, would_block, unroutable };

// The bytes of a received ZeroMQ message.
inline ByteView bytes_of(const zmq::message_t& m) { return {static_cast<const std::uint8_t*>(m.data()), m.size()}; }

namespace detail {

class SocketCore {
 public:
  SocketCore(zmq::context_t& context, zmq::socket_type type, const SocketOptions& options);

  Expected<std::string, SocketError> bind(const std::string& endpoint);  // returns the actual endpoint
  Expected<void, SocketError> connect(const std::string& endpoint);

  // Receives the next message made of exactly parts.size() frames into `parts`, without blocking.
  // Messages of another shape are drained, counted and skipped. False when nothing (more) is waiting.
  bool receive(std::span<zmq::message_t> parts);
  // Same, waiting up to `timeout` for a message to arrive.
  bool receive(std::span<zmq::message_t> parts, std::chrono::milliseconds timeout);
  // Sends `frames` as one multipart message. would_block when a HWM is reached (dont_wait), unroutable
  // for EHOSTUNREACH (ROUTER_MANDATORY with an unknown identity).
  SendResult send(std::span<const ByteView> frames, SendMode mode);

  std::uint64_t misshapen_dropped() const { return misshapen_dropped_; }
  void* native_handle() { return socket_.handle(); }
  zmq::socket_t& socket() { return socket_; }

 private:
  zmq::socket_t socket_;
  std::uint64_t misshapen_dropped_ = 0;
};

}  // namespace detail
}  // namespace p3p::bus
