#pragma once
// Replay guard: decides whether a correctly signed message is new. Consult it only after the MAC has
// verified - its state must never be driven by forged input.
//
// Rules (see bus/README.md "Replay rules"):
//  1. sender not configured                       -> unknown_sender (no state is ever created for it)
//  2. |now - timestamp| > clock_window            -> stale
//  3. per (sender, boot): a seq above the highest accepted is accepted; a seq up to 63 below it is
//     accepted once if not seen yet (64-bit bitmap, for paths that may reorder); anything else -> replayed
//  4. at most max_boots_per_sender boots are remembered per sender. When a new boot needs room, the boot
//     with the oldest newest-timestamp is forgotten and that timestamp becomes the sender's floor: a
//     message of a boot we do not remember is accepted only if its timestamp is above the floor, so a
//     forgotten boot's messages cannot be replayed, even while still inside the clock window. A new boot
//     whose timestamp is not above the oldest remembered boot's newest one is refused rather than
//     evicting a newer boot for it.
// Memory is bounded by (configured senders) x (max boots), all allocated at construction.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "bus/reason.hpp"
#include "common/expected.hpp"
#include "common/string_map.hpp"

namespace p3p::bus {

struct ReplayGuardConfig {
  std::vector<std::string> known_senders;
  std::uint64_t clock_window_ns = 30'000'000'000;  // 30 s, applied both to the past and the future
  std::size_t max_boots_per_sender = 4;            // >= 1; a restarting peer needs 2 (old + new)
};

class ReplayGuard {
 public:
  static constexpr std::uint64_t kWindow = 64;  // sequence numbers tracked below the highest

  explicit ReplayGuard(const ReplayGuardConfig& config);

  // Records the message and returns success if it is fresh; otherwise returns why not (and records
  // nothing). `now_ns` is the receiver's clock, ns since the Unix epoch.
  Expected<void, WireError> admit(std::string_view sender, std::uint64_t boot_id, std::uint64_t seq,
                                  std::uint64_t timestamp_ns, std::uint64_t now_ns);

  bool knows(std::string_view sender) const { return senders_.find(sender) != senders_.end(); }
  // Number of boots remembered for `sender` (0 if unknown). For tests and metrics.
  std::size_t boots_remembered(std::string_view sender) const;

 private:
  struct BootState {
    std::uint64_t boot_id = 0;
    std::uint64_t highest_seq = 0;
    std::uint64_t seen = 0;  // bit i set = (highest_seq - i) accepted
    std::uint64_t newest_timestamp_ns = 0;
  };
  struct SenderState {
    std::vector<BootState> boots;  // capacity reserved up front; never grows past max_boots_
    bool has_floor = false;
    std::uint64_t floor_timestamp_ns = 0;  // newest timestamp of any forgotten boot
  };

  static Expected<void, WireError> admit_seq(BootState& boot, std::uint64_t seq);
  Expected<void, WireError> admit_new_boot(SenderState& s, std::uint64_t boot_id, std::uint64_t seq,
                                           std::uint64_t timestamp_ns);

  StringMap<SenderState> senders_;  // find() takes a string_view: no std::string per message
  std::uint64_t clock_window_ns_;
  std::size_t max_boots_;
};

}  // namespace p3p::bus
