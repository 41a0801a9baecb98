#include "bus/outbox.hpp"

#include <openssl/rand.h>

#include <cstring>
#include <stdexcept>
#include <utility>

namespace p3p::bus {

std::uint64_t random_boot_id() {
  unsigned char bytes[8];
  if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("OpenSSL RAND_bytes failed (CSPRNG not seeded)");
  std::uint64_t id = 0;
  std::memcpy(&id, bytes, sizeof id);
  return id;
}

Outbox::Outbox(ByteView key, std::string cluster_id, std::string sender)
    : Outbox(key, std::move(cluster_id), std::move(sender), random_boot_id(), 1) {}

Outbox::Outbox(ByteView key, std::string cluster_id, std::string sender, std::uint64_t boot_id,
               std::uint64_t first_seq)
    : hmac_(key),
      cluster_id_(std::move(cluster_id)),
      sender_(std::move(sender)),
      boot_id_(boot_id),
      next_seq_(first_seq) {}

Expected<std::uint64_t, WireError> Outbox::seal(const Destination& to, ByteView body, std::uint64_t now_ns,
                                                Bytes& out) {
  EnvelopeView env;
  env.cluster_id = cluster_id_;
  env.sender = sender_;
  env.target_node = to.node;
  env.target_module = to.module;
  env.kind = to.kind;
  env.seq = next_seq_;
  env.boot_id = boot_id_;
  env.timestamp_ns = now_ns;
  env.body = body;
  auto mac = encode_frame(env, hmac_, out);
  if (!mac) return unexpected(mac.error());
  if (++next_seq_ == 0) {
    // 2^64 messages later (or a test that started near the top): a new stream, so receivers never see
    // the counter go backwards within one boot.
    boot_id_ = random_boot_id();
    next_seq_ = 1;
  }
  return env.seq;
}

}  // namespace p3p::bus
