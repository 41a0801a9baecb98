#include "nodes/control/port_connection.hpp"

namespace p3p::control {

void PortConnection::receive(std::string_view bytes, PortClock::time_point now) {
  if (overlong || shut) return;  // only waiting to close: the rest is discarded
  if (in.empty() && !bytes.empty()) line_started = now;
  // Only the new bytes are searched for newlines: a line arriving a byte at a time costs no rescans.
  std::size_t start = 0;
  for (std::size_t nl; !overlong && (nl = bytes.find('\n', start)) != std::string_view::npos; start = nl + 1) {
    const std::string_view piece = bytes.substr(start, nl - start);
    if (in.empty()) {
      queue(piece, now);
    } else {
      in.append(piece);
      queue(in, now);
      in.clear();
      if (in.capacity() > kFairShare) in.shrink_to_fit();  // a long line's buffer is not kept for the short ones
    }
    line_started = now;
  }
  if (overlong) return;
  in.append(bytes.substr(start));
  if (in.size() > kMaxLineBytes) {
    overlong = true;
    in.clear();
    in.shrink_to_fit();
  }
}

void PortConnection::end_of_input(PortClock::time_point now) {
  peer_closed = true;
  if (!overlong && !shut && !in.empty()) queue(in, now);
  in.clear();
}

void PortConnection::queue(std::string_view line, PortClock::time_point now) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.size() > kMaxLineBytes) {
    overlong = true;
    return;
  }
  if (line.find_first_not_of(" \t") == std::string_view::npos) return;  // blank: not a request, not progress
  lines.emplace_back(line);
  lines_bytes += line.size();
  last_progress = now;
}

std::optional<std::string> PortConnection::next_line() {
  if (lines.empty()) return std::nullopt;
  std::string line = std::move(lines.front());
  lines.pop_front();
  lines_bytes -= line.size();
  return line;
}

}  // namespace p3p::control
