// The test vectors published in bus/README.md, hard-coded. They were produced by this encoder AND by an
// independent stdlib-only Python encoder (tests/bus/wire_vectors.py), and the MACs were checked with
//   xxd -r -p <<< U | openssl dgst -sha256 -mac HMAC -macopt hexkey:KEY
// If this test fails, either the code or the README is wrong - the wire is a contract.
#include <catch2/catch.hpp>

#include "bus/inbox.hpp"
#include "bus/outbox.hpp"
#include "tests/bus/bus_test_support.hpp"

using namespace p3p::bus;
using namespace p3p::bus::test;

namespace {

struct Vector {
  const char* key;
  Envelope envelope;
  const char* u;
  const char* mac;
  const char* frame;
};

std::vector<Vector> vectors() {
  Envelope v1;
  v1.cluster_id = "p3p-demo";
  v1.sender = "node-a";
  v1.target_node = "node-b";
  v1.target_module = "mesocortex";
  v1.kind = "spike_batch";
  v1.seq = 1;
  v1.boot_id = 0x0123456789abcdefULL;
  v1.timestamp_ns = 1700000000000000000ULL;
  v1.body = from_hex("920393000205");

  Envelope v2;
  v2.cluster_id = "p3p-demo";
  v2.sender = "node-c";
  v2.target_node = "";
  v2.target_module = "telemetry";
  v2.kind = "metrics";
  v2.seq = 300;
  v2.boot_id = 0xfedcba9876543210ULL;
  v2.timestamp_ns = 1700000000123456789ULL;
  v2.body = from_hex("82a67370696b65732aa47469636bcd03e8");

  return {
      {"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", v1,
       "9a01a87033702d64656d6fa66e6f64652d61a66e6f64652d62aa6d65736f636f72746578ab7370696b655f62617463680"
       "1cf0123456789abcdefcf17979cfe362a0000c406920393000205",
       "b513956a23fa5e9ea3195821041eed72cf79fcbaeaa2a339140593ee045e045b",
       "92c44b9a01a87033702d64656d6fa66e6f64652d61a66e6f64652d62aa6d65736f636f72746578ab7370696b655f626174"
       "636801cf0123456789abcdefcf17979cfe362a0000c406920393000205c420b513956a23fa5e9ea3195821041eed72cf79fc"
       "baeaa2a339140593ee045e045b"},
      {"fffefdfcfbfaf9f8f7f6f5f4f3f2f1f0efeeedecebeae9e8e7e6e5e4e3e2e1e0", v2,
       "9a01a87033702d64656d6fa66e6f64652d63a0a974656c656d65747279a76d657472696373cd012ccffedcba9876543210"
       "cf17979cfe3d85cd15c41182a67370696b65732aa47469636bcd03e8",
       "ac155e618d609dee255732be643f9ff1092472182c20098856eef6ad3311041b",
       "92c44d9a01a87033702d64656d6fa66e6f64652d63a0a974656c656d65747279a76d657472696373cd012ccffedcba98765"
       "43210cf17979cfe3d85cd15c41182a67370696b65732aa47469636bcd03e8c420ac155e618d609dee255732be643f9ff1"
       "092472182c20098856eef6ad3311041b"},
  };
}

}  // namespace

TEST_CASE("vectors: the encoder produces exactly the README's bytes") {
  for (const auto& v : vectors()) {
    HmacSha256 hmac(from_hex(v.key));
    Bytes frame;
    auto mac = encode_frame(v.envelope.view(), hmac, frame);
    REQUIRE(mac);
    CHECK(to_hex(*mac) == v.mac);
    CHECK(to_hex(frame) == v.frame);
    Bytes u;
    append_unsigned(v.envelope.view(), u);
    CHECK(to_hex(u) == v.u);
  }
}

TEST_CASE("vectors: the README's frames decode and verify to the README's fields") {
  for (const auto& v : vectors()) {
    const Bytes frame = from_hex(v.frame);
    InboxConfig config;
    config.cluster_id = "p3p-demo";
    config.guard.known_senders = {"node-a", "node-c"};
    Inbox inbox(from_hex(v.key), config);
    auto env = inbox.accept(frame, v.envelope.timestamp_ns);  // "now" = the vector's own time
    REQUIRE(env);
    Envelope expected = v.envelope;
    expected.mac = Envelope::from(*env).mac;
    CHECK(Envelope::from(*env) == expected);
    CHECK(to_hex(env->mac) == v.mac);
    // And the same frame under the other vector's key is refused.
    Bytes other_key = from_hex(v.key);
    for (auto& b : other_key) b ^= 0xff;
    Inbox wrong(other_key, config);
    CHECK(wrong.accept(frame, v.envelope.timestamp_ns).error().reason == Reason::bad_mac);
  }
}
