#include "bus/utf8.hpp"

#include <cstdint>

namespace p3p::bus {
namespace {

bool is_continuation(std::uint8_t b) { return (b & 0xc0u) == 0x80u; }

// Length of the sequence starting with `lead` and the allowed range of its second byte (which is where
// overlong forms, surrogates and values above U+10FFFF show), per RFC 3629's table. 0 = invalid lead.
int sequence_length(std::uint8_t lead, std::uint8_t& lo, std::uint8_t& hi) {
  lo = 0x80;
  hi = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) {
    if (lead == 0xe0) lo = 0xa0;  // overlong
    if (lead == 0xed) hi = 0x9f;  // surrogates
    return 3;
  }
  if (lead >= 0xf0 && lead <= 0xf4) {
    if (lead == 0xf0) lo = 0x90;  // overlong
    if (lead == 0xf4) hi = 0x8f;  // above U+10FFFF
    return 4;
  }
  return 0;
}

}  // namespace

bool is_valid_utf8_multibyte(std::string_view s) {
  const auto* p = reinterpret_cast<const std::uint8_t*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    if (*p < 0x80) {  // ASCII: the common case for node and module names
      ++p;
      continue;
    }
    std::uint8_t lo = 0;
    std::uint8_t hi = 0;
    const int len = sequence_length(*p, lo, hi);
    if (len == 0 || end - p < len) return false;
    if (p[1] < lo || p[1] > hi) return false;
    for (int i = 2; i < len; ++i) {
      if (!is_continuation(p[i])) return false;
    }
    p += len;
  }
  return true;
}

}  // namespace p3p::bus
