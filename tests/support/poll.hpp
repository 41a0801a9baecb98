#pragma once
// Waiting for a condition the product shows only by polling (a status field, a line in a file): looks every
// `every` until `done()` holds or `limit` has passed, and says which. Bounded in time, not in tries, so a
// loaded machine (slow looks) does not shorten the wait.
#include <chrono>
#include <thread>

namespace p3p::test {

template <class Done>
bool poll_until(Done done, std::chrono::milliseconds limit, std::chrono::milliseconds every = std::chrono::milliseconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(every);
  }
  return true;
}

}  // namespace p3p::test
