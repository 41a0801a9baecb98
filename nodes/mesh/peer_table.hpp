#pragma once
// What this node knows about each peer: alive or not, which boot, where it is in the simulation.
// Pure bookkeeping with times passed in (tests drive it without sockets or clocks).
//
// Rules (DESIGN "Distribution"; documented in nodes/README.md):
//  * any authenticated envelope from a peer counts as a sign of life;
//  * a connected peer silent longer than the heartbeat timeout is `lost`; the cluster pauses;
//  * the same boot heard again after `lost` -> `connected` again: nothing was lost in between (ZeroMQ kept
//    the messages queued) and the lockstep resumes where it stopped;
//  * a NEW boot (first contact, or a restart) is judged on its first heartbeat: it is compatible only when
//    this node has not computed anything yet and the peer at most one epoch (epoch 0), i.e. when a fresh
//    cluster forms. A peer restarted mid-run is `incompatible`: the cluster stays paused and says that a
//    snapshot load is needed - it never continues with a node that lost its state;
//  * after a snapshot load on every node (after_load), incompatible peers are connected again.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace p3p::mesh {

enum class PeerState { connecting, connected, lost, incompatible };
std::string_view to_string(PeerState s);

struct PeerInfo {
  std::string id;
  int node = 0;  // index in the topology
  PeerState state = PeerState::connecting;
  std::optional<std::uint64_t> boot_id;
  bool judged = false;                 // the current boot's first heartbeat was seen
  bool compatible = false;             // ... and it could join the lockstep (see the rules above)
  std::uint64_t last_heard_ms = 0;
  std::uint64_t reported_epoch = 0;
  std::int64_t reported_tick = 0;
  std::string reported_state;
  // The peer itself has an incompatible peer (a restart it cannot continue with). Its own finding only -
  // never derived from what others report, so "needs a snapshot load" cannot echo between nodes forever.
  bool reports_restart = false;
  std::optional<std::uint64_t> rtt_us;
  std::uint64_t restarts = 0;
  std::string spikes_endpoint;  // where its simulation takes spike batches (from its heartbeats)
};

struct Heard {
  bool new_boot = false;   // the caller must void what that peer sent before (Lockstep::forget)
  bool came_back = false;  // lost -> connected
};

class PeerTable {
 public:
  void add(std::string id, int node);
  PeerInfo* find(std::string_view id);
  PeerInfo* at_node(int node);
  const std::vector<PeerInfo>& peers() const { return peers_; }

  Heard on_heard(PeerInfo& p, std::uint64_t boot_id, std::uint64_t now_ms);
  // The peer's heartbeat: where it is. Returns true if it changed the peer's state.
  bool on_heartbeat(PeerInfo& p, std::uint64_t epoch, std::int64_t tick, std::string state,
                    std::uint64_t own_next_epoch);
  // Connected/incompatible peers silent for longer than `timeout_ms` become lost; returns them.
  std::vector<PeerInfo*> expire(std::uint64_t now_ms, std::uint64_t timeout_ms);

  // The whole cluster has just loaded one snapshot: every peer judged incompatible (a restart) holds the
  // same state as this node now, so it may take part again, and what peers reported about restarts is
  // void. Lost and not-yet-heard peers are unchanged.
  void after_load();

  bool all_connected() const;
  std::vector<std::string> in_state(PeerState s) const;

 private:
  std::vector<PeerInfo> peers_;
};

}  // namespace p3p::mesh
