// A control-port connection's bookkeeping, without sockets: lines split from bytes however they arrive,
// the clocks of the timeouts, overlong lines, and the last line of a half-closed client.
#include <catch2/catch.hpp>

#include "nodes/control/port_connection.hpp"

using namespace p3p::control;

namespace {
const PortClock::time_point t0{};
PortClock::time_point at(int ms) { return t0 + std::chrono::milliseconds(ms); }
}  // namespace

TEST_CASE("port connection: lines are split however the bytes arrive, blank lines are no request and no progress") {
  PortConnection c(1, -1, at(0));
  c.receive("{\"cmd\"", at(10));
  CHECK(c.lines.empty());
  CHECK(c.line_started == at(10));
  c.receive(": \"status\"}\r\n\n  \n{\"cmd\": \"echo\"}\n{\"par", at(20));
  REQUIRE(c.lines.size() == 2);
  CHECK(c.lines[0] == "{\"cmd\": \"status\"}");  // the \r of a CRLF dropped
  CHECK(c.lines_bytes == c.lines[0].size() + c.lines[1].size());
  CHECK(c.in == "{\"par");
  CHECK(c.line_started == at(20));
  CHECK(c.last_progress == at(20));
  c.receive("\n \n", at(30));  // "{"par" completes; the blank line after it changes nothing
  CHECK(c.lines.size() == 3);
  CHECK(c.last_progress == at(30));
  c.receive("\n\n", at(40));
  CHECK(c.last_progress == at(30));
  CHECK(*c.next_line() == "{\"cmd\": \"status\"}");
  CHECK(c.held() == c.lines[0].size() + c.lines[1].size());
}

TEST_CASE("port connection: a line past the limit, with or without its newline, is overlong and the rest discarded") {
  PortConnection whole(1, -1, at(0));
  whole.receive("{\"cmd\": \"status\"}\n" + std::string(kMaxLineBytes + 1, 'x') + "\n{\"cmd\": \"status\"}\n", at(1));
  CHECK(whole.overlong);
  CHECK(whole.lines.size() == 1);  // the line before it is still served
  PortConnection unfinished(2, -1, at(0));
  for (std::size_t sent = 0; sent <= kMaxLineBytes; sent += 65536) unfinished.receive(std::string(65536, 'x'), at(1));
  CHECK(unfinished.overlong);
  CHECK(unfinished.in.empty());
  unfinished.receive("\n{\"cmd\": \"status\"}\n", at(2));
  CHECK(unfinished.lines.empty());
  CHECK(unfinished.held() == 0);
}

TEST_CASE("port connection: at the end of input a last line without its newline still counts") {
  PortConnection c(1, -1, at(0));
  c.receive("{\"cmd\": \"status\"}\n{\"cmd\": \"echo\"}", at(1));
  c.end_of_input(at(2));
  CHECK(c.peer_closed);
  REQUIRE(c.lines.size() == 2);
  CHECK(c.lines[1] == "{\"cmd\": \"echo\"}");
  PortConnection blank(2, -1, at(0));
  blank.receive("  ", at(1));
  blank.end_of_input(at(2));
  CHECK(blank.lines.empty());
}
