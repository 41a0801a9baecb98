// The strict msgpack reader every wire decoder is built on (bus/msgpack_reader.hpp), read to the end of
// the input one item at a time. Its promises are checked on every step: a refused read does not move, an
// accepted one moves forward, views stay inside the input, an array never claims more items than bytes
// left; and every scalar it accepts is what msgpack-c makes of the same bytes (a second, independent decoder).
#include <msgpack.hpp>

#include "bus/msgpack_reader.hpp"
#include "fuzz/fuzz_input.hpp"

using namespace p3p;

namespace {

// msgpack-c's reading of exactly the bytes [from, from + n): one whole object, nothing left over.
msgpack::object_handle reference(const std::uint8_t* from, std::size_t n) {
  std::size_t offset = 0;
  auto handle = msgpack::unpack(reinterpret_cast<const char*>(from), n, offset);
  fuzz::require(offset == n, "msgpack-c read a different length");
  return handle;
}

bool inside(const std::uint8_t* p, std::size_t n, bus::ByteView in) {
  return n == 0 || (p >= in.data() && p + n <= in.data() + in.size());
}

// One item at the reader's position; false when no method accepts it.
bool step(bus::StrictReader& r, bus::ByteView in) {
  const std::size_t before = r.remaining();
  const std::uint8_t* at = in.data() + (in.size() - before);
  std::uint32_t count = 0;
  std::uint64_t value = 0;
  std::string_view s;
  bus::ByteView b;
  if (r.array_header(count)) {
    fuzz::require(count <= r.remaining(), "an array claims more items than bytes left");
  } else if (r.uint(value)) {
    const auto h = reference(at, before - r.remaining());
    fuzz::require(h->type == msgpack::type::POSITIVE_INTEGER && h->via.u64 == value, "uint differs from msgpack-c");
  } else if (r.str(s)) {
    fuzz::require(inside(reinterpret_cast<const std::uint8_t*>(s.data()), s.size(), in), "str outside the input");
    const auto h = reference(at, before - r.remaining());
    fuzz::require(h->type == msgpack::type::STR && h->via.str.size == s.size(), "str differs from msgpack-c");
  } else if (r.bin(b)) {
    fuzz::require(inside(b.data(), b.size(), in), "bin outside the input");
    const auto h = reference(at, before - r.remaining());
    fuzz::require(h->type == msgpack::type::BIN && h->via.bin.size == b.size(), "bin differs from msgpack-c");
  } else {
    fuzz::require(r.remaining() == before, "a refused read moved the reader");
    return false;
  }
  fuzz::require(r.remaining() < before, "an accepted read did not move the reader");
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const bus::ByteView in = fuzz::bytes(data, size);
  bus::StrictReader r(in);
  while (!r.at_end() && step(r, in)) {
  }
  return 0;
}
