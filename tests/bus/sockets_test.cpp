// Real sockets over tcp://127.0.0.1 on OS-chosen ports: DEALER<->ROUTER request/reply of signed envelopes,
// PUB->SUB with prefix subscriptions, unroutable sends, polling. Every wait is bounded.
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "bus/clock.hpp"
#include "bus/outbox.hpp"
#include "bus/poll.hpp"
#include "bus/sockets.hpp"
#include "tests/bus/bus_test_support.hpp"
#include "tests/support/poll.hpp"

using namespace p3p::bus;
using namespace p3p::bus::test;
using namespace std::chrono_literals;

namespace {

std::string bind_local(Router& r) {
  auto ep = r.bind("tcp://127.0.0.1:*");
  REQUIRE(ep);
  return *ep;
}

}  // namespace

TEST_CASE("sockets: binding to port * reports the real endpoint and a bad endpoint is an error value") {
  zmq::context_t ctx;
  Router router(ctx);
  const std::string ep = bind_local(router);
  CHECK_THAT(ep, Catch::StartsWith("tcp://127.0.0.1:"));
  CHECK(ep != "tcp://127.0.0.1:*");
  CHECK(std::stoi(ep.substr(ep.rfind(':') + 1)) > 0);

  Router second(ctx);
  auto clash = second.bind(ep);  // same port: in use
  REQUIRE_FALSE(clash);
  CHECK(clash.error().code == EADDRINUSE);
  CHECK_THAT(clash.error().message, Catch::Contains(ep));
  Dealer d(ctx);
  CHECK_FALSE(d.connect("nonsense://x"));
}

TEST_CASE("sockets: DEALER -> ROUTER -> DEALER request/reply of signed envelopes") {
  const Bytes key = test_key();
  zmq::context_t ctx;
  Router router(ctx);
  const std::string ep = bind_local(router);
  Dealer dealer(ctx, SocketOptions{}, "node-a");
  REQUIRE(dealer.connect(ep));

  Outbox a_out(key, "test-cluster", "node-a");
  Outbox b_out(key, "test-cluster", "node-b");
  Inbox b_in(key, inbox_config());
  Inbox a_in(key, inbox_config());
  Bytes frame;
  const std::uint64_t now = unix_now_ns();

  REQUIRE(a_out.seal({"node-b", "control", "command"}, as_bytes("ping"), now, frame));
  REQUIRE(dealer.send(frame) == SendResult::sent);

  auto request = router.receive(5s);
  REQUIRE(request);
  CHECK(as_chars(request->identity_bytes()) == "node-a");
  auto env = b_in.accept(request->frame_bytes(), now);
  REQUIRE(env);
  CHECK(env->kind == "command");
  CHECK(as_chars(env->body) == "ping");

  REQUIRE(b_out.seal({"node-a", "control", "reply"}, as_bytes("pong"), frame));  // stamped with the clock
  REQUIRE(router.send(request->identity_bytes(), frame) == SendResult::sent);

  auto reply = dealer.receive(5s);
  REQUIRE(reply);
  auto renv = a_in.accept(bytes_of(*reply));  // judged against the clock
  REQUIRE(renv);
  CHECK(renv->sender == "node-b");
  CHECK(as_chars(renv->body) == "pong");
  CHECK_FALSE(dealer.receive(0ms));  // exactly one reply
}

TEST_CASE("sockets: ROUTER reports a send to an unknown identity instead of dropping it") {
  zmq::context_t ctx;
  Router router(ctx);
  bind_local(router);
  CHECK(router.send(as_bytes("nobody"), as_bytes("x")) == SendResult::unroutable);
}

TEST_CASE("sockets: receive with a timeout returns empty in bounded time") {
  zmq::context_t ctx;
  Router router(ctx);
  bind_local(router);
  const auto start = std::chrono::steady_clock::now();
  CHECK_FALSE(router.receive(50ms));
  const auto took = std::chrono::steady_clock::now() - start;
  CHECK(took >= 45ms);
  CHECK(took < 2s);
}

TEST_CASE("sockets: PUB -> SUB delivers by topic prefix only") {
  const Bytes key = test_key();
  zmq::context_t ctx;
  Pub pub(ctx);
  auto ep = pub.bind("tcp://127.0.0.1:*");
  REQUIRE(ep);
  Sub sub(ctx);
  sub.subscribe("telemetry.spikes");
  REQUIRE(sub.connect(*ep));

  Outbox out(key, "test-cluster", "node-a");
  Inbox in(key, inbox_config());
  Bytes spikes;
  Bytes metrics;
  const std::uint64_t now = unix_now_ns();
  REQUIRE(out.seal({"", "telemetry", "metrics"}, as_bytes("m"), now, metrics));
  REQUIRE(out.seal({"", "telemetry", "spikes"}, as_bytes("s"), now, spikes));

  // The subscription reaches the publisher asynchronously ("slow joiner"): publish until it arrives.
  std::optional<PublishedMessage> got;
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (!got && std::chrono::steady_clock::now() < deadline) {
    pub.publish("telemetry.metrics", metrics);
    pub.publish("telemetry.spikes.node-a", spikes);
    got = sub.receive(20ms);
  }
  REQUIRE(got);
  CHECK(got->topic_view() == "telemetry.spikes.node-a");
  auto env = in.accept(got->frame_bytes(), now);
  REQUIRE(env);
  CHECK(env->kind == "spikes");
  // Everything else that arrives is also a spikes message; metrics never pass the filter.
  while (auto more = sub.receive(50ms)) CHECK(more->topic_view() == "telemetry.spikes.node-a");

  sub.subscribe("");  // everything
  bool saw_metrics = false;
  const auto deadline2 = std::chrono::steady_clock::now() + 5s;
  while (!saw_metrics && std::chrono::steady_clock::now() < deadline2) {
    pub.publish("telemetry.metrics", metrics);
    while (auto m = sub.receive(20ms)) saw_metrics = saw_metrics || m->topic_view() == "telemetry.metrics";
  }
  CHECK(saw_metrics);
}

