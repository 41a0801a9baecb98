#include "bus/inbox.hpp"

#include <utility>

namespace p3p::bus {

Inbox::Inbox(ByteView key, InboxConfig config)
    : hmac_(key),
      cluster_id_(std::move(config.cluster_id)),
      max_frame_bytes_(config.max_frame_bytes),
      guard_(config.guard) {}

Expected<EnvelopeView, WireError> Inbox::accept(ByteView frame, std::uint64_t now_ns) {
  auto result = check(frame, now_ns);
  if (result) {
    ++accepted_;
  } else {
    ++rejections_[index_of(result.error().reason)];
  }
  return result;
}

Expected<EnvelopeView, WireError> Inbox::check(ByteView frame, std::uint64_t now_ns) {
  auto env = open_frame(frame, hmac_, max_frame_bytes_);
  if (!env) return env;
  if (env->cluster_id != cluster_id_) {
    return unexpected(WireError{Reason::wrong_cluster, "envelope is for another cluster"});
  }
  auto fresh = guard_.admit(env->sender, env->boot_id, env->seq, env->timestamp_ns, now_ns);
  if (!fresh) return unexpected(fresh.error());
  return env;
}

}  // namespace p3p::bus
