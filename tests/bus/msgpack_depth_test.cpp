// check_msgpack: one well-formed value, nested at most so deep, judged without recursion.
#include <catch2/catch.hpp>
#include <string>

#include "bus/msgpack_depth.hpp"

using namespace p3p::bus;

namespace {

// `depth` one-element containers (fixarray [x] or fixmap {nil: x}) around nil.
std::string nested(std::size_t depth, bool maps = false) {
  std::string s;
  for (std::size_t i = 0; i < depth; ++i) s += maps ? std::string("\x81\xc0", 2) : std::string("\x91");
  return s + '\xc0';
}

MsgpackShape shape(const std::string& s, std::size_t max = kMaxBodyDepth) { return check_msgpack(as_bytes(s), max); }

}  // namespace

TEST_CASE("well-formed values up to the depth limit pass, one level more is too deep") {
  CHECK(shape("\xc0") == MsgpackShape::ok);
  // {"a": 1, "b": [1.0 (float64), true]}, a bin8 and an ext8 inside an array
  CHECK(shape(std::string("\x82\xa1" "a\x01\xa1" "b\x92\xcb", 8) + std::string(8, '\0') + "\xc3") == MsgpackShape::ok);
  CHECK(shape(std::string("\x92\xc4\x02xy\xc7\x01\x05z", 9)) == MsgpackShape::ok);
  for (bool maps : {false, true}) {
    CHECK(shape(nested(kMaxBodyDepth, maps)) == MsgpackShape::ok);
    CHECK(shape(nested(kMaxBodyDepth + 1, maps)) == MsgpackShape::too_deep);
  }
  CHECK(shape(std::string(3, '\x91') + '\x90', 3) == MsgpackShape::too_deep);  // an empty array is a level too
  CHECK(shape(std::string(2, '\x91') + '\x90', 3) == MsgpackShape::ok);
}

TEST_CASE("a million levels are refused at once, without recursion") {
  CHECK(shape(nested(1'000'000)) == MsgpackShape::too_deep);
  CHECK(shape(std::string(1'000'000, '\xdc')) == MsgpackShape::too_deep);  // array16s of 56,540 elements, nested
}

TEST_CASE("truncated values, unused tags and trailing bytes are malformed") {
  CHECK(shape("") == MsgpackShape::malformed);
  CHECK(shape("\xc1") == MsgpackShape::malformed);
  CHECK(shape("\x92\x01") == MsgpackShape::malformed);                          // one of two elements
  CHECK(shape(std::string("\xc4\x05xy", 4)) == MsgpackShape::malformed);       // bin of 5 with 2 bytes
  CHECK(shape(std::string("\xdd\xff\xff\xff\xff\x01", 6)) == MsgpackShape::malformed);  // 4 G elements claimed
  CHECK(shape(std::string("\xcb\x00", 2)) == MsgpackShape::malformed);          // float64 cut short
  CHECK(shape("\x01\x02") == MsgpackShape::malformed);                           // two values
}
