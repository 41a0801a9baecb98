// Inbox (decode + verify + cluster + guard, with counters) and Outbox (seq, boot id, signing).
#include <catch2/catch.hpp>
#include <set>

#include "bus/outbox.hpp"
#include "tests/bus/bus_test_support.hpp"

using namespace p3p::bus;
using namespace p3p::bus::test;

namespace {

const Destination kToB{"node-b", "mesocortex", "spike_batch"};

std::string accept_reason(Inbox& inbox, ByteView frame, std::uint64_t now = kNow) {
  auto r = inbox.accept(frame, now);
  return r ? "ok" : std::string(to_string(r.error().reason));
}

}  // namespace

TEST_CASE("outbox: fills sender, cluster, boot, increasing seq and timestamp and inbox accepts") {
  const Bytes key = test_key();
  Outbox out(key, "test-cluster", "node-a", 0xb007, 1);
  Inbox in(key, inbox_config());
  Bytes frame;
  for (std::uint64_t i = 1; i <= 3; ++i) {
    auto seq = out.seal(kToB, as_bytes("body"), kNow + i, frame);
    REQUIRE(seq);
    CHECK(*seq == i);
    auto env = in.accept(frame, kNow);
    REQUIRE(env);
    CHECK(env->sender == "node-a");
    CHECK(env->cluster_id == "test-cluster");
    CHECK(env->target_node == "node-b");
    CHECK(env->target_module == "mesocortex");
    CHECK(env->kind == "spike_batch");
    CHECK(env->boot_id == 0xb007);
    CHECK(env->seq == i);
    CHECK(env->timestamp_ns == kNow + i);
    CHECK(as_chars(env->body) == "body");
  }
  CHECK(out.next_seq() == 4);
  CHECK(in.accepted() == 3);
}

TEST_CASE("outbox: boot ids are random per outbox") {
  const Bytes key = test_key();
  std::set<std::uint64_t> boots;
  for (int i = 0; i < 16; ++i) boots.insert(Outbox(key, "c", "node-a").boot_id());
  CHECK(boots.size() == 16);
}

TEST_CASE("outbox: after the last seq of a boot it moves to a fresh boot instead of wrapping") {
  const Bytes key = test_key();
  const auto max = std::numeric_limits<std::uint64_t>::max();
  Outbox out(key, "test-cluster", "node-a", 77, max);
  Inbox in(key, inbox_config());
  Bytes frame;
  REQUIRE(out.seal(kToB, {}, kNow, frame).value() == max);
  CHECK(accept_reason(in, frame) == "ok");
  CHECK(out.boot_id() != 77);
  REQUIRE(out.seal(kToB, {}, kNow + 1, frame).value() == 1);
  CHECK(accept_reason(in, frame) == "ok");
}

TEST_CASE("inbox: refusals are counted by reason, in the documented order") {
  const Bytes key = test_key();
  InboxConfig config = inbox_config();
  config.max_frame_bytes = 4096;
  Inbox in(key, config);
  Outbox a(key, "test-cluster", "node-a", 1, 1);
  Outbox stranger(key, "test-cluster", "node-z", 1, 1);
  Outbox other_cluster(key, "other-cluster", "node-a", 1, 1);
  Outbox wrong_key(test_key(9), "test-cluster", "node-a", 1, 1);
  Bytes frame;

  REQUIRE(a.seal(kToB, {}, kNow, frame));
  CHECK(accept_reason(in, frame) == "ok");
  CHECK(accept_reason(in, frame) == "replayed");
  REQUIRE(a.seal(kToB, {}, kNow - 31 * kSecond, frame));
  CHECK(accept_reason(in, frame) == "stale");
  REQUIRE(stranger.seal(kToB, {}, kNow, frame));
  CHECK(accept_reason(in, frame) == "unknown_sender");
  REQUIRE(other_cluster.seal(kToB, {}, kNow, frame));
  CHECK(accept_reason(in, frame) == "wrong_cluster");
  REQUIRE(wrong_key.seal(kToB, {}, kNow, frame));
  CHECK(accept_reason(in, frame) == "bad_mac");
  CHECK(accept_reason(in, as_bytes("not msgpack")) == "malformed");
  const Bytes big(4097, 0);
  CHECK(accept_reason(in, big) == "too_large");
  // A replay of a frame from an unknown sender with a stale clock: the sender check comes first.
  REQUIRE(stranger.seal(kToB, {}, 0, frame));
  CHECK(accept_reason(in, frame) == "unknown_sender");

  CHECK(in.accepted() == 1);
  CHECK(in.rejected(Reason::replayed) == 1);
  CHECK(in.rejected(Reason::stale) == 1);
  CHECK(in.rejected(Reason::unknown_sender) == 2);
  CHECK(in.rejected(Reason::wrong_cluster) == 1);
  CHECK(in.rejected(Reason::bad_mac) == 1);
  CHECK(in.rejected(Reason::malformed) == 1);
  CHECK(in.rejected(Reason::too_large) == 1);
  CHECK(in.rejected(Reason::bad_version) == 0);
  std::uint64_t total = 0;
  for (auto n : in.rejections()) total += n;
  CHECK(total == 8);
}

TEST_CASE("inbox: a frame with a bad MAC leaves the replay state untouched") {
  const Bytes key = test_key();
  Inbox in(key, inbox_config());
  Outbox forger(test_key(3), "test-cluster", "node-a", 1, 1000);
  Outbox real(key, "test-cluster", "node-a", 1, 10);
  Bytes frame;
  REQUIRE(forger.seal(kToB, {}, kNow, frame));
  CHECK(accept_reason(in, frame) == "bad_mac");
  // Had the forged seq 1000 been recorded, seq 10 would now be below the window.
  REQUIRE(real.seal(kToB, {}, kNow, frame));
  CHECK(accept_reason(in, frame) == "ok");
}
