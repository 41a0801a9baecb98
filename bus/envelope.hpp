#pragma once
// The envelope: what every message between P3P processes carries around its body. See bus/README.md for
// the byte-level format. Two shapes of the same fields:
//   EnvelopeView - borrowed strings and body; what the decoder returns (zero allocation, points into the
//                  frame, valid only while the frame lives) and what the encoder reads.
//   Envelope     - owning copy, for keeping a message past the life of its frame.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "bus/bytes.hpp"

namespace p3p::bus {

// Bumped only for an incompatible change of the unsigned part; a receiver rejects any other value.
inline constexpr std::uint32_t kProtocolVersion = 1;
inline constexpr std::size_t kMacBytes = 32;        // HMAC-SHA256 output
inline constexpr std::size_t kMaxNameBytes = 255;   // cluster id, node, module, kind: names, not payload
inline constexpr std::size_t kUnsignedFieldCount = 10;

using Mac = std::array<std::uint8_t, kMacBytes>;

struct EnvelopeView {
  std::uint32_t version = kProtocolVersion;
  std::string_view cluster_id;
  std::string_view sender;         // node id of the process that sealed it
  std::string_view target_node;    // node id it is for; empty = whoever receives it (e.g. telemetry)
  std::string_view target_module;  // module inside the node (e.g. "mesocortex", "control")
  std::string_view kind;           // what the body is (e.g. "spike_batch", "command")
  std::uint64_t seq = 0;           // per sender per boot, strictly increasing from the sender
  std::uint64_t boot_id = 0;       // random per process start, so seq may restart at 1 after a reboot
  std::uint64_t timestamp_ns = 0;  // sender's wall clock, ns since the Unix epoch
  ByteView body;                   // msgpack bytes of the payload; opaque to the bus
  Mac mac{};                       // filled by the decoder; ignored by the encoder (it computes one)
};

struct Envelope {
  std::uint32_t version = kProtocolVersion;
  std::string cluster_id;
  std::string sender;
  std::string target_node;
  std::string target_module;
  std::string kind;
  std::uint64_t seq = 0;
  std::uint64_t boot_id = 0;
  std::uint64_t timestamp_ns = 0;
  Bytes body;
  Mac mac{};

  // A view of this envelope; valid while *this lives and is not modified.
  EnvelopeView view() const;
  // Deep copy of a view (allocates).
  static Envelope from(const EnvelopeView& v);
};

bool operator==(const Envelope& a, const Envelope& b);

}  // namespace p3p::bus
