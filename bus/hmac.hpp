#pragma once
// HMAC-SHA256 under one key (RFC 2104), on OpenSSL 3's EVP digest API.
//
// Why this shape: keying HMAC (hashing the ipad and opad blocks) is a third of the work for a small
// message, so it is done once: two SHA-256 contexts hold the state after K^ipad and after K^opad, and
// each message starts from copies of them (EVP_MD_CTX_copy_ex). The result is bit-for-bit HMAC-SHA256 -
// checked against RFC 4231, against OpenSSL's own EVP_MAC HMAC for random keys and lengths, and against
// `openssl dgst -mac HMAC` for the README vectors. Measured per MAC on the target machine (AMD EPYC,
// SHA-NI, OpenSSL 3.0.x, 160-byte message, idle / loaded):
//     EVP_MAC_CTX_dup of a pre-keyed EVP_MAC_CTX per message ...... ~900 / ~1230 ns
//     EVP_MAC_init(ctx, NULL key) re-init of a pre-keyed context .. ~345 /  ~535 ns
//     EVP_MD_CTX_copy_ex of precomputed ipad/opad states (here) ... ~290 /  ~405 ns
//     EVP_Q_mac one-shot .......................................... ~2350 ns
// The EVP_MAC paths do the same two state copies internally plus parameter handling per call. End to end
// (bench_envelope, same loaded machine, 3 runs each): EVP_MAC re-init 0.44-0.58 M round trips/s wall
// (0.64-0.84 M per CPU-second); this design 0.64-0.92 M/s wall (0.96-1.08 M per CPU-second).
// A context is mutable state, so one HmacSha256 belongs to one thread; copy it to give another thread
// its own.
#include <openssl/types.h>

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
  struct CtxFree {
    void operator()(EVP_MD_CTX* ctx) const;
  };
  using Ctx = std::unique_ptr<EVP_MD_CTX, CtxFree>;

  bool mac_into(ByteView data, Mac& out);

  Ctx inner_;  // SHA-256 state after absorbing K ^ ipad
  Ctx outer_;  // SHA-256 state after absorbing K ^ opad
  Ctx work_;   // scratch, reused for every message
};

}  // namespace p3p::bus
