#pragma once
// A growing byte buffer msgpack-c's packer can write to (it wants write(const char*, size_t)).
// resize + memcpy rather than insert(): GCC 12 misreports insert of a char range as an overflow.
#include <cstring>

#include "bus/bytes.hpp"

namespace p3p::bus {

struct ByteSink {
  Bytes* out;
  void write(const char* data, std::size_t size) {
    if (size == 0) return;  // an empty bin's body may be a null pointer: not memcpy's
    const std::size_t at = out->size();
    out->resize(at + size);
    std::memcpy(out->data() + at, data, size);
  }
};

}  // namespace p3p::bus
