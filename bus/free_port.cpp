#include "bus/free_port.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>

namespace p3p::bus {

int free_loopback_port() {
  constexpr int kLow = 20000, kBlocks = 600, kBlockSize = 20;
  static int next = kLow + static_cast<int>(getpid() % kBlocks) * kBlockSize;
  for (int attempt = 0; attempt < kBlocks * kBlockSize; ++attempt) {
    const int port = next;
    next = next + 1 >= kLow + kBlocks * kBlockSize ? kLow : next + 1;
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    const bool free = fd >= 0 && bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    if (fd >= 0) close(fd);
    if (free) return port;
  }
  return 0;
}

}  // namespace p3p::bus
