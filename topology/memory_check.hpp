#pragma once
// Whether the nodes' estimated memory (memory_estimate.hpp) fits their machines, as far as can be told from
// here: the nodes on this machine against its /proc/meminfo; a remote machine cannot be asked, so a large
// estimate there is only pointed out.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "topology/machine.hpp"
#include "topology/memory_estimate.hpp"

namespace p3p::topology {

// A remote node estimated above this gets a warning with its figure.
inline constexpr std::uint64_t kRemoteWarnBytes = std::uint64_t{1} << 30;

struct MemoryCheck {
  std::vector<std::string> errors;    // cannot run: `p3pctl validate` refuses the topology
  std::vector<std::string> warnings;  // may not run: it is accepted, with these printed
};

// Refuses when a node on this machine, or all of them together, need more than MemTotal; warns when they
// need more than MemAvailable, and for each remote node over kRemoteWarnBytes.
MemoryCheck check_memory(const Topology& t, const std::vector<NodeMemory>& estimate,
                         const std::optional<MachineMemory>& machine,
                         const std::function<bool(std::string_view host)>& is_local = is_local_host);

}  // namespace p3p::topology
