// What a receiver refuses, and why: tampering anywhere, wrong key, bad version, wrong types inside a
// correctly signed U, oversize, and the order in which these are judged.
#include <msgpack.hpp>

#include <catch2/catch.hpp>

#include "tests/bus/bus_test_support.hpp"

using namespace p3p::bus;
using namespace p3p::bus::test;

namespace {

Reason reason_of(ByteView frame, ByteView key, std::size_t max = kDefaultMaxFrameBytes) {
  HmacSha256 hmac(key);
  auto r = open_frame(frame, hmac, max);
  REQUIRE_FALSE(r);
  return r.error().reason;
}

// Frames a msgpack-c-built U, correctly signed.
Bytes signed_u(const msgpack::sbuffer& u, ByteView key) {
  HmacSha256 hmac(key);
  Bytes frame;
  frame_unsigned(ByteView(reinterpret_cast<const std::uint8_t*>(u.data()), u.size()), hmac, frame);
  return frame;
}

// A U with the ten documented fields, except that field `wrong` gets a value of the wrong type.
msgpack::sbuffer u_with_wrong_type(int wrong) {
  msgpack::sbuffer buf;
  msgpack::packer<msgpack::sbuffer> pk(buf);
  pk.pack_array(10);
  auto str = [&](int i, const char* s) { i == wrong ? pk.pack(42) : pk.pack(std::string(s)); };
  auto uint = [&](int i, std::uint64_t v) { i == wrong ? pk.pack(std::string("7")) : pk.pack(v); };
  uint(0, 1);
  str(1, "test-cluster");
  str(2, "node-a");
  str(3, "node-b");
  str(4, "mesocortex");
  str(5, "spike_batch");
  uint(6, 7);
  uint(7, 8);
  uint(8, kNow);
  if (wrong == 9) {
    pk.pack(std::string("body as str"));
  } else {
    pk.pack_bin(1);
    pk.pack_bin_body("\x01", 1);
  }
  return buf;
}

}  // namespace

TEST_CASE("verify: any changed byte of U or of the MAC is bad_mac") {
  const Bytes key = test_key();
  const Bytes frame = encode(sample_envelope(), key);
  auto parts = split_frame(frame);
  REQUIRE(parts);
  const auto u_begin = static_cast<std::size_t>(parts->unsigned_bytes.data() - frame.data());
  for (std::size_t i = u_begin; i < frame.size(); ++i) {
    // U's bytes and MAC's bytes; skip MAC's own 2-byte bin header (structure, not content).
    if (i == u_begin + parts->unsigned_bytes.size() || i == u_begin + parts->unsigned_bytes.size() + 1) continue;
    Bytes tampered = frame;
    tampered[i] ^= 0x01;
    INFO("byte " << i);
    CHECK(reason_of(tampered, key) == Reason::bad_mac);
  }
}

TEST_CASE("verify: each field changed to another valid value is bad_mac") {
  const Bytes key = test_key();
  const Envelope original = sample_envelope();
  const Bytes frame = encode(original, key);
  auto mac_of = [&](const Envelope& e) {
    const Bytes f = encode(e, key);
    return Bytes(f.end() - 32, f.end());
  };
  // Re-encode each variant, then put the ORIGINAL MAC on it: what an attacker without the key can do.
  auto forged = [&](Envelope e) {
    Bytes f = encode(e, key);
    std::copy(frame.end() - 32, frame.end(), f.end() - 32);
    return f;
  };
  std::vector<Envelope> variants(10, original);
  variants[0].version = 2;
  variants[1].cluster_id = "test-clustes";
  variants[2].sender = "node-b";
  variants[3].target_node = "node-c";
  variants[4].target_module = "control";
  variants[5].kind = "command";
  variants[6].seq = 8;
  variants[7].boot_id ^= 1;
  variants[8].timestamp_ns += 1;
  variants[9].body[1] = 0x09;
  for (std::size_t i = 0; i < variants.size(); ++i) {
    INFO("field " << i);
    CHECK(mac_of(variants[i]) != mac_of(original));
    CHECK(reason_of(forged(variants[i]), key) == Reason::bad_mac);
  }
}

TEST_CASE("verify: a frame signed with another key is bad_mac") {
  const Bytes frame = encode(sample_envelope(), test_key(1));
  CHECK(reason_of(frame, test_key(2)) == Reason::bad_mac);
  HmacSha256 right(test_key(1));
  CHECK(open_frame(frame, right));
}

