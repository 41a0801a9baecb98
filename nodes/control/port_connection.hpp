#pragma once
// One client of the control port: the bytes it sent that are not served yet (split into lines), the replies
// it has not taken yet, and the clocks its timeouts run on. No sockets here: control_service.cpp reads and
// writes, this keeps the bookkeeping and the limits every connection shares.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

namespace p3p::control {

using PortClock = std::chrono::steady_clock;

inline constexpr std::size_t kMaxLineBytes = 1 << 20;  // longer: too_large, then the connection closes
// Memory one client can make the node hold. Past these the node stops reading the client (TCP pushes back)
// or stops serving its queued lines until it takes its replies; the bytes of one read (64 KiB) and one reply
// may go over.
inline constexpr std::size_t kMaxInputHeld = 2 * kMaxLineBytes;  // the line being received plus queued lines
inline constexpr std::size_t kMaxQueuedLines = 1024;             // queued lines (many tiny ones cost per line)
inline constexpr std::size_t kMaxOutputHeld = 256 << 10;         // replies not yet taken by the client
// All clients together: past kMaxHeldByAll only clients holding less than kFairShare are read and served,
// so the memory is at most kMaxHeldByAll + max_clients * (2 * kFairShare + one read + one reply): input and
// replies below their fair share each, and one step over it.
inline constexpr std::size_t kMaxHeldByAll = 32u << 20;
inline constexpr std::size_t kFairShare = 64 << 10;

struct PortConnection {
  std::uint64_t id = 0;
  int fd = -1;
  bool reading = true;       // the loop watches the socket (off while over a limit, and after end of input)
  bool peer_closed = false;  // end of input: lines queued are still served and answered, then the node closes
  bool broken = false;       // a socket error: nothing more can be read or written
  bool overlong = false;     // a line went past kMaxLineBytes: the lines before it are served, then too_large
  bool closing = false;      // the last reply is queued: shut down once written
  bool shut = false;         // our side is shut down (FIN sent); the rest of the input is read and discarded
  bool in_flight = false;    // a request is with a worker or waits for a status refresh
  std::string in;            // the line being received
  std::deque<std::string> lines;
  std::size_t lines_bytes = 0;
  std::string out;
  PortClock::time_point line_started;   // first byte of `in`
  PortClock::time_point last_progress;  // accepted, or last complete line received or reply byte taken
  PortClock::time_point shut_at;

  PortConnection(std::uint64_t id_, int fd_, PortClock::time_point now) : id(id_), fd(fd_), last_progress(now) {}

  std::size_t held() const { return in.size() + lines_bytes + out.size(); }
  // Bytes read from the socket: complete lines are queued (blank ones dropped), the rest kept in `in`.
  void receive(std::string_view bytes, PortClock::time_point now);
  // The peer will send no more: a last line without its newline still counts.
  void end_of_input(PortClock::time_point now);
  std::optional<std::string> next_line();

 private:
  void queue(std::string_view line, PortClock::time_point now);
};

}  // namespace p3p::control
