#pragma once
// The wire codec: envelope <-> one ZeroMQ frame. Byte-level format in bus/README.md; in short:
//   frame = msgpack [ bin(U), bin(MAC) ]     U   = msgpack array of the 10 unsigned fields, version first
//                                            MAC = HMAC-SHA256(cluster key, U), 32 bytes
// The MAC covers the exact bytes of U as they travel, so a receiver verifies what it received and never
// a re-serialisation. Decoding is strict (exact count, exact types, no trailing bytes) and returns views
// into the frame: no allocation on either the accept or the reject path.
#include <cstddef>
#include <cstdint>

#include "bus/bytes.hpp"
#include "bus/envelope.hpp"
#include "bus/hmac.hpp"
#include "bus/reason.hpp"
#include "common/expected.hpp"

namespace p3p::bus {

inline constexpr std::size_t kDefaultMaxFrameBytes = std::size_t{16} << 20;  // 16 MiB

// The two halves of a frame, as views into it. Only structure is checked here, not the MAC.
struct SignedParts {
  ByteView unsigned_bytes;  // U
  ByteView mac;             // always kMacBytes long
};

// --- encoding -------------------------------------------------------------------------------------------

// Writes the frame for `env` into `out` (overwritten; its capacity is reused, so a caller that keeps one
// buffer encodes without allocating). env.mac is ignored; the computed MAC is returned. env.version is
// written as given (tests use that to sign other versions). Fails with `malformed` if a name is longer
// than kMaxNameBytes or not UTF-8, or the body exceeds 4 GiB: a frame no receiver would accept.
Expected<Mac, WireError> encode_frame(const EnvelopeView& env, HmacSha256& hmac, Bytes& out);

// Frames arbitrary bytes as U: out = [bin(u), bin(HMAC(u))]. For tests and tools that need to sign
// exactly the bytes they built (e.g. a correctly signed U with wrong types inside).
Mac frame_unsigned(ByteView u, HmacSha256& hmac, Bytes& out);

// Appends U alone (the msgpack array of the unsigned fields) to `out`. No validation.
void append_unsigned(const EnvelopeView& env, Bytes& out);

// --- decoding -------------------------------------------------------------------------------------------

// Outer structure only: exactly [bin(U), bin(32 bytes)] and nothing after it.
Expected<SignedParts, WireError> split_frame(ByteView frame);

// Inner fields of U (call only on MAC-verified bytes). `malformed` or `bad_version`.
Expected<EnvelopeView, WireError> decode_unsigned(ByteView u);

// Everything up to (not including) the cluster check and the replay guard, in this order:
// size -> too_large, outer structure -> malformed, MAC -> bad_mac, inner fields -> malformed/bad_version.
// The returned view points into `frame`; its mac field holds the verified MAC.
Expected<EnvelopeView, WireError> open_frame(ByteView frame, HmacSha256& hmac,
                                             std::size_t max_frame_bytes = kDefaultMaxFrameBytes);

}  // namespace p3p::bus
