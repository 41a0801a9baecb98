#pragma once
// Shared fixtures for the bus tests: a fixed key, a sample envelope, hex helpers.
#include <cstdint>
#include <string>
#include <string_view>

#include "bus/codec.hpp"
#include "bus/envelope.hpp"
#include "bus/hmac.hpp"
#include "bus/inbox.hpp"

namespace p3p::bus::test {

inline constexpr std::uint64_t kNow = 1'700'000'000'000'000'000ULL;  // a fixed "now" for deterministic tests
inline constexpr std::uint64_t kSecond = 1'000'000'000ULL;

inline Bytes test_key(std::uint8_t seed = 0) {
  Bytes key(32);
  for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<std::uint8_t>(seed + i);
  return key;
}

inline Bytes from_hex(std::string_view hex) {
  Bytes out;
  auto nibble = [](char c) { return static_cast<std::uint8_t>(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10); };
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    while (i < hex.size() && hex[i] == ' ') ++i;
    if (i + 1 >= hex.size()) break;
    out.push_back(static_cast<std::uint8_t>(nibble(hex[i]) << 4 | nibble(hex[i + 1])));
  }
  return out;
}

inline std::string to_hex(ByteView bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (auto b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

// An envelope with every field set to something distinctive.
inline Envelope sample_envelope() {
  Envelope e;
  e.cluster_id = "test-cluster";
  e.sender = "node-a";
  e.target_node = "node-b";
  e.target_module = "mesocortex";
  e.kind = "spike_batch";
  e.seq = 7;
  e.boot_id = 0x0123456789abcdefULL;
  e.timestamp_ns = kNow;
  e.body = {0x93, 0x01, 0x02, 0x03};  // msgpack [1, 2, 3]
  return e;
}

inline Bytes encode(const Envelope& e, ByteView key) {
  HmacSha256 hmac(key);
  Bytes frame;
  auto mac = encode_frame(e.view(), hmac, frame);
  if (!mac) throw std::runtime_error(mac.error().detail);
  return frame;
}

inline InboxConfig inbox_config(std::string cluster = "test-cluster") {
  InboxConfig config;
  config.cluster_id = std::move(cluster);
  config.guard.known_senders = {"node-a", "node-b"};
  return config;
}

}  // namespace p3p::bus::test
