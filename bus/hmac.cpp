// The SHA-256 states are OpenSSL's plain SHA256_CTX structs: copying one is a memcpy, where the EVP digest
// API allocates a provider context on every copy. That API is marked deprecated in OpenSSL 3 (but kept and
// supported through 3.x); it is used only here, for speed, and checked against EVP_Q_mac in the tests.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "bus/hmac.hpp"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <array>
#include <stdexcept>

namespace p3p::bus {
namespace {

constexpr std::size_t kBlock = 64;  // SHA-256 block size

// RFC 2104: a key longer than the block is replaced by its hash; shorter ones are zero-padded.
std::array<std::uint8_t, kBlock> key_block_of(ByteView key) {
  std::array<std::uint8_t, kBlock> block{};
  if (key.size() <= kBlock) {
    std::copy(key.begin(), key.end(), block.begin());
  } else {
    SHA256(key.data(), key.size(), block.data());
  }
  return block;
}

// A SHA-256 state that has absorbed one block: the padded key XOR `pad`.
SHA256_CTX absorb_pad(const std::array<std::uint8_t, kBlock>& key_block, std::uint8_t pad) {
  std::array<std::uint8_t, kBlock> block{};
  for (std::size_t i = 0; i < kBlock; ++i) block[i] = key_block[i] ^ pad;
  SHA256_CTX ctx;
  const bool ok = SHA256_Init(&ctx) == 1 && SHA256_Update(&ctx, block.data(), kBlock) == 1;
  OPENSSL_cleanse(block.data(), block.size());
  if (!ok) throw std::runtime_error("OpenSSL: cannot key HMAC-SHA256");
  return ctx;
}

}  // namespace

struct HmacSha256::States {
  SHA256_CTX inner;  // after absorbing K ^ ipad
  SHA256_CTX outer;  // after absorbing K ^ opad
};

void HmacSha256::StatesFree::operator()(States* s) const {
  OPENSSL_cleanse(s, sizeof *s);
  delete s;
}

HmacSha256::HmacSha256(ByteView key) {
  if (key.empty()) throw std::invalid_argument("HMAC key must not be empty");
  auto key_block = key_block_of(key);
  states_.reset(new States{absorb_pad(key_block, 0x36), absorb_pad(key_block, 0x5c)});
  OPENSSL_cleanse(key_block.data(), key_block.size());
}

HmacSha256::HmacSha256(const HmacSha256& other) : states_(new States(*other.states_)) {}

HmacSha256& HmacSha256::operator=(const HmacSha256& other) {
  if (this != &other) *this = HmacSha256(other);
  return *this;
}

bool HmacSha256::mac_into(ByteView data, Mac& out) const {
  std::array<std::uint8_t, kMacBytes> inner_hash{};
  // HMAC = H((K^opad) || H((K^ipad) || data)), each H resuming from a precomputed state.
  SHA256_CTX work = states_->inner;
  bool ok = SHA256_Update(&work, data.data(), data.size()) == 1 && SHA256_Final(inner_hash.data(), &work) == 1;
  work = states_->outer;
  ok = ok && SHA256_Update(&work, inner_hash.data(), inner_hash.size()) == 1 && SHA256_Final(out.data(), &work) == 1;
  OPENSSL_cleanse(&work, sizeof work);
  return ok;
}

Mac HmacSha256::compute(ByteView data) {
  Mac out{};
  if (!mac_into(data, out)) throw std::runtime_error("OpenSSL: HMAC-SHA256 computation failed");
  return out;
}

bool HmacSha256::verify(ByteView data, ByteView mac) {
  if (mac.size() != kMacBytes) return false;
  Mac expected{};
  return mac_into(data, expected) && CRYPTO_memcmp(expected.data(), mac.data(), kMacBytes) == 0;
}

}  // namespace p3p::bus
