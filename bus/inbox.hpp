#pragma once
// Inbox: the receiving end of the wire for one thread. Takes a frame, returns the verified envelope or
// the reason it was refused, and counts every refusal by reason (for metrics; logging them, rate-limited,
// is the caller's job since the bus has no logger).
// Order: too_large -> malformed (outer) -> bad_mac -> malformed/bad_version (inner) -> wrong_cluster ->
// unknown_sender -> stale -> replayed. Nothing after the MAC check runs on unauthenticated bytes.
#include <cstddef>
#include <cstdint>
#include <string>

#include "bus/clock.hpp"
#include "bus/codec.hpp"
#include "bus/hmac.hpp"
#include "bus/reason.hpp"
#include "bus/replay_guard.hpp"

namespace p3p::bus {

struct InboxConfig {
  std::string cluster_id;
  ReplayGuardConfig guard;
  std::size_t max_frame_bytes = kDefaultMaxFrameBytes;
};

class Inbox {
 public:
  Inbox(ByteView key, InboxConfig config);

  // The returned view points into `frame` (valid while it lives). `now_ns`: ns since the Unix epoch.
  // Receivers must still check target_node themselves: another node's message is authentic, not theirs.
  Expected<EnvelopeView, WireError> accept(ByteView frame, std::uint64_t now_ns);
  // Same, judged against the wall clock.
  Expected<EnvelopeView, WireError> accept(ByteView frame) { return accept(frame, unix_now_ns()); }

  std::uint64_t accepted() const { return accepted_; }
  std::uint64_t rejected(Reason r) const { return rejections_[index_of(r)]; }
  const RejectionCounts& rejections() const { return rejections_; }

 private:
  Expected<EnvelopeView, WireError> check(ByteView frame, std::uint64_t now_ns);

  HmacSha256 hmac_;
  std::string cluster_id_;
  std::size_t max_frame_bytes_;
  ReplayGuard guard_;
  std::uint64_t accepted_ = 0;
  RejectionCounts rejections_{};
};

}  // namespace p3p::bus
