#include "bus/poll.hpp"

#include <cerrno>

namespace p3p::bus {

int PollSet::wait(std::chrono::milliseconds timeout) {
  for (auto& item : items_) item.revents = 0;
  try {
    return zmq::poll(items_, timeout);
  } catch (const zmq::error_t& e) {
    if (e.num() == EINTR) return 0;
    throw;
  }
}

}  // namespace p3p::bus
