#include "bus/reason.hpp"

namespace p3p::bus {

std::string_view to_string(Reason r) {
  switch (r) {
    case Reason::malformed: return "malformed";
    case Reason::bad_version: return "bad_version";
    case Reason::bad_mac: return "bad_mac";
    case Reason::unknown_sender: return "unknown_sender";
    case Reason::replayed: return "replayed";
    case Reason::stale: return "stale";
    case Reason::too_large: return "too_large";
    case Reason::wrong_cluster: return "wrong_cluster";
  }
  return "unknown_reason";  // only reachable through a cast of a bad integer
}

}  // namespace p3p::bus
