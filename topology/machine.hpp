#pragma once
// The machine this process runs on, as far as placing nodes goes: its memory, and whether a node's host
// names it. Read from /proc, so Linux only (elsewhere the memory is unknown and nothing is checked).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string_view>

namespace p3p::topology {

struct MachineMemory {
  std::uint64_t total = 0;      // MemTotal: what the machine has
  std::uint64_t available = 0;  // MemAvailable: what can be had now without swapping
};

// From /proc/meminfo (or another file of its format, for tests); nullopt when it cannot be read.
std::optional<MachineMemory> machine_memory(const std::filesystem::path& meminfo = "/proc/meminfo");

// Whether a node bound to `host` runs here: a loopback address (127.x.x.x, localhost, ::1) or this
// machine's host name.
bool is_local_host(std::string_view host);

}  // namespace p3p::topology
