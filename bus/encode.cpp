// Encoding: msgpack-c's packer writes every field; we only choose the order and the buffer. The frame is
// written in one pass into the caller's buffer: its length is computed first (U's length decides the size
// of U's bin header), then U is packed in place and MACed where it lies - no temporary copy of U, and
// no allocation once the caller's buffer has grown to its working size.
#include <msgpack.hpp>

#include <cstring>
#include <limits>
#include <stdexcept>

#include "bus/codec.hpp"
#include "bus/utf8.hpp"

namespace p3p::bus {
namespace {

// The packer hands over a few bytes at a time (a tag, a length, a short name). A libc memcpy call per piece
// costs more than the copy, so pieces up to 16 bytes are copied with fixed-size (hence inlined) moves;
// overlapping the two halves covers every length without a loop.
inline void copy_small(std::uint8_t* dst, const char* src, std::size_t n) {
  if (n >= 8 && n <= 16) {
    std::memcpy(dst, src, 8);
    std::memcpy(dst + n - 8, src + n - 8, 8);
  } else if (n >= 4 && n < 8) {
    std::memcpy(dst, src, 4);
    std::memcpy(dst + n - 4, src + n - 4, 4);
  } else if (n > 16) {
    std::memcpy(dst, src, n);
  } else {
    for (std::size_t i = 0; i < n; ++i) dst[i] = static_cast<std::uint8_t>(src[i]);
  }
}

// msgpack-c's packer writes to any type with write(const char*, size_t). This one writes into a buffer
// already sized to the exact frame length (computed below), so packing never reallocates; running past
// the end would mean the size arithmetic disagrees with the packer - a bug, reported loudly.
class SizedStream {
 public:
  SizedStream(std::uint8_t* begin, std::uint8_t* end) : p_(begin), end_(end) {}
  void write(const char* data, std::size_t size) {
    if (size > static_cast<std::size_t>(end_ - p_)) throw std::logic_error("bus encoder: frame size mis-computed");
    copy_small(p_, data, size);
    p_ += size;
  }
  bool full() const { return p_ == end_; }

