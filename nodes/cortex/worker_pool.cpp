#include "nodes/cortex/worker_pool.hpp"

namespace p3p::cortex {

namespace {
constexpr int kSpinRounds = 256;  // a few microseconds, then block: the machine may be shared

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}
}  // namespace

WorkerPool::WorkerPool(unsigned threads) : threads_count_(threads == 0 ? 1 : threads) {
  for (unsigned p = 1; p < threads_count_; ++p) threads_.emplace_back([this] { worker_loop(); });
}

WorkerPool::~WorkerPool() {
  stop_.store(true, std::memory_order_release);
  generation_.fetch_add(1, std::memory_order_acq_rel);
  generation_.notify_all();
  for (std::thread& t : threads_) t.join();
}

void WorkerPool::drain() {
  for (unsigned t = next_task_.fetch_add(1, std::memory_order_relaxed); t < tasks_;
       t = next_task_.fetch_add(1, std::memory_order_relaxed))
    (*job_)(t);
}

void WorkerPool::run(unsigned tasks, const std::function<void(unsigned)>& job) {
  if (threads_count_ == 1 || tasks <= 1) {
    for (unsigned t = 0; t < tasks; ++t) job(t);
    return;
  }
  job_ = &job;
  tasks_ = tasks;
  next_task_.store(0, std::memory_order_relaxed);
  done_.store(0, std::memory_order_relaxed);
  generation_.fetch_add(1, std::memory_order_release);
  generation_.notify_all();
  drain();
  const unsigned workers = threads_count_ - 1;
  int spins = 0;
  for (unsigned d = done_.load(std::memory_order_acquire); d != workers; d = done_.load(std::memory_order_acquire)) {
    if (++spins < kSpinRounds)
      cpu_relax();
    else
      done_.wait(d, std::memory_order_acquire);
  }
  job_ = nullptr;
}

void WorkerPool::worker_loop() {
  std::uint64_t seen = 0;
  for (;;) {
    int spins = 0;
    std::uint64_t g = generation_.load(std::memory_order_acquire);
    while (g == seen) {
      if (++spins < kSpinRounds) {
        cpu_relax();
      } else {
        generation_.wait(g, std::memory_order_acquire);
      }
      g = generation_.load(std::memory_order_acquire);
    }
    seen = g;
    if (stop_.load(std::memory_order_acquire)) return;
    drain();
    if (done_.fetch_add(1, std::memory_order_acq_rel) + 2 == threads_count_) done_.notify_one();
  }
}

}  // namespace p3p::cortex
