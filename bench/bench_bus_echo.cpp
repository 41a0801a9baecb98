// bench_bus_echo: round-trip latency of signed envelopes over real sockets. A DEALER sends a sealed
// envelope to a ROUTER over tcp://127.0.0.1 (OS-chosen port); the ROUTER's thread verifies it (Inbox) and
// answers with a freshly sealed echo (Outbox); the DEALER verifies the echo. One message in flight, so
// each sample is a full request/reply latency. Prints one JSON line. `--quick` = short run for smoke tests.
#include <openssl/rand.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <future>
#include <numeric>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "bus/clock.hpp"
#include "bus/inbox.hpp"
#include "bus/outbox.hpp"
#include "bus/poll.hpp"
#include "bus/sockets.hpp"

namespace {

using namespace std::chrono_literals;
using p3p::bus::Bytes;

// A fresh random key per run: no key, not even a benchmark's, is compiled in.
Bytes random_key() {
  Bytes key(32);
  if (RAND_bytes(key.data(), static_cast<int>(key.size())) != 1) throw std::runtime_error("RAND_bytes failed");
  return key;
}

p3p::bus::InboxConfig config_knowing(const char* peer) {
  p3p::bus::InboxConfig config;
  config.cluster_id = "bench-cluster";
  config.guard.known_senders = {peer};
  return config;
}

// The echo side: verify, re-seal, send back; until `stop`. Reports its endpoint through `bound`.
void echo_loop(zmq::context_t& ctx, const Bytes& key, std::promise<std::string>& bound,
               const std::atomic<bool>& stop, std::atomic<std::uint64_t>& rejected) {
  p3p::bus::Router router(ctx);
  auto ep = router.bind("tcp://127.0.0.1:*");
  bound.set_value(ep ? *ep : std::string());
  if (!ep) return;
  p3p::bus::Inbox inbox(key, config_knowing("node-a"));
  p3p::bus::Outbox outbox(key, "bench-cluster", "node-b");
  p3p::bus::PollSet poll;
  poll.add(router);
  Bytes frame;
  while (!stop.load(std::memory_order_relaxed)) {
    if (poll.wait(100ms) == 0) continue;
    while (auto msg = router.receive()) {
      const std::uint64_t now = p3p::bus::unix_now_ns();
      auto env = inbox.accept(msg->frame_bytes(), now);
      if (!env || !outbox.seal({env->sender, env->target_module, "echo"}, env->body, now, frame)) {
        rejected.fetch_add(1);
        continue;
      }
      router.send(msg->identity_bytes(), frame, p3p::bus::SendMode::wait);
    }
  }
}

struct Stats {
  double p50 = 0, p99 = 0, mean = 0, max = 0;
};

Stats summarise(std::vector<double>& us) {
  std::sort(us.begin(), us.end());
  auto at = [&](double q) { return us[static_cast<std::size_t>(q * static_cast<double>(us.size() - 1))]; };
  return Stats{at(0.50), at(0.99), std::accumulate(us.begin(), us.end(), 0.0) / static_cast<double>(us.size()),
               us.back()};
}

// Sends `count` requests one at a time; appends each latency (µs) to `us`. False on timeout or bad echo.
bool ping(p3p::bus::Dealer& dealer, p3p::bus::Outbox& outbox, p3p::bus::Inbox& inbox, std::size_t count,
          std::vector<double>* us) {
  const Bytes body(100, 0x42);
  Bytes frame;
  for (std::size_t i = 0; i < count; ++i) {
    const auto start = std::chrono::steady_clock::now();
    if (!outbox.seal({"node-b", "bench", "ping"}, body, p3p::bus::unix_now_ns(), frame)) return false;
    if (dealer.send(frame, p3p::bus::SendMode::wait) != p3p::bus::SendResult::sent) return false;
    auto reply = dealer.receive(5s);
    if (!reply) return false;
    auto env = inbox.accept(p3p::bus::bytes_of(*reply), p3p::bus::unix_now_ns());
    if (!env || env->body.size() != body.size()) return false;
    const auto end = std::chrono::steady_clock::now();
    if (us) us->push_back(std::chrono::duration<double, std::micro>(end - start).count());
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
  const std::size_t messages = quick ? 500 : 20'000;
  zmq::context_t ctx;
  std::promise<std::string> bound;
  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> rejected{0};
  const Bytes key = random_key();
  std::thread echo([&] { echo_loop(ctx, key, bound, stop, rejected); });
  const std::string endpoint = bound.get_future().get();

  bool ok = !endpoint.empty();
  std::vector<double> us;
  us.reserve(messages);
  {
    p3p::bus::Dealer dealer(ctx, {}, "node-a");
    p3p::bus::Outbox outbox(key, "bench-cluster", "node-a");
    p3p::bus::Inbox inbox(key, config_knowing("node-b"));
    ok = ok && dealer.connect(endpoint) && ping(dealer, outbox, inbox, quick ? 50 : 1000, nullptr) &&
         ping(dealer, outbox, inbox, messages, &us);
  }
  stop = true;
  echo.join();
  if (!ok || rejected.load() != 0) {
    std::fprintf(stderr, "bench_bus_echo: failed (endpoint '%s', %zu replies, %llu rejected)\n", endpoint.c_str(),
                 us.size(), static_cast<unsigned long long>(rejected.load()));
    return 1;
  }
  const Stats s = summarise(us);
  std::printf(
      "{\"bench\":\"bus_echo\",\"transport\":\"tcp://127.0.0.1\",\"body_bytes\":100,\"messages\":%zu,"
      "\"p50_us\":%.1f,\"p99_us\":%.1f,\"mean_us\":%.1f,\"max_us\":%.1f,\"quick\":%s}\n",
      us.size(), s.p50, s.p99, s.mean, s.max, quick ? "true" : "false");
  return 0;
}
