#include "bus/sockets.hpp"

#include <array>

namespace p3p::bus {
namespace {

template <class Message, class Receive>
std::optional<Message> receive_two(Receive&& receive) {
  std::array<zmq::message_t, 2> parts;
  if (!receive(std::span<zmq::message_t>(parts))) return std::nullopt;
  return Message{std::move(parts[0]), std::move(parts[1])};
}

std::optional<zmq::message_t> receive_one(detail::SocketCore& core, std::optional<std::chrono::milliseconds> timeout) {
  std::array<zmq::message_t, 1> parts;
  const bool got = timeout ? core.receive(parts, *timeout) : core.receive(parts);
  if (!got) return std::nullopt;
  return std::move(parts[0]);
}

}  // namespace

// --- Router ---------------------------------------------------------------------------------------------

Router::Router(zmq::context_t& context, const SocketOptions& options)
    : core_(context, zmq::socket_type::router, options) {
  core_.socket().set(zmq::sockopt::router_mandatory, true);
  if (options.count_disconnects) disconnects_ = std::make_unique<DisconnectCounter>(context, core_.socket());
}

Expected<std::string, SocketError> Router::bind(const std::string& endpoint) { return core_.bind(endpoint); }

std::optional<RoutedMessage> Router::receive() {
  return receive_two<RoutedMessage>([&](std::span<zmq::message_t> p) { return core_.receive(p); });
}

std::optional<RoutedMessage> Router::receive(std::chrono::milliseconds timeout) {
  return receive_two<RoutedMessage>([&](std::span<zmq::message_t> p) { return core_.receive(p, timeout); });
}

SendResult Router::send(ByteView identity, ByteView frame, SendMode mode) {
  const std::array<ByteView, 2> frames{identity, frame};
  return core_.send(frames, mode);
}

// --- Dealer ---------------------------------------------------------------------------------------------

Dealer::Dealer(zmq::context_t& context, const SocketOptions& options, std::string_view routing_id)
    : core_(context, zmq::socket_type::dealer, options) {
  if (!routing_id.empty()) core_.socket().set(zmq::sockopt::routing_id, zmq::buffer(routing_id));
}

Expected<void, SocketError> Dealer::connect(const std::string& endpoint) { return core_.connect(endpoint); }

std::optional<zmq::message_t> Dealer::receive() { return receive_one(core_, std::nullopt); }

std::optional<zmq::message_t> Dealer::receive(std::chrono::milliseconds timeout) { return receive_one(core_, timeout); }

SendResult Dealer::send(ByteView frame, SendMode mode) {
  const std::array<ByteView, 1> frames{frame};
  return core_.send(frames, mode);
}

// --- Pub ------------------------------------------------------------------------------------------------

Pub::Pub(zmq::context_t& context, const SocketOptions& options) : core_(context, zmq::socket_type::xpub, options) {
  core_.socket().set(zmq::sockopt::xpub_nodrop, true);
  core_.socket().set(zmq::sockopt::xpub_verbose, true);
}

Expected<std::string, SocketError> Pub::bind(const std::string& endpoint) { return core_.bind(endpoint); }

bool Pub::publish(std::string_view topic, ByteView frame) {
  const std::array<ByteView, 2> frames{as_bytes(topic), frame};
  if (core_.send(frames, SendMode::dont_wait) == SendResult::sent) return true;
  ++dropped_;
  return false;
}

std::optional<std::string> Pub::next_subscription() {
  // An XPUB reads one frame per (un)subscription: 0x01 (subscribe) or 0x00 (unsubscribe), then the topic.
  while (auto m = receive_one(core_, std::nullopt)) {
    const ByteView bytes = bytes_of(*m);
    if (!bytes.empty() && bytes[0] == 1) return std::string(as_chars(bytes.subspan(1)));
  }
  return std::nullopt;
}

// --- Sub ------------------------------------------------------------------------------------------------

Sub::Sub(zmq::context_t& context, const SocketOptions& options) : core_(context, zmq::socket_type::sub, options) {}

Expected<void, SocketError> Sub::connect(const std::string& endpoint) { return core_.connect(endpoint); }

void Sub::subscribe(std::string_view topic_prefix) { core_.socket().set(zmq::sockopt::subscribe, topic_prefix); }

void Sub::unsubscribe(std::string_view topic_prefix) { core_.socket().set(zmq::sockopt::unsubscribe, topic_prefix); }

std::optional<PublishedMessage> Sub::receive() {
  return receive_two<PublishedMessage>([&](std::span<zmq::message_t> p) { return core_.receive(p); });
}

std::optional<PublishedMessage> Sub::receive(std::chrono::milliseconds timeout) {
  return receive_two<PublishedMessage>([&](std::span<zmq::message_t> p) { return core_.receive(p, timeout); });
}

}  // namespace p3p::bus
