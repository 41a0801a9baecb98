// Bounded fuzzing with a fixed seed: random bytes, truncations, bit flips, splices. The decoder must never
// crash or over-read (run under ASan), and must never accept a frame that differs from a valid one.
// A second loop signs mutated U bytes with the right key, so the inner decoder sees hostile input too.
#include <catch2/catch.hpp>
#include <random>

#include "tests/bus/bus_test_support.hpp"

using namespace p3p::bus;
using namespace p3p::bus::test;

namespace {

// A handful of valid frames of different shapes to mutate.
std::vector<Bytes> seed_frames(ByteView key) {
  std::vector<Bytes> frames;
  Envelope e = sample_envelope();
  frames.push_back(encode(e, key));
  e.body.assign(300, 0xab);  // U > 255 bytes: bin16 header
  frames.push_back(encode(e, key));
  frames.push_back(encode(Envelope{}, key));
  e = sample_envelope();
  e.seq = std::numeric_limits<std::uint64_t>::max();
  e.kind = std::string(200, 'k');
  frames.push_back(encode(e, key));
  return frames;
}

Bytes mutate(const Bytes& valid, std::mt19937_64& rng) {
  Bytes m = valid;
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  switch (pick(6)) {
    case 0: {  // random bytes, random length
      m.resize(pick(400));
      for (auto& b : m) b = static_cast<std::uint8_t>(rng());
      break;
    }
    case 1:  // truncation
      m.resize(pick(valid.size()));
      break;
    case 2:  // 1-4 bit flips
      for (std::size_t i = 0, n = 1 + pick(4); i < n; ++i) {
        m[pick(m.size())] ^= static_cast<std::uint8_t>(1u << pick(8));
      }
      break;
    case 3:  // random byte overwrite (often hits a header)
      m[pick(m.size())] = static_cast<std::uint8_t>(rng());
      break;
    case 4:  // insertion
      m.insert(m.begin() + static_cast<std::ptrdiff_t>(pick(m.size() + 1)), static_cast<std::uint8_t>(rng()));
      break;
    default:  // valid prefix + random tail
      m.resize(pick(valid.size()));
      for (std::size_t i = 0, n = 1 + pick(64); i < n; ++i) m.push_back(static_cast<std::uint8_t>(rng()));
      break;
  }
  return m;
}

// Every view in `e` lies inside `u`: the decoder never points outside what it was given.
bool inside(const EnvelopeView& e, ByteView u) {
  auto within = [&](const void* p, std::size_t n) {
    const auto* b = static_cast<const std::uint8_t*>(p);
    return n == 0 || (b >= u.data() && b + n <= u.data() + u.size());
  };
  return within(e.cluster_id.data(), e.cluster_id.size()) && within(e.sender.data(), e.sender.size()) &&
         within(e.target_node.data(), e.target_node.size()) &&
         within(e.target_module.data(), e.target_module.size()) && within(e.kind.data(), e.kind.size()) &&
         within(e.body.data(), e.body.size());
}

}  // namespace

TEST_CASE("fuzz: 200k mutated frames never crash and are never accepted") {
  const Bytes key = test_key();
  HmacSha256 hmac(key);
  const auto seeds = seed_frames(key);
  std::mt19937_64 rng(20240601);
  std::array<std::uint64_t, kReasonCount> seen{};
  std::uint64_t unchanged = 0;
  for (int i = 0; i < 200'000; ++i) {
    const Bytes& valid = seeds[static_cast<std::size_t>(i) % seeds.size()];
    const Bytes m = mutate(valid, rng);
    auto r = open_frame(m, hmac);
    if (m == valid) {  // a mutation can cancel out (same bit flipped twice)
      ++unchanged;
      REQUIRE(r);
      continue;
    }
    if (r) FAIL("accepted a mutated frame at iteration " << i << ": " << to_hex(m));
    ++seen[index_of(r.error().reason)];
  }
  // The mix really exercised both the structure checks and the MAC check.
  CHECK(seen[index_of(Reason::malformed)] > 10'000);
  CHECK(seen[index_of(Reason::bad_mac)] > 10'000);
  CHECK(unchanged < 2'000);
}

TEST_CASE("fuzz: 50k correctly signed but mutated U never crash the inner decoder") {
  const Bytes key = test_key();
  HmacSha256 hmac(key);
  std::vector<Bytes> us;
  for (const Bytes& f : seed_frames(key)) {
    auto parts = split_frame(f);
    REQUIRE(parts);
    us.emplace_back(parts->unsigned_bytes.begin(), parts->unsigned_bytes.end());
  }
  std::mt19937_64 rng(7);
  Bytes frame;
  std::uint64_t accepted = 0;
  for (int i = 0; i < 50'000; ++i) {
    const Bytes u = mutate(us[static_cast<std::size_t>(i) % us.size()], rng);
    frame_unsigned(u, hmac, frame);
    auto r = open_frame(frame, hmac);
    if (r) {
      ++accepted;  // a flip inside a string or an integer keeps U valid: fine, but it must be consistent
      REQUIRE(inside(*r, ByteView(frame)));
      Bytes again;
      append_unsigned(*r, again);  // what we decoded re-encodes to a U our decoder reads the same way
      HmacSha256 h2(key);
      Bytes f2;
      frame_unsigned(again, h2, f2);
      auto r2 = open_frame(f2, h2);
      REQUIRE(r2);
      CHECK(r2->seq == r->seq);
      CHECK(r2->sender == r->sender);
      CHECK(r2->body.size() == r->body.size());
    } else {
      const Reason why = r.error().reason;
      REQUIRE((why == Reason::malformed || why == Reason::bad_version));
    }
  }
  CHECK(accepted > 0);
}
