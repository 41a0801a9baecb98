#pragma once
// Conservative lockstep, as pure bookkeeping (no sockets, no clock), so it can be tested alone.
// Epoch e covers ticks [e*E, (e+1)*E) with E = the smallest delay of any projection crossing nodes (1 if
// none crosses: the nodes still move in lockstep, so "tick" means the same thing cluster-wide and a lost
// node pauses everyone). A spike of epoch e reaches a remote target at tick >= (e+1)*E, so a node may run
// epoch e+1 as soon as it holds every peer's spikes through epoch e.
// Blocks: a node may run several epochs at once (begin, then end(epochs)) when every peer it listens to
// is far enough behind in delay (the simulation decides how many: its lookahead), and a batch may cover
// several epochs. Batches from one peer come in order and back to back; each says which epochs it covers.
// Listening: under a focus (Engine::set_silent) a peer whose every projection onto this node is silenced
// sends nothing, and its epochs count as covered as this node runs them - but only once all it sent while
// it was listened to has arrived (a batch on the wire when the focus changed still carries spikes).
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
  // The most epochs one block (and one batch) may cover: bounds what a peer ahead can hand over at once.
  static constexpr std::uint64_t kMaxBlockEpochs = 256;

  Lockstep(std::vector<int> peers, std::int64_t epoch_ticks);

  std::int64_t epoch_ticks() const { return epoch_ticks_; }
  std::uint64_t next_epoch() const { return next_; }
  bool in_flight() const { return in_flight_; }
  std::int64_t first_tick(std::uint64_t epoch) const { return static_cast<std::int64_t>(epoch) * epoch_ticks_; }
  // The number of epochs needed to reach `tick` (rounded up: a target inside an epoch runs it whole).
  std::uint64_t epochs_for(std::int64_t tick) const;

  // A batch of `epochs` epochs from `epoch`: accepted only if it follows the peer's last one.
  BatchVerdict on_batch(int peer, std::uint64_t epoch, std::vector<cortex::Spike> spikes, std::uint64_t epochs = 1);
  // What on_batch would answer, changing nothing; `after_forget`: as if forget(peer) came first (a
  // restarted peer starts at epoch 0, taken only while this node is no further than epoch 1).
  BatchVerdict check(int peer, std::uint64_t epoch, bool after_forget = false) const;
  // A peer restarted: whatever it sent before is void.
  void forget(int peer);
  // Which peers this node waits for from now on (per peer, in ascending peer id).
  void listen(const std::vector<bool>& listened);

  // Peers whose spikes through epoch next-1 have not all arrived (empty = the next epoch may start).
  std::vector<int> missing() const;
  bool inputs_complete() const { return missing().empty(); }
  // Marks the next epoch in flight and hands over its inputs (every held spike of a tick before it).
  // Call only when !in_flight() && inputs_complete().
  std::vector<cortex::Spike> begin();
  // The `epochs` epochs in flight are done (their batches have been sent).
  void end(std::uint64_t epochs = 1);

  // Snapshots. At an epoch boundary with complete inputs: every peer's spikes not yet handed over (those
  // in flight between nodes). restart: a loaded snapshot - continue at `next` with those inputs; anything
  // received before is void.
  using PeerInputs = std::vector<std::pair<int, std::vector<cortex::Spike>>>;
  PeerInputs held_inputs() const;
  void restart(std::uint64_t next, PeerInputs inputs);

 private:
  struct Peer {
    std::optional<std::uint64_t> covered;  // its spikes through this epoch have arrived (or it was silent)
    std::vector<cortex::Spike> held;       // arrived, not yet handed over; in tick order
    bool listened = true;
    std::optional<std::uint64_t> owed;  // not listened to, but sent while it was: through this epoch
  };
  std::optional<std::uint64_t> required(const Peer& p) const;

  std::int64_t epoch_ticks_;
  std::uint64_t next_ = 0;
  bool in_flight_ = false;
  std::map<int, Peer> peers_;
};

}  // namespace p3p::mesh
