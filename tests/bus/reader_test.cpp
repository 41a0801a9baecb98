// The strict msgpack reader and the UTF-8 check, byte by byte.
#include <catch2/catch.hpp>

#include "bus/msgpack_reader.hpp"
#include "bus/utf8.hpp"
#include "tests/bus/bus_test_support.hpp"

using namespace p3p::bus;
using p3p::bus::test::from_hex;

TEST_CASE("reader: unsigned integers in every width, signed ones refused") {
  std::uint64_t v = 0;
  const Bytes ok = from_hex("7f cc80 cd0100 ce00010000 cf0000000100000000");
  StrictReader r(ok);
  REQUIRE(r.uint(v));
  CHECK(v == 127);
  REQUIRE(r.uint(v));
  CHECK(v == 128);
  REQUIRE(r.uint(v));
  CHECK(v == 256);
  REQUIRE(r.uint(v));
  CHECK(v == 65536);
  REQUIRE(r.uint(v));
  CHECK(v == 0x100000000ULL);
  CHECK(r.at_end());

  for (const char* bad : {"ff", "d001", "d10001", "e0", "c0", "c3", "a0", "cb3ff0000000000000"}) {
    const Bytes b = from_hex(bad);
    StrictReader s(b);
    INFO(bad);
    CHECK_FALSE(s.uint(v));
    CHECK(s.remaining() == b.size());  // a failed read does not move
  }
}

TEST_CASE("reader: truncated headers and payloads are refused, never over-read") {
  std::string_view s;
  ByteView b;
  std::uint64_t v = 0;
  std::uint32_t n = 0;
  for (const char* hex : {"cd01", "cf00000000", "d9", "d905616263", "da00", "db000000", "a3", "a36162"}) {
    const Bytes in = from_hex(hex);
    StrictReader r(in);
    INFO(hex);
    CHECK_FALSE((r.uint(v) || r.str(s)));
  }
  for (const char* hex : {"c4", "c40201", "c500", "c6ffffffff00"}) {
    const Bytes in = from_hex(hex);
    StrictReader r(in);
    INFO(hex);
    CHECK_FALSE(r.bin(b));
  }
  // An array claiming more elements than bytes left is refused at the header.
  for (const char* hex : {"92", "9201", "dc0003", "dd00000002c0"}) {
    const Bytes in = from_hex(hex);
    StrictReader r(in);
    INFO(hex);
    CHECK_FALSE(r.array_header(n));
  }
}

TEST_CASE("reader: strings and bins are not interchangeable") {
  std::string_view s;
  ByteView b;
  const Bytes str = from_hex("a3616263");
  const Bytes bin = from_hex("c403616263");
  StrictReader r1(str);
  CHECK_FALSE(r1.bin(b));
  REQUIRE(r1.str(s));
  CHECK(s == "abc");
  StrictReader r2(bin);
  CHECK_FALSE(r2.str(s));
  REQUIRE(r2.bin(b));
  CHECK(b.size() == 3);
}

TEST_CASE("utf8: well-formed accepted, the classic ill-formed refused") {
  CHECK(is_valid_utf8(""));
  CHECK(is_valid_utf8("node-a"));
  CHECK(is_valid_utf8("r\xc3\xa9gion \xe2\x82\xac \xf0\x9f\xa7\xa0"));
  CHECK_FALSE(is_valid_utf8("\x80"));              // lone continuation
  CHECK_FALSE(is_valid_utf8("\xc0\xaf"));          // overlong '/'
  CHECK_FALSE(is_valid_utf8("\xe0\x80\xaf"));      // overlong
  CHECK_FALSE(is_valid_utf8("\xed\xa0\x80"));      // surrogate U+D800
  CHECK_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  CHECK_FALSE(is_valid_utf8("\xe2\x82"));          // truncated
  CHECK_FALSE(is_valid_utf8("\xff"));
}
