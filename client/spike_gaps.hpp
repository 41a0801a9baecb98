#pragma once
// Spike batches carry a per-node sequence number (1, 2, 3, ... per node process, telemetry_format.hpp): a
// jump is batches lost on the way (a subscriber too slow, the publisher dropping), which a subscriber
// reports rather than hides. A node that restarts numbers from 1 again: forget it when its new process
// answers the subscription (TelemetrySubscriber::Got::subscribed).
#include <cstdint>
#include <map>
#include <string>

namespace p3p::control {

class SpikeGaps {
 public:
  // The batches from `node` missed just before the one numbered `seq` (0 for its first).
  std::uint64_t missed(const std::string& node, std::uint64_t seq) {
    const auto last = last_.find(node);
    const std::uint64_t gap = last != last_.end() && seq > last->second + 1 ? seq - last->second - 1 : 0;
    last_[node] = seq;
    return gap;
  }
  void forget(const std::string& node) { last_.erase(node); }

 private:
  std::map<std::string, std::uint64_t> last_;  // per node: the last batch seen
};

}  // namespace p3p::control
