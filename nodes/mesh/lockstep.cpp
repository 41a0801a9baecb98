#include "nodes/mesh/lockstep.hpp"

#include <algorithm>

namespace p3p::mesh {

std::string_view to_string(BatchVerdict v) {
  switch (v) {
    case BatchVerdict::accepted: return "accepted";
    case BatchVerdict::duplicate: return "duplicate";
    case BatchVerdict::out_of_window: return "out_of_window";
  }
  return "?";
}

Lockstep::Lockstep(std::vector<int> peers, std::int64_t epoch_ticks)
    : peers_(std::move(peers)), epoch_ticks_(std::max<std::int64_t>(1, epoch_ticks)) {
  for (int p : peers_) consumed_[p] = std::nullopt;
}

std::uint64_t Lockstep::epochs_for(std::int64_t tick) const {
  if (tick <= 0) return 0;
  return static_cast<std::uint64_t>((tick + epoch_ticks_ - 1) / epoch_ticks_);
}

BatchVerdict Lockstep::check(int peer, std::uint64_t epoch, bool after_forget) const {
  const auto used = consumed_.find(peer);
  if (used == consumed_.end()) return BatchVerdict::out_of_window;
  // Epoch next-1 is still needed unless already consumed; a peer can be at most one epoch ahead (next).
  const std::uint64_t lowest = next_ == 0 ? 0 : next_ - 1;
  if (epoch < lowest || epoch > next_) return BatchVerdict::out_of_window;
  if (after_forget) return BatchVerdict::accepted;
  if (used->second && epoch <= *used->second) return BatchVerdict::duplicate;
  const auto by_epoch = pending_.find(peer);
  if (by_epoch != pending_.end() && by_epoch->second.count(epoch)) return BatchVerdict::duplicate;
  return BatchVerdict::accepted;
}

BatchVerdict Lockstep::on_batch(int peer, std::uint64_t epoch, std::vector<cortex::Spike> spikes) {
  const BatchVerdict verdict = check(peer, epoch);
  if (verdict == BatchVerdict::accepted) pending_[peer].emplace(epoch, std::move(spikes));
  return verdict;
}

void Lockstep::forget(int peer) {
  pending_.erase(peer);
  if (consumed_.count(peer)) consumed_[peer] = std::nullopt;
}

std::vector<int> Lockstep::missing() const {
  std::vector<int> out;
  if (next_ == 0) return out;  // epoch 0 needs nothing from anyone
  for (int p : peers_) {
    auto it = pending_.find(p);
    if (it == pending_.end() || !it->second.count(next_ - 1)) out.push_back(p);
  }
  return out;
}

std::vector<cortex::Spike> Lockstep::begin() {
  std::vector<cortex::Spike> inputs;
  if (next_ > 0) {
    for (int p : peers_) {
      auto& by_epoch = pending_[p];
      auto it = by_epoch.find(next_ - 1);
      if (it == by_epoch.end()) continue;
      inputs.insert(inputs.end(), it->second.begin(), it->second.end());
      by_epoch.erase(it);
      consumed_[p] = next_ - 1;
    }
  }
  // Not sorted: the engine does not care about the order (pending input is summed in fixed point, plastic
  // updates are fixed by the spikes alone), and this is on every epoch's critical path.
  in_flight_ = true;
  return inputs;
}

void Lockstep::end() {
  in_flight_ = false;
  ++next_;
}

Lockstep::PeerInputs Lockstep::held_inputs() const {
  PeerInputs out;
  if (next_ == 0) return out;
  for (int p : peers_) {
    const auto by_epoch = pending_.find(p);
    if (by_epoch == pending_.end()) continue;
    const auto it = by_epoch->second.find(next_ - 1);
    if (it != by_epoch->second.end()) out.emplace_back(p, it->second);
  }
  return out;
}

void Lockstep::restart(std::uint64_t next, PeerInputs inputs) {
  pending_.clear();
  in_flight_ = false;
  next_ = next;
  for (int p : peers_) consumed_[p] = next >= 2 ? std::optional<std::uint64_t>(next - 2) : std::nullopt;
  if (next == 0) return;
  for (auto& [peer, spikes] : inputs)
    if (consumed_.count(peer)) pending_[peer][next - 1] = std::move(spikes);
}

}  // namespace p3p::mesh
