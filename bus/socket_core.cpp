#include "bus/socket_core.hpp"

namespace p3p::bus::detail {
namespace {

SocketError socket_error(const zmq::error_t& e, const char* what, const std::string& endpoint) {
  return SocketError{e.num(), std::string(what) + " " + endpoint + ": " + e.what()};
}

}  // namespace

SocketCore::SocketCore(zmq::context_t& context, zmq::socket_type type, const SocketOptions& options)
    : socket_(context, type) {
  socket_.set(zmq::sockopt::sndhwm, options.send_hwm);
  socket_.set(zmq::sockopt::rcvhwm, options.receive_hwm);
  socket_.set(zmq::sockopt::linger, static_cast<int>(options.linger.count()));
  socket_.set(zmq::sockopt::reconnect_ivl, static_cast<int>(options.reconnect_interval.count()));
  socket_.set(zmq::sockopt::maxmsgsize, options.max_message_bytes);
}

Expected<std::string, SocketError> SocketCore::bind(const std::string& endpoint) {
  try {
    socket_.bind(endpoint);
    // For "tcp://127.0.0.1:*" this is the port the OS picked: how tests get a free port without races.
    return socket_.get(zmq::sockopt::last_endpoint);
  } catch (const zmq::error_t& e) {
    return unexpected(socket_error(e, "cannot bind", endpoint));
  }
}

Expected<void, SocketError> SocketCore::connect(const std::string& endpoint) {
  try {
    socket_.connect(endpoint);
    return {};
  } catch (const zmq::error_t& e) {
    return unexpected(socket_error(e, "cannot connect to", endpoint));
  }
}

bool SocketCore::receive(std::span<zmq::message_t> parts) {
  for (;;) {
    if (!socket_.recv(parts[0], zmq::recv_flags::dontwait)) return false;
    std::size_t count = 1;
    bool more = parts[0].more();
    zmq::message_t surplus;
    while (more) {  // the rest of a multipart message has already arrived: ZeroMQ delivers it whole
      zmq::message_t& into = count < parts.size() ? parts[count] : surplus;
      (void)socket_.recv(into, zmq::recv_flags::none);
      more = into.more();
      ++count;
    }
    if (count == parts.size()) return true;
    ++misshapen_dropped_;
  }
}

bool SocketCore::receive(std::span<zmq::message_t> parts, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (receive(parts)) return true;
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    zmq::pollitem_t item{socket_.handle(), 0, ZMQ_POLLIN, 0};
    try {
      zmq::poll(&item, 1, left);
    } catch (const zmq::error_t& e) {
      if (e.num() != EINTR) throw;
    }
  }
}

SendResult SocketCore::send(std::span<const ByteView> frames, SendMode mode) {
  const auto base = mode == SendMode::dont_wait ? zmq::send_flags::dontwait : zmq::send_flags::none;
  try {
    for (std::size_t i = 0; i < frames.size(); ++i) {
      const auto flags = i + 1 < frames.size() ? base | zmq::send_flags::sndmore : base;
      // Only the first frame can fail with EAGAIN: once it is queued, ZeroMQ takes the rest atomically.
      if (!socket_.send(zmq::const_buffer(frames[i].data(), frames[i].size()), flags)) return SendResult::would_block;
    }
    return SendResult::sent;
  } catch (const zmq::error_t& e) {
    if (e.num() == EHOSTUNREACH) return SendResult::unroutable;
    throw;
  }
}

}  // namespace p3p::bus::detail
