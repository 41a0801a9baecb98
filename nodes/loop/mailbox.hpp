#pragma once
// Handing an object to another thread of the same process over an inproc ZeroMQ socket (CZMQ's "p"
// picture): the frame carries the pointer; ownership travels with it. Only for inproc PAIR sockets, whose
// peer is in this process and which never drop a message (they block at the high-water mark).
#include <cstring>
#include <memory>
#include <zmq.hpp>

namespace p3p::runtime {

template <class T>
void post(zmq::socket_t& socket, std::unique_ptr<T> object) {
  T* raw = object.release();
  zmq::message_t frame(sizeof raw);
  std::memcpy(frame.data(), &raw, sizeof raw);
  socket.send(frame, zmq::send_flags::none);
}

// nullptr when nothing is waiting (dont_wait) or the frame is not a pointer.
template <class T>
std::unique_ptr<T> take(zmq::socket_t& socket, zmq::recv_flags flags = zmq::recv_flags::dontwait) {
  zmq::message_t frame;
  if (!socket.recv(frame, flags) || frame.size() != sizeof(T*)) return nullptr;
  T* raw = nullptr;
  std::memcpy(&raw, frame.data(), sizeof raw);
  return std::unique_ptr<T>(raw);
}

}  // namespace p3p::runtime
