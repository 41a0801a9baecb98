#pragma once
// msgpack's str type is UTF-8 by definition; names that are not valid UTF-8 would break every JSON edge
// (control port, telemetry, logs) downstream, so the decoder rejects them at the wire.
#include <string_view>

namespace p3p::bus {

// The byte-by-byte check, for strings that are not plain ASCII.
bool is_valid_utf8_multibyte(std::string_view s);

// True if `s` is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF).
// Inline ASCII fast path: names are almost always ASCII, and this runs ten times per message.
inline bool is_valid_utf8(std::string_view s) {
  unsigned high = 0;
  for (char c : s) high |= static_cast<unsigned char>(c);
  return (high & 0x80u) == 0 || is_valid_utf8_multibyte(s);
}

}  // namespace p3p::bus
