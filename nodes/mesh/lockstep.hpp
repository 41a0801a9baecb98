#pragma once
// Conservative lockstep, as pure bookkeeping (no sockets, no clock), so it can be tested alone.
// Epoch e covers ticks [e*E, (e+1)*E) with E = the smallest delay of any projection crossing nodes (1 if
// none crosses: the nodes still move in lockstep, so "tick" means the same thing cluster-wide and a lost
// node pauses everyone). A spike of epoch e reaches a remote target at tick >= (e+1)*E, so a node may run
// epoch e+1 as soon as it holds every peer's batch of epoch e. Peers are therefore at most one epoch
// apart, which bounds what may arrive: from each peer, batches of epochs [next-1, next] only.
#include <cstdint>
#include <map>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "nodes/cortex/engine.hpp"

namespace p3p::mesh {

enum class BatchVerdict { accepted, duplicate, out_of_window };
std::string_view to_string(BatchVerdict v);

class Lockstep {
 public:
  Lockstep(std::vector<int> peers, std::int64_t epoch_ticks);

  std::int64_t epoch_ticks() const { return epoch_ticks_; }
  std::uint64_t next_epoch() const { return next_; }
  bool in_flight() const { return in_flight_; }
  std::int64_t first_tick(std::uint64_t epoch) const { return static_cast<std::int64_t>(epoch) * epoch_ticks_; }
  // The number of epochs needed to reach `tick` (rounded up: a target inside an epoch runs it whole).
  std::uint64_t epochs_for(std::int64_t tick) const;

  BatchVerdict on_batch(int peer, std::uint64_t epoch, std::vector<cortex::Spike> spikes);
  // What on_batch would answer, changing nothing; `after_forget`: as if forget(peer) came first.
  BatchVerdict check(int peer, std::uint64_t epoch, bool after_forget = false) const;
  // A peer restarted: whatever it sent before is void.
  void forget(int peer);

  // Peers whose batch of epoch next-1 has not arrived (empty = the next epoch may start).
  std::vector<int> missing() const;
  bool inputs_complete() const { return missing().empty(); }
  // Marks the next epoch in flight and hands over its inputs (all peers' batches of epoch next-1).
  // Call only when !in_flight() && inputs_complete().
  std::vector<cortex::Spike> begin();
  // The epoch in flight is done (its batches have been sent).
  void end();

  // Snapshots. At an epoch boundary with complete inputs: every peer's batch of epoch next-1 (the spikes
  // in flight between nodes). restart: a loaded snapshot - continue at `next` with those inputs; anything
  // received before is void.
  using PeerInputs = std::vector<std::pair<int, std::vector<cortex::Spike>>>;
  PeerInputs held_inputs() const;
  void restart(std::uint64_t next, PeerInputs inputs);

 private:
  std::vector<int> peers_;
  std::int64_t epoch_ticks_;
  std::uint64_t next_ = 0;
  bool in_flight_ = false;
  std::map<int, std::map<std::uint64_t, std::vector<cortex::Spike>>> pending_;  // peer -> epoch -> spikes
  std::map<int, std::optional<std::uint64_t>> consumed_;                       // peer -> last epoch used
};

}  // namespace p3p::mesh
