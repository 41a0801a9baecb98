#include "client/port_probe.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

namespace p3p::control {
namespace {

PortProbe probe_address(const addrinfo& a, std::chrono::milliseconds timeout) {
  const int fd = ::socket(a.ai_family, a.ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a.ai_protocol);
  if (fd < 0) return PortProbe::unknown;
  PortProbe result = PortProbe::unknown;
  if (::connect(fd, a.ai_addr, a.ai_addrlen) == 0) {
    result = PortProbe::listening;
  } else if (errno == ECONNREFUSED) {
    result = PortProbe::refused;
  } else if (errno == EINPROGRESS) {
    pollfd p{fd, POLLOUT, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) == 1) {
      int error = 0;
      socklen_t len = sizeof error;
      if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len) == 0)
        result = error == 0 ? PortProbe::listening : error == ECONNREFUSED ? PortProbe::refused : PortProbe::unknown;
    }
  }
  ::close(fd);
  return result;
}

}  // namespace

PortProbe probe_port(const std::string& host, int port, std::chrono::milliseconds timeout) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0) return PortProbe::unknown;
  // The first address is the one a ZeroMQ connect would use too.
  const PortProbe result = found != nullptr ? probe_address(*found, timeout) : PortProbe::unknown;
  ::freeaddrinfo(found);
  return result;
}

}  // namespace p3p::control
