// Envelope codec: every field survives a round trip, the bytes are the msgpack the README documents
// (checked with msgpack-c, independently of our reader), and the encoder refuses what no decoder accepts.
#include <msgpack.hpp>

#include <catch2/catch.hpp>
#include <limits>

#include "tests/bus/bus_test_support.hpp"

using namespace p3p::bus;
using namespace p3p::bus::test;

namespace {

Envelope round_trip(const Envelope& e) {
  const Bytes key = test_key();
  const Bytes frame = encode(e, key);
  HmacSha256 hmac(key);
  auto view = open_frame(frame, hmac);
  INFO((view ? "" : view.error().detail));
  REQUIRE(view);
  return Envelope::from(*view);
}

}  // namespace

TEST_CASE("codec: every field round-trips") {
  Envelope e = sample_envelope();
  Envelope back = round_trip(e);
  e.mac = back.mac;  // the encoder computes the MAC; compare the rest
  CHECK(back == e);
  CHECK(back.version == 1);
  CHECK(back.cluster_id == "test-cluster");
  CHECK(back.sender == "node-a");
  CHECK(back.target_node == "node-b");
  CHECK(back.target_module == "mesocortex");
  CHECK(back.kind == "spike_batch");
  CHECK(back.seq == 7);
  CHECK(back.boot_id == 0x0123456789abcdefULL);
  CHECK(back.timestamp_ns == kNow);
  CHECK(back.body == Bytes{0x93, 0x01, 0x02, 0x03});
}

TEST_CASE("codec: empty strings and empty body round-trip") {
  Envelope e;
  e.seq = 0;
  Envelope back = round_trip(e);
  CHECK(back.cluster_id.empty());
  CHECK(back.sender.empty());
  CHECK(back.target_node.empty());
  CHECK(back.target_module.empty());
  CHECK(back.kind.empty());
  CHECK(back.body.empty());
  CHECK(back.seq == 0);
}

TEST_CASE("codec: extreme integers round-trip") {
  Envelope e = sample_envelope();
  const auto max = std::numeric_limits<std::uint64_t>::max();
  for (std::uint64_t v : {std::uint64_t{0}, std::uint64_t{127}, std::uint64_t{128}, std::uint64_t{255},
                          std::uint64_t{256}, std::uint64_t{65535}, std::uint64_t{65536},
                          std::uint64_t{0xffffffff}, std::uint64_t{0x100000000}, max}) {
    e.seq = v;
    e.boot_id = max - v;
    e.timestamp_ns = v;
    Envelope back = round_trip(e);
    CHECK(back.seq == v);
    CHECK(back.boot_id == max - v);
    CHECK(back.timestamp_ns == v);
  }
}

TEST_CASE("codec: names of every msgpack str size class and 255 bytes round-trip") {
  Envelope e = sample_envelope();
  for (std::size_t n : {std::size_t{31}, std::size_t{32}, std::size_t{255}}) {
    e.sender = std::string(n, 's');
    e.kind = std::string(n, 'k');
    e.cluster_id = std::string(n, 'c');
    Envelope back = round_trip(e);
    CHECK(back.sender == e.sender);
    CHECK(back.kind == e.kind);
    CHECK(back.cluster_id == e.cluster_id);
  }
  e.target_module = "r\xc3\xa9gion-\xe2\x82\xac";  // UTF-8 "région-€"
  CHECK(round_trip(e).target_module == e.target_module);
}

TEST_CASE("codec: large bodies (bin16, bin32) round-trip") {
  Envelope e = sample_envelope();
  for (std::size_t n : {std::size_t{255}, std::size_t{256}, std::size_t{65535}, std::size_t{65536},
                        std::size_t{3} << 20}) {
    e.body.resize(n);
    for (std::size_t i = 0; i < n; ++i) e.body[i] = static_cast<std::uint8_t>(i * 31 + 7);
    CHECK(round_trip(e).body == e.body);
  }
}