 private:
  std::uint8_t* p_;
  std::uint8_t* end_;
};

// Sizes of the shortest msgpack forms, which is what msgpack-c's packer writes.
std::size_t uint_size(std::uint64_t v) {
  if (v < 128) return 1;
  if (v <= 0xff) return 2;
  if (v <= 0xffff) return 3;
  if (v <= 0xffffffff) return 5;
  return 9;
}
std::size_t str_size(std::size_t n) { return (n < 32 ? 1 : n < 256 ? 2 : n < 65536 ? 3 : 5) + n; }
std::size_t bin_size(std::size_t n) { return (n < 256 ? 2 : n < 65536 ? 3 : 5) + n; }

std::size_t unsigned_size(const EnvelopeView& e) {
  return 1 /* fixarray of 10 */ + uint_size(e.version) + str_size(e.cluster_id.size()) +
         str_size(e.sender.size()) + str_size(e.target_node.size()) + str_size(e.target_module.size()) +
         str_size(e.kind.size()) + uint_size(e.seq) + uint_size(e.boot_id) + uint_size(e.timestamp_ns) +
         bin_size(e.body.size());
}

bool valid_name(std::string_view s) { return s.size() <= kMaxNameBytes && is_valid_utf8(s); }

const char* invalid_field(const EnvelopeView& e) {
  if (!valid_name(e.cluster_id)) return "cluster_id is longer than 255 bytes or not UTF-8";
  if (!valid_name(e.sender)) return "sender is longer than 255 bytes or not UTF-8";
  if (!valid_name(e.target_node)) return "target_node is longer than 255 bytes or not UTF-8";
  if (!valid_name(e.target_module)) return "target_module is longer than 255 bytes or not UTF-8";
  if (!valid_name(e.kind)) return "kind is longer than 255 bytes or not UTF-8";
  // msgpack's bin32 is the largest container: U itself (body plus at most ~1.3 KiB of fields) must fit.
  if (e.body.size() > std::numeric_limits<std::uint32_t>::max() - 4096) return "body is larger than 4 GiB";
  return nullptr;
}

template <class Packer>
[[gnu::always_inline]] inline void pack_str(Packer& pk, std::string_view s) {
  pk.pack_str(static_cast<std::uint32_t>(s.size()));
  pk.pack_str_body(s.data(), static_cast<std::uint32_t>(s.size()));
}

template <class Packer>
[[gnu::always_inline]] inline void pack_bin(Packer& pk, ByteView b) {
  pk.pack_bin(static_cast<std::uint32_t>(b.size()));
  pk.pack_bin_body(reinterpret_cast<const char*>(b.data()), static_cast<std::uint32_t>(b.size()));
}

[[gnu::always_inline]] inline void pack_unsigned(msgpack::packer<SizedStream>& pk, const EnvelopeView& e) {
  pk.pack_array(static_cast<std::uint32_t>(kUnsignedFieldCount));
  pk.pack_uint32(e.version);
  pack_str(pk, e.cluster_id);
  pack_str(pk, e.sender);
  pack_str(pk, e.target_node);
  pack_str(pk, e.target_module);
  pack_str(pk, e.kind);
  pk.pack_uint64(e.seq);
  pk.pack_uint64(e.boot_id);
  pk.pack_uint64(e.timestamp_ns);
  pack_bin(pk, e.body);
}

// Sizes `out` for a frame whose U is `u_size` bytes and writes its head: the array of 2 and U's bin header.
// Returns the offset where U goes.
std::size_t start_frame(std::size_t u_size, Bytes& out) {
  const std::size_t head = 1 + bin_size(u_size) - u_size;
  out.resize(head + u_size + bin_size(kMacBytes));
  SizedStream stream(out.data(), out.data() + head);
  msgpack::packer<SizedStream> pk(stream);
  pk.pack_array(2);
  pk.pack_bin(static_cast<std::uint32_t>(u_size));
  return head;
}

// MACs out[u_begin, u_begin + u_size) and writes bin(MAC) after it, at the end of `out`.
Mac finish_frame(std::size_t u_begin, std::size_t u_size, HmacSha256& hmac, Bytes& out) {
  const Mac mac = hmac.compute(ByteView(out.data() + u_begin, u_size));
  SizedStream stream(out.data() + u_begin + u_size, out.data() + out.size());
  msgpack::packer<SizedStream> pk(stream);
  pack_bin(pk, ByteView(mac));
  if (!stream.full()) throw std::logic_error("bus encoder: frame size mis-computed");
  return mac;
}

}  // namespace

void append_unsigned(const EnvelopeView& e, Bytes& out) {
  const std::size_t begin = out.size();
  out.resize(begin + unsigned_size(e));
  SizedStream stream(out.data() + begin, out.data() + out.size());
  msgpack::packer<SizedStream> pk(stream);
  pack_unsigned(pk, e);
  if (!stream.full()) throw std::logic_error("bus encoder: unsigned size mis-computed");
}

Expected<Mac, WireError> encode_frame(const EnvelopeView& env, HmacSha256& hmac, Bytes& out) {
  if (const char* why = invalid_field(env)) return unexpected(WireError{Reason::malformed, why});
  const std::size_t u_size = unsigned_size(env);
  const std::size_t u_begin = start_frame(u_size, out);
  SizedStream stream(out.data() + u_begin, out.data() + u_begin + u_size);
  msgpack::packer<SizedStream> pk(stream);
  pack_unsigned(pk, env);
  if (!stream.full()) throw std::logic_error("bus encoder: unsigned size mis-computed");
  return finish_frame(u_begin, u_size, hmac, out);
}

Mac frame_unsigned(ByteView u, HmacSha256& hmac, Bytes& out) {
  if (u.size() > std::numeric_limits<std::uint32_t>::max()) throw std::length_error("unsigned part exceeds 4 GiB");
  const std::size_t u_begin = start_frame(u.size(), out);
  if (!u.empty()) std::memcpy(out.data() + u_begin, u.data(), u.size());
  return finish_frame(u_begin, u.size(), hmac, out);
}

}  // namespace p3p::bus
