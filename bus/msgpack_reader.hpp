#pragma once
// A strict reader for the handful of msgpack types the wire uses: array, unsigned int, str, bin.
// Why not msgpack::unpack: it builds an object tree in a zone (allocation per message) and accepts any
// type anywhere; the wire wants "exactly this type here or reject", at a million messages a second.
// Every method checks the type tag and the remaining length before touching a byte, and returns false
// (without moving) on a wrong type or a truncated input. Nothing is copied: strings and bins are views.
// Defined inline: the decoder calls these ten times per message, and the calls cost more than the work.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "bus/bytes.hpp"

namespace p3p::bus {

class StrictReader {
 public:
  explicit StrictReader(ByteView in) : p_(in.data()), end_(in.data() + in.size()) {}

  // fixarray, array16, array32.
  bool array_header(std::uint32_t& count);
  // positive fixint, uint8, uint16, uint32, uint64. Signed formats are rejected even for values >= 0:
  // every conforming encoder writes non-negative integers as unsigned.
  bool uint(std::uint64_t& value);
  // fixstr, str8, str16, str32. Content is not validated here (see utf8.hpp).
  bool str(std::string_view& value);
  // bin8, bin16, bin32.
  bool bin(ByteView& value);

  bool at_end() const { return p_ == end_; }
  std::size_t remaining() const { return static_cast<std::size_t>(end_ - p_); }

 private:
  // The big-endian value of `width` (1, 2, 4 or 8) bytes after the tag; false if truncated.
  bool read_be(std::size_t width, std::uint64_t& out) const;
  // Consumes `header` bytes plus `payload` bytes, returning where the payload starts; false if truncated.
  bool consume(std::size_t header, std::uint64_t payload, const std::uint8_t*& start);
  // For str/bin: the length field's width for `tag`, or the fixstr length; false if not that type.
  bool length(std::size_t width, std::uint64_t fixed, std::uint64_t& n, std::size_t& header) const;

  const std::uint8_t* p_;
  const std::uint8_t* end_;
};

inline bool StrictReader::read_be(std::size_t width, std::uint64_t& out) const {
  if (remaining() < 1 + width) return false;
  const std::uint8_t* q = p_ + 1;
  switch (width) {
    case 1: out = q[0]; return true;
    case 2: out = std::uint64_t{q[0]} << 8 | q[1]; return true;
    case 4: {
      std::uint32_t v;
      std::memcpy(&v, q, 4);
      out = __builtin_bswap32(v);
      return true;
    }
    default: {
      std::uint64_t v;
      std::memcpy(&v, q, 8);
      out = __builtin_bswap64(v);
      return true;
    }
  }
}

inline bool StrictReader::consume(std::size_t header, std::uint64_t payload, const std::uint8_t*& start) {
  // Compare against what is left rather than computing p_ + n: no pointer ever goes past end_.
  if (remaining() < header || payload > remaining() - header) return false;
  start = p_ + header;
  p_ = start + payload;
  return true;
}

inline bool StrictReader::length(std::size_t width, std::uint64_t fixed, std::uint64_t& n, std::size_t& header) const {
  header = 1 + width;
  if (width == 0) {
    n = fixed;
    return true;
  }
  return read_be(width, n);
}

inline bool StrictReader::array_header(std::uint32_t& count) {
  if (at_end()) return false;
  const std::uint8_t tag = *p_;
  std::size_t width = 0;
  if ((tag & 0xf0u) == 0x90u) {
    width = 0;
  } else if (tag == 0xdc) {
    width = 2;
  } else if (tag == 0xdd) {
    width = 4;
  } else {
    return false;
  }
  std::uint64_t n = 0;
  std::size_t header = 0;
  if (!length(width, tag & 0x0fu, n, header)) return false;
  // Each element takes at least one byte, so a count larger than what is left is a lie: reject early.
  if (n > remaining() - header) return false;
  p_ += header;
  count = static_cast<std::uint32_t>(n);
  return true;
}

inline bool StrictReader::uint(std::uint64_t& value) {
  if (at_end()) return false;
  const std::uint8_t tag = *p_;
  if (tag <= 0x7f) {
    value = tag;
    ++p_;
    return true;
  }
  if (tag < 0xcc || tag > 0xcf) return false;
  const std::size_t width = std::size_t{1} << (tag - 0xcc);  // cc..cf: 1, 2, 4, 8 bytes
  if (!read_be(width, value)) return false;
  p_ += 1 + width;
  return true;
}

inline bool StrictReader::str(std::string_view& value) {
  if (at_end()) return false;
  const std::uint8_t tag = *p_;
  std::size_t width = 0;
  if ((tag & 0xe0u) == 0xa0u) {
    width = 0;
  } else if (tag >= 0xd9 && tag <= 0xdb) {
    width = std::size_t{1} << (tag - 0xd9);  // d9..db: 1, 2, 4 bytes
  } else {
    return false;
  }
  std::uint64_t n = 0;
  std::size_t header = 0;
  const std::uint8_t* start = nullptr;
  if (!length(width, tag & 0x1fu, n, header) || !consume(header, n, start)) return false;
  value = std::string_view(reinterpret_cast<const char*>(start), static_cast<std::size_t>(n));
  return true;
}

inline bool StrictReader::bin(ByteView& value) {
  if (at_end()) return false;
  const std::uint8_t tag = *p_;
  if (tag < 0xc4 || tag > 0xc6) return false;
  const std::size_t width = std::size_t{1} << (tag - 0xc4);  // c4..c6: 1, 2, 4 bytes
  std::uint64_t n = 0;
  std::size_t header = 0;
  const std::uint8_t* start = nullptr;
  if (!length(width, 0, n, header) || !consume(header, n, start)) return false;
  value = ByteView(start, static_cast<std::size_t>(n));
  return true;
}

}  // namespace p3p::bus