TEST_CASE("codec: U is the documented msgpack array, as msgpack-c reads it") {
  const Envelope e = sample_envelope();
  const Bytes frame = encode(e, test_key());
  auto parts = split_frame(frame);
  REQUIRE(parts);
  // The outer frame as msgpack-c sees it: [bin, bin(32)].
  auto outer = msgpack::unpack(reinterpret_cast<const char*>(frame.data()), frame.size());
  REQUIRE(outer->type == msgpack::type::ARRAY);
  REQUIRE(outer->via.array.size == 2);
  CHECK(outer->via.array.ptr[0].type == msgpack::type::BIN);
  CHECK(outer->via.array.ptr[1].type == msgpack::type::BIN);
  CHECK(outer->via.array.ptr[1].via.bin.size == 32);

  auto u = msgpack::unpack(reinterpret_cast<const char*>(parts->unsigned_bytes.data()), parts->unsigned_bytes.size());
  REQUIRE(u->type == msgpack::type::ARRAY);
  REQUIRE(u->via.array.size == 10);
  const msgpack::object* f = u->via.array.ptr;
  CHECK(f[0].as<std::uint64_t>() == 1);
  CHECK(f[1].as<std::string>() == "test-cluster");
  CHECK(f[2].as<std::string>() == "node-a");
  CHECK(f[3].as<std::string>() == "node-b");
  CHECK(f[4].as<std::string>() == "mesocortex");
  CHECK(f[5].as<std::string>() == "spike_batch");
  CHECK(f[6].as<std::uint64_t>() == 7);
  CHECK(f[7].as<std::uint64_t>() == 0x0123456789abcdefULL);
  CHECK(f[8].as<std::uint64_t>() == kNow);
  REQUIRE(f[9].type == msgpack::type::BIN);
  CHECK(Bytes(f[9].via.bin.ptr, f[9].via.bin.ptr + f[9].via.bin.size) == e.body);
  // And append_unsigned writes exactly these bytes.
  Bytes alone;
  append_unsigned(e.view(), alone);
  CHECK(alone == Bytes(parts->unsigned_bytes.begin(), parts->unsigned_bytes.end()));
}

TEST_CASE("codec: a U packed by msgpack-c, with non-minimal integer widths, is accepted") {
  msgpack::sbuffer buf;
  msgpack::packer<msgpack::sbuffer> pk(buf);
  pk.pack_array(10);
  pk.pack_fix_uint64(1);  // version as uint64: valid msgpack, just not the shortest form
  pk.pack(std::string("c"));
  pk.pack(std::string("s"));
  pk.pack(std::string(""));
  pk.pack(std::string("m"));
  pk.pack(std::string("k"));
  pk.pack_fix_uint16(5);
  pk.pack_fix_uint32(9);
  pk.pack_fix_uint8(3);
  pk.pack_bin(1);
  pk.pack_bin_body("\x07", 1);
  HmacSha256 hmac(test_key());
  Bytes frame;
  frame_unsigned(ByteView(reinterpret_cast<const std::uint8_t*>(buf.data()), buf.size()), hmac, frame);
  auto env = open_frame(frame, hmac);
  REQUIRE(env);
  CHECK(env->cluster_id == "c");
  CHECK(env->target_node.empty());
  CHECK(env->seq == 5);
  CHECK(env->boot_id == 9);
  CHECK(env->timestamp_ns == 3);
  CHECK(env->body.size() == 1);
}

TEST_CASE("codec: the encoder refuses names no receiver would accept") {
  HmacSha256 hmac(test_key());
  Bytes frame{1, 2, 3};
  Envelope e = sample_envelope();
  e.kind = std::string(256, 'k');
  auto r = encode_frame(e.view(), hmac, frame);
  REQUIRE_FALSE(r);
  CHECK(r.error().reason == Reason::malformed);
  CHECK(std::string(r.error().detail).find("kind") != std::string::npos);

  e = sample_envelope();
  e.sender = "bad\xff";
  r = encode_frame(e.view(), hmac, frame);
  REQUIRE_FALSE(r);
  CHECK(std::string(r.error().detail).find("sender") != std::string::npos);
}

TEST_CASE("codec: the encoder reuses the caller's buffer") {
  HmacSha256 hmac(test_key());
  const Envelope e = sample_envelope();
  Bytes frame;
  REQUIRE(encode_frame(e.view(), hmac, frame));
  const Bytes first = frame;
  const auto* data = frame.data();
  REQUIRE(encode_frame(e.view(), hmac, frame));
  CHECK(frame == first);       // deterministic
  CHECK(frame.data() == data);  // no reallocation for a same-size frame
}

TEST_CASE("reasons: stable strings") {
  CHECK(to_string(Reason::malformed) == "malformed");
  CHECK(to_string(Reason::bad_version) == "bad_version");
  CHECK(to_string(Reason::bad_mac) == "bad_mac");
  CHECK(to_string(Reason::unknown_sender) == "unknown_sender");
  CHECK(to_string(Reason::replayed) == "replayed");
  CHECK(to_string(Reason::stale) == "stale");
  CHECK(to_string(Reason::too_large) == "too_large");
  CHECK(to_string(Reason::wrong_cluster) == "wrong_cluster");
  CHECK(index_of(Reason::wrong_cluster) + 1 == kReasonCount);
}
