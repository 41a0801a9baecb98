#include "bus/msgpack_depth.hpp"

#include <cstdint>
#include <vector>

namespace p3p::bus {
namespace {

// What one tag says: how many bytes follow it before the next value (fixed part), the width of a
// big-endian length field (for str, bin, ext: that many payload bytes follow too), and how many child
// values it opens (arrays: n, maps: 2n), whose count may also sit in a length field.
struct Tag {
  std::size_t fixed = 0;        // bytes after the tag that are neither a length nor payload counted by it
  std::size_t length_width = 0;  // width of a length field right after the tag (0: none)
  std::uint64_t inline_count = 0;
  enum Kind { scalar, blob, array, map, invalid } kind = scalar;
};

Tag classify(std::uint8_t t) {
  if (t <= 0x7f || t >= 0xe0) return {};                                   // fixint
  if (t <= 0x8f) return {0, 0, t & 0x0fu, Tag::map};                       // fixmap
  if (t <= 0x9f) return {0, 0, t & 0x0fu, Tag::array};                     // fixarray
  if (t <= 0xbf) return {t & 0x1fu, 0, 0, Tag::scalar};                    // fixstr: payload is fixed
  switch (t) {
    case 0xc0: case 0xc2: case 0xc3: return {};                            // nil, false, true
    case 0xc4: return {0, 1, 0, Tag::blob};
    case 0xc5: return {0, 2, 0, Tag::blob};
    case 0xc6: return {0, 4, 0, Tag::blob};
    case 0xc7: return {1, 1, 0, Tag::blob};                                // ext: length, type, data
    case 0xc8: return {1, 2, 0, Tag::blob};
    case 0xc9: return {1, 4, 0, Tag::blob};
    case 0xca: return {4, 0, 0, Tag::scalar};
    case 0xcb: return {8, 0, 0, Tag::scalar};
    case 0xcc: case 0xd0: return {1, 0, 0, Tag::scalar};
    case 0xcd: case 0xd1: return {2, 0, 0, Tag::scalar};
    case 0xce: case 0xd2: return {4, 0, 0, Tag::scalar};
    case 0xcf: case 0xd3: return {8, 0, 0, Tag::scalar};
    case 0xd4: return {2, 0, 0, Tag::scalar};                              // fixext 1..16: type + data
    case 0xd5: return {3, 0, 0, Tag::scalar};
    case 0xd6: return {5, 0, 0, Tag::scalar};
    case 0xd7: return {9, 0, 0, Tag::scalar};
    case 0xd8: return {17, 0, 0, Tag::scalar};
    case 0xd9: return {0, 1, 0, Tag::blob};                                // str 8/16/32
    case 0xda: return {0, 2, 0, Tag::blob};
    case 0xdb: return {0, 4, 0, Tag::blob};
    case 0xdc: return {0, 2, 0, Tag::array};
    case 0xdd: return {0, 4, 0, Tag::array};
    case 0xde: return {0, 2, 0, Tag::map};
    case 0xdf: return {0, 4, 0, Tag::map};
    default: return {0, 0, 0, Tag::invalid};                               // 0xc1: never used
  }
}

}  // namespace

MsgpackShape check_msgpack(ByteView in, std::size_t max_depth) {
  std::size_t pos = 0;
  const std::size_t size = in.size();
  std::vector<std::uint64_t> open;  // values still to come in each open array/map, innermost last
  std::uint64_t pending = 1;        // values still to come at the current level (the top: one)
  for (;;) {
    while (pending == 0) {  // this container is complete: back to its parent
      if (open.empty()) return pos == size ? MsgpackShape::ok : MsgpackShape::malformed;
      pending = open.back();
      open.pop_back();
    }
    if (pos >= size) return MsgpackShape::malformed;
    const Tag tag = classify(in[pos++]);
    if (tag.kind == Tag::invalid) return MsgpackShape::malformed;
    std::uint64_t n = tag.inline_count;
    if (tag.length_width > 0) {
      if (size - pos < tag.length_width) return MsgpackShape::malformed;
      n = 0;
      for (std::size_t i = 0; i < tag.length_width; ++i) n = n << 8 | in[pos++];
    }
    --pending;
    if (tag.kind == Tag::array || tag.kind == Tag::map) {
      const std::uint64_t children = tag.kind == Tag::map ? 2 * n : n;
      if (children > size - pos) return MsgpackShape::malformed;  // every child takes a byte at least
      if (open.size() + 1 > max_depth) return MsgpackShape::too_deep;  // this container is level size + 1
      if (children == 0) continue;
      open.push_back(pending);
      pending = children;
      continue;
    }
    const std::uint64_t skip = tag.fixed + (tag.kind == Tag::blob ? n : 0);
    if (skip > size - pos) return MsgpackShape::malformed;
    pos += static_cast<std::size_t>(skip);
  }
}

}  // namespace p3p::bus
