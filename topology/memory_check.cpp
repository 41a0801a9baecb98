#include "topology/memory_check.hpp"

namespace p3p::topology {
namespace {

std::string breakdown(const NodeMemory& m) {
  return "neurons " + format_bytes(m.neuron_bytes) + ", synapses " + format_bytes(m.synapse_bytes) + ", other " +
         format_bytes(m.other_bytes);
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// The nodes on this machine: each must fit in MemTotal, and so must they all (p3pctl up starts them here).
void check_local(const std::vector<const NodeMemory*>& local, const MachineMemory& machine, MemoryCheck& out) {
  std::uint64_t sum = 0;
  std::vector<std::string> names;
  bool refused = false;
  for (const NodeMemory* m : local) {
    sum = m->total_bytes() > UINT64_MAX - sum ? UINT64_MAX : sum + m->total_bytes();
    names.push_back(m->id);
    if (m->total_bytes() <= machine.total) continue;
    refused = true;
    out.errors.push_back("not enough memory: node '" + m->id + "' needs about " + format_bytes(m->total_bytes()) +
                         " (" + breakdown(*m) + ") but this machine has " + format_bytes(machine.total) +
                         " (MemTotal); give it fewer or smaller columns and projections, or another machine");
  }
  if (refused || local.empty()) return;
  const std::string who = local.size() == 1 ? "node '" + names[0] + "' needs" : "the nodes on this machine (" +
                                                                                   join(names) + ") together need";
  if (sum > machine.total)
    out.errors.push_back("not enough memory: " + who + " about " + format_bytes(sum) + " but this machine has " +
                         format_bytes(machine.total) + " (MemTotal); move some of them to another machine");
  else if (sum > machine.available)
    out.warnings.push_back(who + " about " + format_bytes(sum) + " but only " + format_bytes(machine.available) +
                           " of this machine's " + format_bytes(machine.total) + " is available now (MemAvailable)");
}

}  // namespace

MemoryCheck check_memory(const Topology& t, const std::vector<NodeMemory>& estimate,
                         const std::optional<MachineMemory>& machine,
                         const std::function<bool(std::string_view host)>& is_local) {
  MemoryCheck out;
  std::vector<const NodeMemory*> local;
  for (std::size_t i = 0; i < estimate.size() && i < t.nodes.size(); ++i) {
    const NodeMemory& m = estimate[i];
    if (is_local(t.nodes[i].host)) {
      local.push_back(&m);
    } else if (m.total_bytes() > kRemoteWarnBytes) {
      out.warnings.push_back("node '" + m.id + "' on host " + t.nodes[i].host + " needs about " +
                             format_bytes(m.total_bytes()) + " (" + breakdown(m) +
                             "); that machine cannot be checked from here: make sure it has that much");
    }
  }
  if (machine)
    check_local(local, *machine, out);
  else if (!local.empty())
    out.warnings.push_back("cannot read /proc/meminfo: the memory of the nodes on this machine is not checked");
  return out;
}

}  // namespace p3p::topology
