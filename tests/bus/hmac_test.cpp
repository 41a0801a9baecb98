// HMAC-SHA256 against RFC 4231's published vectors, repeatedly through one context (the re-init path),
// through copies, and verify()'s constant-time comparison.
#include <openssl/evp.h>

#include <catch2/catch.hpp>
#include <random>

#include "bus/hmac.hpp"
#include "tests/bus/bus_test_support.hpp"

using namespace p3p::bus;
using namespace p3p::bus::test;

namespace {

struct Rfc4231Case {
  Bytes key;
  std::string data;
  const char* mac_hex;
};

std::vector<Rfc4231Case> rfc4231() {
  return {
      {Bytes(20, 0x0b), "Hi There", "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
      {Bytes{'J', 'e', 'f', 'e'}, "what do ya want for nothing?",
       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
      {Bytes(131, 0xaa), "Test Using Larger Than Block-Size Key - Hash Key First",
       "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
      {Bytes(131, 0xaa),
       "This is a test using a larger than block-size key and a larger than block-size data. The key needs to "
       "be hashed before being used by the HMAC algorithm.",
       "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
  };
}

}  // namespace

TEST_CASE("hmac: RFC 4231 vectors, three times through the same context and through a copy") {
  for (const auto& c : rfc4231()) {
    HmacSha256 hmac(c.key);
    for (int round = 0; round < 3; ++round) CHECK(to_hex(hmac.compute(as_bytes(c.data))) == c.mac_hex);
    HmacSha256 copy(hmac);
    CHECK(to_hex(copy.compute(as_bytes(c.data))) == c.mac_hex);
    HmacSha256 assigned(test_key());
    assigned = copy;
    CHECK(to_hex(assigned.compute(as_bytes(c.data))) == c.mac_hex);
  }
}

TEST_CASE("hmac: interleaved messages do not leak state into each other") {
  HmacSha256 hmac(Bytes(20, 0x0b));
  const auto first = hmac.compute(as_bytes("Hi There"));
  (void)hmac.compute(as_bytes(std::string(1000, 'x')));
  CHECK(hmac.compute(as_bytes("Hi There")) == first);
}

TEST_CASE("hmac: verify accepts the right MAC only") {
  HmacSha256 hmac(test_key());
  const Mac mac = hmac.compute(as_bytes("payload"));
  CHECK(hmac.verify(as_bytes("payload"), mac));
  CHECK_FALSE(hmac.verify(as_bytes("payloaD"), mac));
  Mac wrong = mac;
  wrong[31] ^= 0x80;
  CHECK_FALSE(hmac.verify(as_bytes("payload"), wrong));
  CHECK_FALSE(hmac.verify(as_bytes("payload"), ByteView(mac.data(), 31)));  // truncated MAC
  CHECK_THROWS_AS(HmacSha256(Bytes{}), std::invalid_argument);
}

TEST_CASE("hmac: equals OpenSSL's own HMAC (EVP_Q_mac) for random keys and messages of many lengths") {
  std::mt19937 rng(42);
  for (std::size_t key_len : {1, 31, 32, 33, 63, 64, 65, 128, 200, 4096}) {
    Bytes key(key_len);
    for (auto& b : key) b = static_cast<std::uint8_t>(rng());
    HmacSha256 hmac(key);
    for (std::size_t len : {0, 1, 55, 56, 63, 64, 65, 119, 120, 178, 1000}) {
      Bytes data(len);
      for (auto& b : data) b = static_cast<std::uint8_t>(rng());
      Mac reference{};
      std::size_t out_len = 0;
      char digest[] = "SHA256";
      REQUIRE(EVP_Q_mac(nullptr, "HMAC", nullptr, digest, nullptr, key.data(), key.size(), data.data(), data.size(),
                        reference.data(), reference.size(), &out_len) != nullptr);
      REQUIRE(out_len == 32);
      INFO("key " << key_len << " bytes, data " << len << " bytes");
      CHECK(hmac.compute(data) == reference);
    }
  }
}
