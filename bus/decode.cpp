// Decoding: strict, in the documented order, returning views into the frame. Each failure names the
// first thing that was wrong (a fixed string: no allocation on the reject path).
#include <algorithm>

#include "bus/codec.hpp"
#include "bus/msgpack_reader.hpp"
#include "bus/utf8.hpp"

namespace p3p::bus {
namespace {

WireError malformed(const char* detail) { return WireError{Reason::malformed, detail}; }

bool read_name(StrictReader& r, std::string_view& out) {
  return r.str(out) && out.size() <= kMaxNameBytes && is_valid_utf8(out);
}

// Fields after the version, in wire order.
Expected<void, WireError> read_fields(StrictReader& r, EnvelopeView& e) {
  if (!read_name(r, e.cluster_id)) return unexpected(malformed("cluster_id: expected str of <= 255 UTF-8 bytes"));
  if (!read_name(r, e.sender)) return unexpected(malformed("sender: expected str of <= 255 UTF-8 bytes"));
  if (!read_name(r, e.target_node)) return unexpected(malformed("target_node: expected str of <= 255 UTF-8 bytes"));
  if (!read_name(r, e.target_module)) {
    return unexpected(malformed("target_module: expected str of <= 255 UTF-8 bytes"));
  }
  if (!read_name(r, e.kind)) return unexpected(malformed("kind: expected str of <= 255 UTF-8 bytes"));
  if (!r.uint(e.seq)) return unexpected(malformed("seq: expected unsigned int"));
  if (!r.uint(e.boot_id)) return unexpected(malformed("boot_id: expected unsigned int"));
  if (!r.uint(e.timestamp_ns)) return unexpected(malformed("timestamp_ns: expected unsigned int"));
  if (!r.bin(e.body)) return unexpected(malformed("body: expected bin"));
  if (!r.at_end()) return unexpected(malformed("trailing bytes after the unsigned fields"));
  return {};
}

}  // namespace

Expected<SignedParts, WireError> split_frame(ByteView frame) {
  StrictReader r(frame);
  std::uint32_t count = 0;
  if (!r.array_header(count) || count != 2) return unexpected(malformed("frame: expected msgpack array of 2"));
  SignedParts parts;
  if (!r.bin(parts.unsigned_bytes)) return unexpected(malformed("frame[0]: expected bin (unsigned part)"));
  if (!r.bin(parts.mac) || parts.mac.size() != kMacBytes) {
    return unexpected(malformed("frame[1]: expected bin of 32 bytes (MAC)"));
  }
  if (!r.at_end()) return unexpected(malformed("trailing bytes after the frame"));
  return parts;
}

Expected<EnvelopeView, WireError> decode_unsigned(ByteView u) {
  StrictReader r(u);
  std::uint32_t count = 0;
  if (!r.array_header(count) || count == 0) return unexpected(malformed("unsigned part: expected array"));
  // The version comes first and is judged before the count: another version may have other fields.
  std::uint64_t version = 0;
  if (!r.uint(version)) return unexpected(malformed("version: expected unsigned int"));
  if (version != kProtocolVersion) return unexpected(WireError{Reason::bad_version, "unsupported protocol version"});
  if (count != kUnsignedFieldCount) return unexpected(malformed("unsigned part: expected array of 10"));
  EnvelopeView e;
  e.version = static_cast<std::uint32_t>(version);
  if (auto fields = read_fields(r, e); !fields) return unexpected(fields.error());
  return e;
}

Expected<EnvelopeView, WireError> open_frame(ByteView frame, HmacSha256& hmac, std::size_t max_frame_bytes) {
  if (frame.size() > max_frame_bytes) return unexpected(WireError{Reason::too_large, "frame exceeds size limit"});
  auto parts = split_frame(frame);
  if (!parts) return unexpected(parts.error());
  if (!hmac.verify(parts->unsigned_bytes, parts->mac)) {
    return unexpected(WireError{Reason::bad_mac, "MAC does not match the unsigned part"});
  }
  auto env = decode_unsigned(parts->unsigned_bytes);
  if (!env) return env;
  std::copy(parts->mac.begin(), parts->mac.end(), env->mac.begin());
  return env;
}

}  // namespace p3p::bus
