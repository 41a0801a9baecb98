#pragma once
// SIGTERM/SIGINT as a readable file descriptor (signalfd), so the event loop handles a stop request like
// any other input - no async-signal-unsafe work in a handler, and the current epoch can finish first.
// Construct it FIRST in main, before any thread (the ZeroMQ context starts I/O threads): the signals are
// blocked in the calling thread and every thread started after inherits the mask.
namespace p3p::runtime {

// What ends a node's loop (Node::run): a file descriptor that becomes readable, and reading it. p3p-node
// uses the process's signals; a test running nodes in its own threads stops each one with a handle of its own.
class StopSource {
 public:
  virtual ~StopSource() = default;
  virtual int fd() const = 0;
  // Reads the pending stop; returns the signal it stands for (0 if none).
  virtual int take() = 0;
};

class StopSignals final : public StopSource {
 public:
  StopSignals();
  ~StopSignals() override;
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  int fd() const override { return fd_; }
  // Reads the pending signal; returns its number (0 if none).
  int take() override;

 private:
  int fd_ = -1;
};

}  // namespace p3p::runtime
