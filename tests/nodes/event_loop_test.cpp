// The event loop's wait (event_loop.cpp reads each socket's events once and sleeps in one poll()): it must
// still wake for every message and fd, and serve what a handler left behind without a new signal.
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <future>
#include <thread>
#include <zmq.hpp>

#include "nodes/loop/event_loop.hpp"
#include "tests/support/poll.hpp"

using namespace p3p;
using namespace std::chrono_literals;

namespace {

struct Pair {
  zmq::context_t context{1};
  zmq::socket_t loop_end{context, zmq::socket_type::pair};
  zmq::socket_t other_end{context, zmq::socket_type::pair};
  Pair() {
    loop_end.bind("inproc://event-loop-test");
    other_end.connect("inproc://event-loop-test");
  }
};

}  // namespace

TEST_CASE("the event loop wakes for a message sent while it sleeps, one at a time, and for a readable fd") {
  Pair p;
  runtime::EventLoop loop;
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  int messages = 0;
  bool fd_read = false;
  // One message per turn, so the rest wait in the socket with no new signal on its fd.
  loop.add_socket(p.loop_end.handle(), [&] {
    zmq::message_t m;
    if (p.loop_end.recv(m, zmq::recv_flags::dontwait)) ++messages;
    if (messages == 3) {
      char c = 'x';
      REQUIRE(::write(fds[1], &c, 1) == 1);
    }
  });
  loop.add_fd(fds[0], [&] {
    char c = 0;
    REQUIRE(::read(fds[0], &c, 1) == 1);
    fd_read = true;
    loop.stop();
  });
  loop.every(5000ms, [&] { loop.stop(); });  // the bound, should a wake-up be lost
  // The messages go once the loop has made its first turn, so they usually meet it asleep in poll() (a
  // turn still running must work too).
  std::promise<void> turning;
  loop.at(runtime::Clock::now(), [&] { turning.set_value(); });
  std::thread sender([&, turned = turning.get_future()] {
    if (turned.wait_for(5s) != std::future_status::ready) return;
    for (int i = 0; i < 3; ++i) p.other_end.send(zmq::str_buffer("m"), zmq::send_flags::none);
  });
  const auto start = std::chrono::steady_clock::now();
  loop.run();
  sender.join();
  ::close(fds[0]);
  ::close(fds[1]);
  CHECK(messages == 3);
  CHECK(fd_read);
  CHECK(std::chrono::steady_clock::now() - start < 4s);
}

TEST_CASE("the event loop serves a socket that a handler of another socket sent to and read from") {
  Pair a;
  zmq::socket_t b_loop{a.context, zmq::socket_type::pair};
  zmq::socket_t b_other{a.context, zmq::socket_type::pair};
  b_loop.bind("inproc://event-loop-test-b");
  b_other.connect("inproc://event-loop-test-b");
  runtime::EventLoop loop;
  std::atomic<int> echoed = 0;
  // a's handler answers on b's far end; b's message must be served although a's handler ran last.
  loop.add_socket(a.loop_end.handle(), [&] {
    zmq::message_t m;
    while (a.loop_end.recv(m, zmq::recv_flags::dontwait)) b_other.send(zmq::str_buffer("echo"), zmq::send_flags::none);
  });
  loop.add_socket(b_loop.handle(), [&] {
    zmq::message_t m;
    while (b_loop.recv(m, zmq::recv_flags::dontwait)) ++echoed;
    if (echoed == 5) loop.stop();
  });
  loop.every(5000ms, [&] { loop.stop(); });
  // One message at a time, the next once the last was echoed: each meets a loop that had nothing to do.
  std::thread sender([&] {
    for (int i = 0; i < 5; ++i) {
      a.other_end.send(zmq::str_buffer("m"), zmq::send_flags::none);
      if (!test::poll_until([&] { return echoed.load() > i; }, 4000ms, 1ms)) return;
    }
  });
  const auto start = std::chrono::steady_clock::now();
  loop.run();
  sender.join();
  CHECK(echoed == 5);
  CHECK(std::chrono::steady_clock::now() - start < 4s);
}
