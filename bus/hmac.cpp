#include "bus/hmac.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <array>
#include <stdexcept>

namespace p3p::bus {
namespace {

constexpr std::size_t kBlock = 64;  // SHA-256 block size

struct MdFree {
  void operator()(EVP_MD* md) const { EVP_MD_free(md); }
};
using Md = std::unique_ptr<EVP_MD, MdFree>;

Md fetch_sha256() {
  Md md(EVP_MD_fetch(nullptr, "SHA256", nullptr));
  if (!md) throw std::runtime_error("OpenSSL: SHA-256 is not available (EVP_MD_fetch failed)");
  return md;
}

EVP_MD_CTX* new_ctx() {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (ctx == nullptr) throw std::runtime_error("OpenSSL: EVP_MD_CTX_new failed");
  return ctx;
}

// A SHA-256 context that has absorbed one block: the padded key XOR `pad`.
EVP_MD_CTX* absorb_pad(const EVP_MD* md, const std::array<std::uint8_t, kBlock>& key_block, std::uint8_t pad) {
  std::array<std::uint8_t, kBlock> block{};
  for (std::size_t i = 0; i < kBlock; ++i) block[i] = key_block[i] ^ pad;
  EVP_MD_CTX* ctx = new_ctx();
  const bool ok = EVP_DigestInit_ex2(ctx, md, nullptr) == 1 && EVP_DigestUpdate(ctx, block.data(), kBlock) == 1;
  OPENSSL_cleanse(block.data(), block.size());
  if (!ok) {
    EVP_MD_CTX_free(ctx);
    throw std::runtime_error("OpenSSL: cannot key HMAC-SHA256");
  }
  return ctx;
}

// RFC 2104: a key longer than the block is replaced by its hash; shorter ones are zero-padded.
std::array<std::uint8_t, kBlock> key_block_of(const EVP_MD* md, ByteView key) {
  std::array<std::uint8_t, kBlock> block{};
  if (key.size() <= kBlock) {
    std::copy(key.begin(), key.end(), block.begin());
  } else if (EVP_Digest(key.data(), key.size(), block.data(), nullptr, md, nullptr) != 1) {
    throw std::runtime_error("OpenSSL: cannot hash the HMAC key");
  }
  return block;
}

EVP_MD_CTX* duplicate(const EVP_MD_CTX* ctx) {
  EVP_MD_CTX* copy = new_ctx();
  if (EVP_MD_CTX_copy_ex(copy, ctx) != 1) {
    EVP_MD_CTX_free(copy);
    throw std::runtime_error("OpenSSL: EVP_MD_CTX_copy_ex failed");
  }
  return copy;
}

}  // namespace

void HmacSha256::CtxFree::operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }  // cleanses the state

HmacSha256::HmacSha256(ByteView key) {
  if (key.empty()) throw std::invalid_argument("HMAC key must not be empty");
  const Md md = fetch_sha256();
  auto key_block = key_block_of(md.get(), key);
  try {
    inner_.reset(absorb_pad(md.get(), key_block, 0x36));
    outer_.reset(absorb_pad(md.get(), key_block, 0x5c));
    work_.reset(duplicate(inner_.get()));
  } catch (...) {
    OPENSSL_cleanse(key_block.data(), key_block.size());
    throw;
  }
  OPENSSL_cleanse(key_block.data(), key_block.size());
}

HmacSha256::HmacSha256(const HmacSha256& other)
    : inner_(duplicate(other.inner_.get())),
      outer_(duplicate(other.outer_.get())),
      work_(duplicate(other.inner_.get())) {}

HmacSha256& HmacSha256::operator=(const HmacSha256& other) {
  if (this != &other) *this = HmacSha256(other);
  return *this;
}

bool HmacSha256::mac_into(ByteView data, Mac& out) {
  std::array<std::uint8_t, kMacBytes> inner_hash{};
  unsigned len = 0;
  // HMAC = H((K^opad) || H((K^ipad) || data)), each H resuming from a precomputed state.
  return EVP_MD_CTX_copy_ex(work_.get(), inner_.get()) == 1 &&
         EVP_DigestUpdate(work_.get(), data.data(), data.size()) == 1 &&
         EVP_DigestFinal_ex(work_.get(), inner_hash.data(), &len) == 1 && len == kMacBytes &&
         EVP_MD_CTX_copy_ex(work_.get(), outer_.get()) == 1 &&
         EVP_DigestUpdate(work_.get(), inner_hash.data(), inner_hash.size()) == 1 &&
         EVP_DigestFinal_ex(work_.get(), out.data(), &len) == 1 && len == kMacBytes;
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