TEST_CASE("verify: a correctly signed U with version 2 is bad_version") {
  const Bytes key = test_key();
  Envelope e = sample_envelope();
  e.version = 2;
  CHECK(reason_of(encode(e, key), key) == Reason::bad_version);
  // Another version may have another field count: judged by the version, not the count.
  msgpack::sbuffer buf;
  msgpack::packer<msgpack::sbuffer> pk(buf);
  pk.pack_array(3);
  pk.pack(2);
  pk.pack(std::string("x"));
  pk.pack(std::string("y"));
  CHECK(reason_of(signed_u(buf, key), key) == Reason::bad_version);
}

TEST_CASE("verify: wrong types inside a correctly signed U are malformed") {
  const Bytes key = test_key();
  HmacSha256 hmac(key);
  CHECK(open_frame(signed_u(u_with_wrong_type(-1), key), hmac));  // the control: no field wrong
  for (int field = 0; field < 10; ++field) {
    INFO("field " << field);
    CHECK(reason_of(signed_u(u_with_wrong_type(field), key), key) == Reason::malformed);
  }
}

TEST_CASE("verify: wrong shapes of a correctly signed U are malformed") {
  const Bytes key = test_key();
  Bytes u;
  append_unsigned(sample_envelope().view(), u);
  HmacSha256 hmac(key);
  Bytes frame;

  Bytes trailing = u;
  trailing.push_back(0xc0);  // nil after the 10 fields
  frame_unsigned(trailing, hmac, frame);
  CHECK(reason_of(frame, key) == Reason::malformed);

  Bytes eleven{0x9b};  // fixarray of 11: the ten fields and an 11th element
  eleven.insert(eleven.end(), u.begin() + 1, u.end());
  eleven.push_back(0x00);
  frame_unsigned(eleven, hmac, frame);
  CHECK(reason_of(frame, key) == Reason::malformed);

  for (const char* hex : {"", "90", "c0", "01", "a161", "91c0", "91a131"}) {
    frame_unsigned(from_hex(hex), hmac, frame);
    INFO(hex);
    CHECK(reason_of(frame, key) == Reason::malformed);
  }

  Envelope e = sample_envelope();
  e.kind = std::string(256, 'k');  // the encoder refuses this, so build it by hand with msgpack-c
  msgpack::sbuffer buf;
  msgpack::packer<msgpack::sbuffer> pk(buf);
  pk.pack_array(10);
  pk.pack(1);
  for (const std::string& s : {e.cluster_id, e.sender, e.target_node, e.target_module, e.kind}) pk.pack(s);
  pk.pack(1);
  pk.pack(2);
  pk.pack(3);
  pk.pack_bin(0);
  CHECK(reason_of(signed_u(buf, key), key) == Reason::malformed);
}

TEST_CASE("verify: outer structure problems are malformed, before any MAC work") {
  const Bytes key = test_key();
  const Bytes good = encode(sample_envelope(), key);
  Bytes frame = good;
  frame.push_back(0x00);  // trailing byte after the frame
  CHECK(reason_of(frame, key) == Reason::malformed);
  frame = good;
  frame[0] = 0x93;  // array of 3
  CHECK(reason_of(frame, key) == Reason::malformed);
  frame = good;
  frame[frame.size() - 33] = 31;  // MAC bin of 31 bytes (and one trailing)
  CHECK(reason_of(frame, key) == Reason::malformed);
  for (std::size_t cut = 0; cut < good.size(); ++cut) {
    INFO("truncated to " << cut);
    CHECK(reason_of(ByteView(good.data(), cut), key) == Reason::malformed);
  }
}

TEST_CASE("verify: oversized frames are too_large, judged before anything else") {
  const Bytes key = test_key();
  const Bytes good = encode(sample_envelope(), key);
  HmacSha256 hmac(key);
  CHECK(open_frame(good, hmac, good.size()));
  CHECK(reason_of(good, key, good.size() - 1) == Reason::too_large);
  const Bytes garbage(1000, 0xff);
  CHECK(reason_of(garbage, key, 999) == Reason::too_large);
  CHECK(reason_of(garbage, key, 1000) == Reason::malformed);
}
