#pragma once
// SIGTERM/SIGINT as a readable file descriptor (signalfd), so the event loop handles a stop request like
// any other input - no async-signal-unsafe work in a handler, and the current epoch can finish first.
// Construct it FIRST in main, before any thread (the ZeroMQ context starts I/O threads): the signals are
// blocked in the calling thread and every thread started after inherits the mask.
namespace p3p::runtime {

class StopSignals {
 public:
  StopSignals();
  ~StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  int fd() const { return fd_; }
  // Reads the pending signal; returns its number (0 if none).
  int take();

 private:
  int fd_ = -1;
};

}  // namespace p3p::runtime
