#pragma once
// HMAC-SHA256 under one key (RFC 2104) on OpenSSL's SHA-256.
//
// Why this shape: keying HMAC (hashing the ipad and opad blocks) is a third of the work for a small
// message, so it is done once: two SHA-256 states hold the state after K^ipad and after K^opad, and each
// message starts from copies of them. The result is bit-for-bit HMAC-SHA256 - checked against RFC 4231,
// against OpenSSL's own EVP_MAC HMAC for random keys and lengths, and against `openssl dgst -mac HMAC` for
// the README vectors. Measured per MAC on the target machine (AMD EPYC, SHA-NI, OpenSSL 3.0.x, 160-byte
// message, idle / loaded):
//     EVP_MAC_CTX_dup of a pre-keyed EVP_MAC_CTX per message ...... ~900 / ~1230 ns
//     EVP_MAC_init(ctx, NULL key) re-init of a pre-keyed context .. ~345 /  ~535 ns
//     EVP_MD_CTX_copy_ex of precomputed ipad/opad states .......... ~290 /  ~405 ns
//     plain SHA256_CTX struct copies of the same states (here) .... ~230 ns
// OpenSSL 3's EVP layer allocates a provider context on every state copy; the SHA256_CTX copy is a memcpy.
// End to end (bench_envelope, interleaved runs on the same loaded machine) the struct copies give 1.19-1.26 M
// round trips per CPU-second against 0.83-0.96 M for EVP_MD_CTX_copy_ex.
// A HmacSha256 is mutable per call only on its stack, but keep one per thread anyway; copy it to share.
#include <memory>

#include "bus/bytes.hpp"
#include "bus/envelope.hpp"

namespace p3p::bus {

class HmacSha256 {
 public:
  // Any key length (RFC 2104: longer than 64 bytes is hashed first). Throws std::invalid_argument for an
  // empty key and std::runtime_error if OpenSSL has no SHA-256 (no default provider): nothing on the
  // wire can work then, so it is not a per-message error.
  explicit HmacSha256(ByteView key);
  HmacSha256(const HmacSha256& other);
  HmacSha256& operator=(const HmacSha256& other);
  HmacSha256(HmacSha256&&) noexcept = default;
  HmacSha256& operator=(HmacSha256&&) noexcept = default;
  ~HmacSha256() = default;

  // MAC of `data`. Throws std::runtime_error only if OpenSSL itself fails.
  Mac compute(ByteView data);
  // True if `mac` is the MAC of `data`. Constant-time comparison (CRYPTO_memcmp); false on any failure.
  bool verify(ByteView data, ByteView mac);

 private:
  struct States;  // the two precomputed SHA-256 states (hmac.cpp)
  struct StatesFree {
    void operator()(States* s) const;
  };
  bool mac_into(ByteView data, Mac& out) const;

  std::unique_ptr<States, StatesFree> states_;
};

}  // namespace p3p::bus
