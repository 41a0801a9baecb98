#include "topology/machine.hpp"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>
#include <string>

namespace p3p::topology {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

}  // namespace

std::optional<MachineMemory> machine_memory(const std::filesystem::path& meminfo) {
  std::ifstream in(meminfo);
  MachineMemory m;
  bool total = false, available = false;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string name, unit;
    std::uint64_t kib = 0;
    if (!(fields >> name >> kib)) continue;
    if (name == "MemTotal:") {
      m.total = kib * 1024;
      total = true;
    } else if (name == "MemAvailable:") {
      m.available = kib * 1024;
      available = true;
    }
  }
  if (!total) return std::nullopt;
  if (!available) m.available = m.total;  // kernels before 3.14 do not say
  return m;
}

bool is_local_host(std::string_view host) {
  const std::string h = lower(host);
  if (h == "localhost" || h.rfind("127.", 0) == 0 || h == "::1" || h == "[::1]") return true;
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return false;
  return !h.empty() && h == lower(name);
}

}  // namespace p3p::topology
