#pragma once
// Typed ZeroMQ sockets for the wire: types, not policy. Each class allows only what its role needs, so
// the conventions in bus/README.md ("Sockets") cannot be broken by accident:
//   Router - a node's command/spike endpoint: binds; receives (identity, frame); sends to an identity.
//            ROUTER_MANDATORY is on, so a send to an unknown or gone peer says `unroutable`.
//   Dealer - a peer's or p3pctl's link to a Router: connects; one frame per message.
//   Pub    - telemetry: binds; (topic, frame). A full subscriber queue is counted, not silently lost.
//            An XPUB underneath: every subscription a subscriber sends is handed up (next_subscription),
//            so the publisher can answer it with a marker and the subscriber knows when it is in place.
//   Sub    - connects; subscribes by topic prefix; receives (topic, frame).
// One frame = one signed envelope (bus/codec.hpp). Topics and identities are routing only and are not
// signed: act on the verified envelope's fields, never on them. Like every ZeroMQ socket, each object
// belongs to one thread. Receives never block unless given a timeout; errors other than EAGAIN /
// EHOSTUNREACH (e.g. the context being terminated) surface as zmq::error_t.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <zmq.hpp>

#include "bus/socket_core.hpp"
#include "bus/socket_monitor.hpp"

namespace p3p::bus {

struct RoutedMessage {
  zmq::message_t identity;  // the sending DEALER's routing id; pass it back to Router::send to reply
  zmq::message_t frame;
  ByteView identity_bytes() const { return bytes_of(identity); }
  ByteView frame_bytes() const { return bytes_of(frame); }
};

struct PublishedMessage {
  zmq::message_t topic;
  zmq::message_t frame;
  std::string_view topic_view() const { return as_chars(bytes_of(topic)); }
  ByteView frame_bytes() const { return bytes_of(frame); }
};

class Router {
 public:
  explicit Router(zmq::context_t& context, const SocketOptions& options = {});
  Expected<std::string, SocketError> bind(const std::string& endpoint);
  std::optional<RoutedMessage> receive();
  std::optional<RoutedMessage> receive(std::chrono::milliseconds timeout);
  SendResult send(ByteView identity, ByteView frame, SendMode mode = SendMode::dont_wait);
  std::uint64_t misshapen_dropped() const { return core_.misshapen_dropped(); }
  // Connections lost so far (0 unless options.count_disconnects); reads pending events: the socket's thread.
  std::uint64_t disconnects() const { return disconnects_ ? disconnects_->disconnects() : 0; }
  void* disconnect_events_handle() const { return disconnects_ ? disconnects_->events_handle() : nullptr; }
  void* native_handle() { return core_.native_handle(); }

 private:
  detail::SocketCore core_;
  std::unique_ptr<DisconnectCounter> disconnects_;  // after core_: stops monitoring before the socket closes
};

class Dealer {
 public:
  // `routing_id` empty = ZeroMQ picks one (what nodes do: a ROUTER ignores a second connection with an id
  // it already has, so a chosen id can be squatted by anybody who connects first).
  explicit Dealer(zmq::context_t& context, const SocketOptions& options = {}, std::string_view routing_id = {});
  Expected<void, SocketError> connect(const std::string& endpoint);
  std::optional<zmq::message_t> receive();
  std::optional<zmq::message_t> receive(std::chrono::milliseconds timeout);
  SendResult send(ByteView frame, SendMode mode = SendMode::dont_wait);
  std::uint64_t misshapen_dropped() const { return core_.misshapen_dropped(); }
  void* native_handle() { return core_.native_handle(); }

 private:
  detail::SocketCore core_;
};

class Pub {
 public:
  explicit Pub(zmq::context_t& context, const SocketOptions& options = {});
  Expected<std::string, SocketError> bind(const std::string& endpoint);
  // Never blocks. False (and counted in dropped()) when a subscriber's queue is at its HWM: ZMQ_XPUB_NODROP
  // turns the PUB's silent drop into EAGAIN so that it can be counted; the message then goes to nobody.
  bool publish(std::string_view topic, ByteView frame);
  // The topic of the next subscription a subscriber sent, without blocking; nothing when none is waiting.
  // ZMQ_XPUB_VERBOSE is on, so a topic some subscriber already has is still reported for a new one (or a
  // reconnecting one). Unsubscriptions are skipped.
  std::optional<std::string> next_subscription();
  std::uint64_t dropped() const { return dropped_; }
  void* native_handle() { return core_.native_handle(); }

 private:
  detail::SocketCore core_;
  std::uint64_t dropped_ = 0;
};

class Sub {
 public:
  explicit Sub(zmq::context_t& context, const SocketOptions& options = {});
  Expected<void, SocketError> connect(const std::string& endpoint);
  void subscribe(std::string_view topic_prefix);  // "" = everything
  void unsubscribe(std::string_view topic_prefix);
  std::optional<PublishedMessage> receive();
  std::optional<PublishedMessage> receive(std::chrono::milliseconds timeout);
  std::uint64_t misshapen_dropped() const { return core_.misshapen_dropped(); }
  void* native_handle() { return core_.native_handle(); }

 private:
  detail::SocketCore core_;
};

}  // namespace p3p::bus
