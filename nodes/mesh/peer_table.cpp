#include "nodes/mesh/peer_table.hpp"

namespace p3p::mesh {

std::string_view to_string(PeerState s) {
  switch (s) {
    case PeerState::connecting: return "connecting";
    case PeerState::connected: return "connected";
    case PeerState::lost: return "lost";
    case PeerState::incompatible: return "incompatible";
  }
  return "?";
}

void PeerTable::add(std::string id, int node) {
  PeerInfo p;
  p.id = std::move(id);
  p.node = node;
  peers_.push_back(std::move(p));
}

PeerInfo* PeerTable::find(std::string_view id) {
  for (PeerInfo& p : peers_)
    if (p.id == id) return &p;
  return nullptr;
}

PeerInfo* PeerTable::at_node(int node) {
  for (PeerInfo& p : peers_)
    if (p.node == node) return &p;
  return nullptr;
}

Heard PeerTable::on_heard(PeerInfo& p, std::uint64_t boot_id, std::uint64_t now_ms) {
  Heard h;
  p.last_heard_ms = now_ms;
  if (p.boot_id != boot_id) {
    if (p.boot_id) ++p.restarts;
    p.boot_id = boot_id;
    p.judged = false;
    p.compatible = false;
    p.state = PeerState::connecting;  // until its first heartbeat says where it is
    p.rtt_us.reset();
    h.new_boot = true;
    return h;
  }
  if (p.state == PeerState::lost) {
    p.state = !p.judged ? PeerState::connecting : p.compatible ? PeerState::connected : PeerState::incompatible;
    h.came_back = p.state == PeerState::connected;
  }
  return h;
}

bool PeerTable::on_heartbeat(PeerInfo& p, std::uint64_t epoch, std::int64_t tick, std::string state,
                             std::uint64_t own_next_epoch) {
  p.reported_epoch = epoch;
  p.reported_tick = tick;
  p.reported_state = std::move(state);
  if (p.judged) return false;
  p.judged = true;
  p.compatible = own_next_epoch == 0 && epoch <= 1;
  p.state = p.compatible ? PeerState::connected : PeerState::incompatible;
  return true;
}

std::vector<PeerInfo*> PeerTable::expire(std::uint64_t now_ms, std::uint64_t timeout_ms) {
  std::vector<PeerInfo*> lost;
  for (PeerInfo& p : peers_) {
    const bool watched = p.state == PeerState::connected || p.state == PeerState::incompatible ||
                         (p.state == PeerState::connecting && p.boot_id);
    if (watched && now_ms - p.last_heard_ms > timeout_ms) {
      p.state = PeerState::lost;
      lost.push_back(&p);
    }
  }
  return lost;
}

void PeerTable::after_load() {
  for (PeerInfo& p : peers_) {
    p.reports_restart = false;
    if (p.state == PeerState::incompatible) {
      p.state = PeerState::connected;
      p.compatible = true;
    }
  }
}

bool PeerTable::all_connected() const {
  for (const PeerInfo& p : peers_)
    if (p.state != PeerState::connected) return false;
  return true;
}

std::vector<std::string> PeerTable::in_state(PeerState s) const {
  std::vector<std::string> out;
  for (const PeerInfo& p : peers_)
    if (p.state == s) out.push_back(p.id);
  return out;
}

}  // namespace p3p::mesh
