#pragma once
// Outbox: the sending end of the wire for one sender in one thread. Fills in what the sender owns
// (cluster id, sender name, boot id, an incrementing seq, the timestamp) and signs.
//
// One Outbox per sender name per process, or per thread with its own boot id: seq numbers are per
// (sender, boot), so two Outboxes sharing a boot id would replay each other's numbers.
#include <cstdint>
#include <string>
#include <string_view>

#include "bus/clock.hpp"
#include "bus/codec.hpp"
#include "bus/hmac.hpp"

namespace p3p::bus {

// Where an envelope goes and what it is.
struct Destination {
  std::string_view node;    // empty = any receiver (e.g. telemetry on PUB)
  std::string_view module;
  std::string_view kind;
};

// 64 random bits from OpenSSL's CSPRNG (RAND_bytes). Throws std::runtime_error if it is not seeded.
std::uint64_t random_boot_id();

class Outbox {
 public:
  // A fresh random boot id; seq starts at 1.
  Outbox(ByteView key, std::string cluster_id, std::string sender);
  // Explicit boot id and first seq: for tests and the README's reproducible vectors.
  Outbox(ByteView key, std::string cluster_id, std::string sender, std::uint64_t boot_id, std::uint64_t first_seq);

  // Writes one signed frame into `out` (overwritten, capacity reused) and returns the seq it used.
  // Fails (`malformed`, nothing consumed) if a name or the body cannot be encoded.
  Expected<std::uint64_t, WireError> seal(const Destination& to, ByteView body, std::uint64_t now_ns, Bytes& out);
  // Same, stamped with the wall clock.
  Expected<std::uint64_t, WireError> seal(const Destination& to, ByteView body, Bytes& out) {
    return seal(to, body, unix_now_ns(), out);
  }

  std::uint64_t boot_id() const { return boot_id_; }
  std::uint64_t next_seq() const { return next_seq_; }
  const std::string& sender() const { return sender_; }

 private:
  HmacSha256 hmac_;
  std::string cluster_id_;
  std::string sender_;
  std::uint64_t boot_id_;
  std::uint64_t next_seq_;
};

}  // namespace p3p::bus