TEST_CASE("sockets: PUB hands up every subscription, the same topic again for each new subscriber") {
  zmq::context_t ctx;
  Pub pub(ctx);
  auto ep = pub.bind("tcp://127.0.0.1:*");
  REQUIRE(ep);
  const auto next_within = [&pub](std::chrono::milliseconds timeout) {
    std::optional<std::string> topic;
    p3p::test::poll_until([&] { return (topic = pub.next_subscription()).has_value(); }, timeout, 1ms);
    return topic;
  };
  CHECK_FALSE(pub.next_subscription());
  Sub first(ctx);
  first.subscribe("spikes.");
  REQUIRE(first.connect(*ep));
  CHECK(next_within(5s) == "spikes.");
  // A second subscriber to a topic the PUB already serves: a plain PUB would not say (XPUB_VERBOSE does).
  Sub second(ctx);
  second.subscribe("spikes.");
  REQUIRE(second.connect(*ep));
  CHECK(next_within(5s) == "spikes.");
  second.unsubscribe("spikes.");  // skipped: only subscriptions are handed up
  second.subscribe("events.n1");
  CHECK(next_within(5s) == "events.n1");
}

TEST_CASE("sockets: PUB counts what it cannot queue instead of losing it silently") {
  zmq::context_t ctx;
  SocketOptions tiny;  // small queues (1 would be degenerate: libzmq's NODROP check is "hwm - 1" deep)
  tiny.send_hwm = 4;
  tiny.receive_hwm = 4;
  Pub pub(ctx, tiny);
  auto ep = pub.bind("tcp://127.0.0.1:*");
  REQUIRE(ep);
  Sub sub(ctx, tiny);
  sub.subscribe("");
  REQUIRE(sub.connect(*ep));
  const Bytes payload(64 * 1024, 0x55);
  // Wait for the subscription, then flood a subscriber that does not read: queues fill, drops are counted.
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  bool joined = false;
  while (!joined && std::chrono::steady_clock::now() < deadline) {
    pub.publish("t", payload);
    joined = sub.receive(20ms).has_value();
  }
  REQUIRE(joined);
  const std::uint64_t before = pub.dropped();
  for (int i = 0; i < 100'000 && pub.dropped() == before; ++i) pub.publish("t", payload);
  CHECK(pub.dropped() > before);
  CHECK(sub.receive(5s));  // the subscriber is still served: only what did not fit was dropped
}

TEST_CASE("sockets: PollSet waits on several sockets and says which is ready") {
  zmq::context_t ctx;
  Router r1(ctx);
  Router r2(ctx);
  const std::string ep2 = bind_local(r2);
  bind_local(r1);
  Dealer d(ctx);
  REQUIRE(d.connect(ep2));
  PollSet poll;
  const auto i1 = poll.add(r1);
  const auto i2 = poll.add(r2);
  CHECK(poll.wait(0ms) == 0);
  REQUIRE(d.send(as_bytes("hello"), SendMode::wait) == SendResult::sent);
  REQUIRE(poll.wait(5s) == 1);
  CHECK_FALSE(poll.readable(i1));
  CHECK(poll.readable(i2));
  auto m = r2.receive();
  REQUIRE(m);
  CHECK(as_chars(m->frame_bytes()) == "hello");
}

TEST_CASE("sockets: a ROUTER drops and counts messages of the wrong shape") {
  zmq::context_t ctx;
  Router router(ctx);
  const std::string ep = bind_local(router);
  zmq::socket_t raw(ctx, zmq::socket_type::dealer);
  raw.set(zmq::sockopt::linger, 0);
  raw.connect(ep);
  raw.send(zmq::str_buffer("part1"), zmq::send_flags::sndmore);
  raw.send(zmq::str_buffer("part2"), zmq::send_flags::none);  // 3 frames at the ROUTER: identity + 2
  raw.send(zmq::str_buffer("good"), zmq::send_flags::none);
  auto m = router.receive(5s);
  REQUIRE(m);
  CHECK(as_chars(m->frame_bytes()) == "good");
  CHECK(router.misshapen_dropped() == 1);
}
