#pragma once
// Why a frame was rejected. The strings are stable: they appear in logs, metrics and the README, and
// counters are indexed by the enum, so never renumber or rename - only append.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace p3p::bus {

enum class Reason : std::uint8_t {
  malformed,       // not the documented msgpack structure (outer frame or unsigned part)
  bad_version,     // correctly signed, but a protocol version this build does not speak
  bad_mac,         // MAC does not match the unsigned bytes under the cluster key
  unknown_sender,  // sender is not a configured node of the cluster
  replayed,        // (sender, boot, seq) already accepted, or too far below the window to tell
  stale,           // timestamp outside the allowed clock window (past or future)
  too_large,       // frame longer than the configured maximum; not even parsed
  wrong_cluster,   // correctly signed for another cluster id (same key reused across clusters)
};

inline constexpr std::size_t kReasonCount = 8;

// Exactly the enumerator's name, e.g. "bad_mac".
std::string_view to_string(Reason r);

// A rejection: the stable reason plus a fixed human detail (static storage; no allocation on the
// rejection path, so a flood of garbage costs no heap traffic).
struct WireError {
  Reason reason = Reason::malformed;
  const char* detail = "";
};

// One counter per reason, indexed by the enum.
using RejectionCounts = std::array<std::uint64_t, kReasonCount>;

inline constexpr std::size_t index_of(Reason r) { return static_cast<std::size_t>(r); }

}  // namespace p3p::bus
