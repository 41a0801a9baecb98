// Replay guard rules with an injected clock.
#include <catch2/catch.hpp>

#include "bus/replay_guard.hpp"
#include "tests/bus/bus_test_support.hpp"

using namespace p3p::bus;
using namespace p3p::bus::test;

namespace {

ReplayGuard make_guard(std::size_t max_boots = 4) {
  ReplayGuardConfig config;
  config.known_senders = {"node-a", "node-b"};
  config.max_boots_per_sender = max_boots;
  return ReplayGuard(config);
}

// Reason for refusing, or "ok".
std::string admit(ReplayGuard& g, std::uint64_t seq, std::uint64_t boot = 1, std::uint64_t ts = kNow,
                  std::string_view sender = "node-a") {
  auto r = g.admit(sender, boot, seq, ts, kNow);
  return r ? "ok" : std::string(to_string(r.error().reason));
}

}  // namespace

TEST_CASE("guard: increasing sequence numbers are accepted, a repeat is replayed") {
  auto g = make_guard();
  CHECK(admit(g, 1) == "ok");
  CHECK(admit(g, 2) == "ok");
  CHECK(admit(g, 2) == "replayed");
  CHECK(admit(g, 1) == "replayed");
  CHECK(admit(g, 1000) == "ok");
  CHECK(admit(g, 1000) == "replayed");
}

TEST_CASE("guard: reordering within the 64-wide window is accepted exactly once") {
  auto g = make_guard();
  CHECK(admit(g, 100) == "ok");
  CHECK(admit(g, 99) == "ok");  // arrived late, never seen
  CHECK(admit(g, 99) == "replayed");
  CHECK(admit(g, 37) == "ok");  // 63 below the highest: still inside
  CHECK(admit(g, 37) == "replayed");
  CHECK(admit(g, 36) == "replayed");  // 64 below: outside the window, cannot tell, refused
  CHECK(admit(g, 0) == "replayed");
  // The window slides with the highest: 100 + 64 pushes 100 itself to the edge.
  CHECK(admit(g, 164) == "ok");
  CHECK(admit(g, 101) == "ok");
  CHECK(admit(g, 100) == "replayed");  // 64 below 164
}

TEST_CASE("guard: a jump larger than the window forgets the old bitmap correctly") {
  auto g = make_guard();
  CHECK(admit(g, 5) == "ok");
  CHECK(admit(g, 5 + 200) == "ok");
  CHECK(admit(g, 5 + 199) == "ok");
  CHECK(admit(g, 5 + 200) == "replayed");
  CHECK(admit(g, 5) == "replayed");
}

TEST_CASE("guard: the largest sequence number is handled") {
  auto g = make_guard();
  const auto max = std::numeric_limits<std::uint64_t>::max();
  CHECK(admit(g, max - 1) == "ok");
  CHECK(admit(g, max) == "ok");
  CHECK(admit(g, max) == "replayed");
  CHECK(admit(g, max - 1) == "replayed");
  CHECK(admit(g, max - 2) == "ok");
}

TEST_CASE("guard: timestamps outside the window, past or future, are stale") {
  auto g = make_guard();
  CHECK(admit(g, 1, 1, kNow - 30 * kSecond) == "ok");  // the edges are inside
  CHECK(admit(g, 2, 1, kNow + 30 * kSecond) == "ok");
  CHECK(admit(g, 3, 1, kNow - 30 * kSecond - 1) == "stale");
  CHECK(admit(g, 4, 1, kNow + 30 * kSecond + 1) == "stale");
  CHECK(admit(g, 5, 1, 0) == "stale");
  CHECK(admit(g, 6, 1, std::numeric_limits<std::uint64_t>::max()) == "stale");
  CHECK(admit(g, 3, 1, kNow) == "ok");  // a stale message records nothing
}

TEST_CASE("guard: the clock window is configurable") {
  ReplayGuardConfig config;
  config.known_senders = {"node-a"};
  config.clock_window_ns = kSecond;
  ReplayGuard g(config);
  CHECK(admit(g, 1, 1, kNow - 2 * kSecond) == "stale");
  CHECK(admit(g, 1, 1, kNow - kSecond) == "ok");
}

TEST_CASE("guard: unknown senders are refused before any state exists") {
  auto g = make_guard();
  CHECK(admit(g, 1, 1, kNow, "node-z") == "unknown_sender");
  CHECK(admit(g, 1, 1, 0, "node-z") == "unknown_sender");  // checked before the clock
  CHECK_FALSE(g.knows("node-z"));
  CHECK(g.boots_remembered("node-z") == 0);
  CHECK(admit(g, 1, 1, kNow, "") == "unknown_sender");
}

TEST_CASE("guard: senders and boots are tracked independently") {
  auto g = make_guard();
  CHECK(admit(g, 10, 1, kNow, "node-a") == "ok");
  CHECK(admit(g, 10, 1, kNow, "node-b") == "ok");  // same numbers, other sender
  CHECK(admit(g, 10, 2, kNow + 1, "node-a") == "ok");  // restarted peer: new boot, seq may start again
  CHECK(admit(g, 1, 3, kNow + 2, "node-a") == "ok");
  CHECK(admit(g, 10, 1, kNow, "node-a") == "replayed");  // the old boot is still remembered
  CHECK(g.boots_remembered("node-a") == 3);
}

TEST_CASE("guard: boots per sender are bounded, and forgotten boots cannot be replayed") {
  auto g = make_guard(2);
  CHECK(admit(g, 1, 100, kNow - 10) == "ok");  // boot 100, newest timestamp kNow-10
  CHECK(admit(g, 1, 200, kNow - 5) == "ok");
  CHECK(admit(g, 1, 300, kNow) == "ok");  // third boot: boot 100 (oldest) is forgotten
  CHECK(g.boots_remembered("node-a") == 2);
  // Boot 100's messages are inside the clock window but at or below the floor: refused.
  CHECK(admit(g, 1, 100, kNow - 10) == "replayed");
  CHECK(admit(g, 2, 100, kNow - 10) == "replayed");
  // A boot older than every remembered boot does not evict a newer one.
  CHECK(admit(g, 1, 400, kNow - 7) == "replayed");
  CHECK(g.boots_remembered("node-a") == 2);
  // Remembered boots keep working.
  CHECK(admit(g, 2, 200, kNow) == "ok");
  CHECK(admit(g, 2, 300, kNow) == "ok");
  CHECK(admit(g, 2, 300, kNow) == "replayed");
}
