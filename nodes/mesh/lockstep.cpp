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
    : epoch_ticks_(std::max<std::int64_t>(1, epoch_ticks)) {
  for (int p : peers) peers_[p];
}

std::uint64_t Lockstep::epochs_for(std::int64_t tick) const {
  if (tick <= 0) return 0;
  return static_cast<std::uint64_t>((tick + epoch_ticks_ - 1) / epoch_ticks_);
}

BatchVerdict Lockstep::check(int peer, std::uint64_t epoch, bool after_forget) const {
  const auto it = peers_.find(peer);
  if (it == peers_.end()) return BatchVerdict::out_of_window;
  if (after_forget) return epoch == 0 && next_ <= 1 ? BatchVerdict::accepted : BatchVerdict::out_of_window;
  const std::uint64_t expected = it->second.covered ? *it->second.covered + 1 : 0;
  if (epoch < expected) return BatchVerdict::duplicate;
  return epoch == expected ? BatchVerdict::accepted : BatchVerdict::out_of_window;
}

BatchVerdict Lockstep::on_batch(int peer, std::uint64_t epoch, std::vector<cortex::Spike> spikes, std::uint64_t epochs) {
  const BatchVerdict verdict = epochs == 0 ? BatchVerdict::out_of_window : check(peer, epoch);
  if (verdict != BatchVerdict::accepted) return verdict;
  Peer& p = peers_[peer];
  p.covered = epoch + epochs - 1;
  p.held.insert(p.held.end(), spikes.begin(), spikes.end());
  if (p.owed && *p.covered >= *p.owed) p.owed.reset();
  return verdict;
}

void Lockstep::forget(int peer) {
  const auto it = peers_.find(peer);
  if (it == peers_.end()) return;
  it->second.covered.reset();
  it->second.held.clear();
  it->second.owed.reset();
}

void Lockstep::listen(const std::vector<bool>& listened) {
  std::size_t k = 0;
  for (auto& [id, p] : peers_) {
    const bool now = k < listened.size() ? listened[k] : true;
    ++k;
    // Stops listening: what it sent through the last epoch run must still arrive.
    if (p.listened && !now && next_ > 0 && (!p.covered || *p.covered < next_ - 1)) p.owed = next_ - 1;
    p.listened = now;
  }
}

std::optional<std::uint64_t> Lockstep::required(const Peer& p) const {
  if (next_ == 0) return std::nullopt;  // epoch 0 needs nothing from anyone
  return p.listened ? std::optional<std::uint64_t>(next_ - 1) : p.owed;
}

std::vector<int> Lockstep::missing() const {
  std::vector<int> out;
  for (const auto& [id, p] : peers_) {
    const auto need = required(p);
    if (need && (!p.covered || *p.covered < *need)) out.push_back(id);
  }
  return out;
}

std::vector<cortex::Spike> Lockstep::begin() {
  std::vector<cortex::Spike> inputs;
  const std::int64_t before = first_tick(next_);
  for (auto& [id, p] : peers_) {
    // A peer may be ahead (a block it ran covers epochs past ours): only what is due is handed over.
    const auto due = std::partition_point(p.held.begin(), p.held.end(), [&](const cortex::Spike& s) { return s.tick < before; });
    inputs.insert(inputs.end(), p.held.begin(), due);
    p.held.erase(p.held.begin(), due);
  }
  // Not sorted: the engine does not care about the order (pending input is summed in fixed point, plastic
  // updates are fixed by the spikes alone), and this is on every epoch's critical path.
  in_flight_ = true;
  return inputs;
}

void Lockstep::end(std::uint64_t epochs) {
  in_flight_ = false;
  next_ += std::max<std::uint64_t>(1, epochs);
  // A peer not listened to sent nothing for these epochs: they are covered (once it owes nothing).
  for (auto& [id, p] : peers_)
    if (!p.listened && !p.owed && (!p.covered || *p.covered < next_ - 1)) p.covered = next_ - 1;
}

Lockstep::PeerInputs Lockstep::held_inputs() const {
  PeerInputs out;
  for (const auto& [id, p] : peers_) out.emplace_back(id, p.held);
  return out;
}

void Lockstep::restart(std::uint64_t next, PeerInputs inputs) {
  in_flight_ = false;
  next_ = next;
  for (auto& [id, p] : peers_) {
    p.covered = next >= 1 ? std::optional<std::uint64_t>(next - 1) : std::nullopt;
    p.held.clear();
    p.owed.reset();
  }
  for (auto& [peer, spikes] : inputs) {
    const auto it = peers_.find(peer);
    if (it != peers_.end()) it->second.held = std::move(spikes);
  }
}

}  // namespace p3p::mesh
