#include "bus/replay_guard.hpp"

#include <algorithm>

namespace p3p::bus {
namespace {

bool outside_window(std::uint64_t timestamp_ns, std::uint64_t now_ns, std::uint64_t window_ns) {
  // Unsigned differences taken in the direction that cannot wrap.
  return timestamp_ns <= now_ns ? now_ns - timestamp_ns > window_ns : timestamp_ns - now_ns > window_ns;
}

WireError replayed(const char* detail) { return WireError{Reason::replayed, detail}; }

}  // namespace

ReplayGuard::ReplayGuard(const ReplayGuardConfig& config)
    : clock_window_ns_(config.clock_window_ns), max_boots_(std::max<std::size_t>(1, config.max_boots_per_sender)) {
  for (const auto& name : config.known_senders) {
    senders_[name].boots.reserve(max_boots_);
  }
}

std::size_t ReplayGuard::boots_remembered(std::string_view sender) const {
  auto it = senders_.find(sender);
  return it == senders_.end() ? 0 : it->second.boots.size();
}

Expected<void, WireError> ReplayGuard::admit(std::string_view sender, std::uint64_t boot_id, std::uint64_t seq,
                                             std::uint64_t timestamp_ns, std::uint64_t now_ns) {
  auto it = senders_.find(sender);
  if (it == senders_.end()) return unexpected(WireError{Reason::unknown_sender, "sender is not a cluster node"});
  if (outside_window(timestamp_ns, now_ns, clock_window_ns_)) {
    return unexpected(WireError{Reason::stale, "timestamp outside the clock window"});
  }
  SenderState& s = it->second;
  auto boot = std::find_if(s.boots.begin(), s.boots.end(), [&](const BootState& b) { return b.boot_id == boot_id; });
  if (boot == s.boots.end()) return admit_new_boot(s, boot_id, seq, timestamp_ns);
  auto ok = admit_seq(*boot, seq);
  if (ok) boot->newest_timestamp_ns = std::max(boot->newest_timestamp_ns, timestamp_ns);
  return ok;
}

Expected<void, WireError> ReplayGuard::admit_seq(BootState& boot, std::uint64_t seq) {
  if (seq > boot.highest_seq) {
    const std::uint64_t shift = seq - boot.highest_seq;
    boot.seen = shift >= kWindow ? 0 : boot.seen << shift;
    boot.seen |= 1;
    boot.highest_seq = seq;
    return {};
  }
  const std::uint64_t behind = boot.highest_seq - seq;
  if (behind >= kWindow) return unexpected(replayed("sequence number below the replay window"));
  const std::uint64_t bit = std::uint64_t{1} << behind;
  if (boot.seen & bit) return unexpected(replayed("sequence number already accepted"));
  boot.seen |= bit;
  return {};
}

Expected<void, WireError> ReplayGuard::admit_new_boot(SenderState& s, std::uint64_t boot_id, std::uint64_t seq,
                                                      std::uint64_t timestamp_ns) {
  if (s.has_floor && timestamp_ns <= s.floor_timestamp_ns) {
    return unexpected(replayed("boot not remembered and timestamp not newer than forgotten boots"));
  }
  if (s.boots.size() >= max_boots_) {
    auto oldest = std::min_element(s.boots.begin(), s.boots.end(), [](const BootState& a, const BootState& b) {
      return a.newest_timestamp_ns < b.newest_timestamp_ns;
    });
    // Never forget a boot for one that is older still: the floor must stay below every new boot accepted.
    if (timestamp_ns <= oldest->newest_timestamp_ns) {
      return unexpected(replayed("boot not remembered and older than every remembered boot"));
    }
    s.floor_timestamp_ns = s.has_floor ? std::max(s.floor_timestamp_ns, oldest->newest_timestamp_ns)
                                       : oldest->newest_timestamp_ns;
    s.has_floor = true;
    *oldest = s.boots.back();
    s.boots.pop_back();
  }
  s.boots.push_back(BootState{boot_id, seq, 1, timestamp_ns});
  return {};
}

}  // namespace p3p::bus
