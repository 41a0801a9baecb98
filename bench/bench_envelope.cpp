// bench_envelope: encode+sign then decode+verify+replay-check round trips of a ~100-byte body on one core,
// through the same Outbox/Inbox a node uses. Prints one JSON line. `--quick` = short run for smoke tests.
#include <openssl/rand.h>
#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>

#include "bus/clock.hpp"
#include "bus/inbox.hpp"
#include "bus/outbox.hpp"

namespace {

using p3p::bus::Bytes;

struct Result {
  std::uint64_t round_trips = 0;
  double seconds = 0;      // wall clock
  double cpu_seconds = 0;  // this thread's CPU time: on a shared machine, what the work itself cost
  std::size_t frame_bytes = 0;
};

// A fresh random key per run: no key, not even a benchmark's, is compiled in.
Bytes random_key() {
  Bytes key(32);
  if (RAND_bytes(key.data(), static_cast<int>(key.size())) != 1) throw std::runtime_error("RAND_bytes failed");
  return key;
}

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Returns false if any round trip failed: a benchmark of a broken codec is worth nothing.
bool run(std::uint64_t round_trips, std::size_t body_bytes, Result& result) {
  const Bytes key = random_key();
  p3p::bus::Outbox outbox(key, "bench-cluster", "node-a");
  p3p::bus::InboxConfig config{"bench-cluster", {{"node-a"}}, p3p::bus::kDefaultMaxFrameBytes};
  p3p::bus::Inbox inbox(key, config);
  const Bytes body(body_bytes, 0x42);
  const p3p::bus::Destination to{"node-b", "mesocortex", "spike_batch"};
  Bytes frame;
  const double cpu_start = thread_cpu_seconds();
  const auto start = std::chrono::steady_clock::now();
  for (std::uint64_t i = 0; i < round_trips; ++i) {
    const std::uint64_t now = p3p::bus::unix_now_ns();
    if (!outbox.seal(to, body, now, frame)) return false;
    auto env = inbox.accept(frame, now);
    if (!env || env->body.size() != body_bytes) return false;
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result.cpu_seconds = thread_cpu_seconds() - cpu_start;
  result.round_trips = round_trips;
  result.frame_bytes = frame.size();
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
  const std::size_t body_bytes = 100;
  Result warmup;
  Result result;
  if (!run(quick ? 1000 : 100'000, body_bytes, warmup) || !run(quick ? 50'000 : 3'000'000, body_bytes, result)) {
    std::fprintf(stderr, "bench_envelope: a round trip failed\n");
    return 1;
  }
  std::printf(
      "{\"bench\":\"envelope_roundtrip\",\"body_bytes\":%zu,\"frame_bytes\":%zu,\"round_trips\":%llu,"
      "\"seconds\":%.6f,\"round_trips_per_s\":%.0f,\"cpu_seconds\":%.6f,\"round_trips_per_cpu_s\":%.0f,"
      "\"quick\":%s}\n",
      body_bytes, result.frame_bytes, static_cast<unsigned long long>(result.round_trips), result.seconds,
      static_cast<double>(result.round_trips) / result.seconds, result.cpu_seconds,
      static_cast<double>(result.round_trips) / result.cpu_seconds, quick ? "true" : "false");
  return 0;
}
