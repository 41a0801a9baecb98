#pragma once
// Whether anything listens on a TCP port, asked without ZeroMQ: a ZeroMQ connect to a closed port does not
// fail, it retries until the request's timeout, so `p3pctl status` spent 800 ms per stopped node (2.5 s for
// the default cluster with nothing running). A refused TCP connect answers in microseconds on this host.
#include <chrono>
#include <string>

namespace p3p::control {

enum class PortProbe {
  listening,  // the connection was accepted
  refused,    // nothing listens there (a node that is down)
  unknown     // no answer in time, or the host does not resolve: ask the normal way
};

PortProbe probe_port(const std::string& host, int port, std::chrono::milliseconds timeout);

}  // namespace p3p::control
