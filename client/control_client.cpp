#include "client/control_client.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace p3p::control {

Expected<ControlEndpoint, std::string> parse_endpoint(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return unexpected("endpoint '" + text + "' is not HOST:PORT");
  char* end = nullptr;
  const long port = std::strtol(text.c_str() + colon + 1, &end, 10);
  if (*end != '\0' || port < 1 || port > 65535) return unexpected("endpoint '" + text + "' has no valid port");
  return ControlEndpoint{text.substr(0, colon), static_cast<int>(port), std::nullopt};
}

Expected<nlohmann::json, std::string> call_control(const ControlEndpoint& at, const nlohmann::json& request) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string where = at.host + ":" + std::to_string(at.port);
  if (getaddrinfo(at.host == "localhost" ? "127.0.0.1" : at.host.c_str(), std::to_string(at.port).c_str(), &hints, &found) != 0)
    return unexpected("cannot resolve " + where);
  int fd = -1;
  for (addrinfo* a = found; a && fd < 0; a = a->ai_next) {
    fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd >= 0 && connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
      ::close(fd);
      fd = -1;
    }
  }
  freeaddrinfo(found);
  if (fd < 0) return unexpected("cannot connect to the control port at " + where + ": " + std::strerror(errno) + " (is the cluster up?)");
  nlohmann::json line = request;
  if (at.token) line["token"] = *at.token;
  const std::string out = line.dump() + "\n";
  for (std::size_t sent = 0; sent < out.size();) {
    const ssize_t n = ::send(fd, out.data() + sent, out.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) {
      ::close(fd);
      return unexpected("the control port at " + where + " closed the connection");
    }
    sent += static_cast<std::size_t>(n);
  }
  std::string in;
  char buf[65536];
  while (in.find('\n') == std::string::npos) {  // long commands answer when done: no read timeout
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) {
      ::close(fd);
      return unexpected("the control port at " + where + " closed the connection without an answer");
    }
    in.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  auto reply = nlohmann::json::parse(in.substr(0, in.find('\n')), nullptr, false);
  if (reply.is_discarded() || !reply.is_object()) return unexpected("the control port at " + where + " answered something that is not JSON");
  return reply;
}

}  // namespace p3p::control
