#include "nodes/cortex/worker_pool.hpp"

namespace p3p::cortex {

namespace {
constexpr int kSpinRounds = 8192;  // ~100 us (longer than the gaps between phases), then block

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
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    stop_.store(true);
    published_.fetch_add(1);
  }
  work_cv_.notify_all();
  for (std::thread& t : threads_) t.join();
}

// Claims and runs tasks of `generation` until none is left. A ticket from another generation means this
// thread is late: stop without touching job_ (which may already belong to a later run).
void WorkerPool::work(std::uint32_t generation, std::uint32_t tasks) {
  std::uint64_t t = ticket_.load(std::memory_order_acquire);
  for (;;) {
    // Claim with compare-exchange, never fetch_add: a late thread must not consume an index of a
    // newer generation (that task would never run).
    if (static_cast<std::uint32_t>(t >> 32) != generation) return;
    const auto index = static_cast<std::uint32_t>(t);
    if (index >= tasks) return;
    if (!ticket_.compare_exchange_weak(t, t + 1, std::memory_order_acq_rel, std::memory_order_acquire)) continue;
    (*job_)(index);
    t = ticket_.load(std::memory_order_acquire);
    if (completed_.fetch_add(1) + 1 == tasks) wake(done_cv_, caller_sleeping_);
  }
}

void WorkerPool::wake(std::condition_variable& cv, const std::atomic<int>& sleepers) {
  if (sleepers.load() == 0) return;
  { const std::lock_guard<std::mutex> lock(mutex_); }  // a sleeper is either waiting or will see the value
  cv.notify_all();
}

void WorkerPool::run(unsigned tasks, const std::function<void(unsigned)>& job) {
  if (threads_count_ == 1 || tasks <= 1) {
    for (unsigned t = 0; t < tasks; ++t) job(t);
    return;
  }
  job_ = &job;
  const std::uint32_t gen = ++generation_count_;
  completed_.store(0, std::memory_order_relaxed);
  // Order matters: a worker that sees the new task count must also see the new ticket generation,
  // otherwise it could claim a leftover index of the old ticket and run a task twice.
  ticket_.store(static_cast<std::uint64_t>(gen) << 32, std::memory_order_release);
  task_count_.store(tasks, std::memory_order_release);
  published_.store(gen);
  wake(work_cv_, worker_sleepers_);
  work(gen, tasks);
  for (int spins = 0; completed_.load() != tasks; ++spins) {
    if (spins < kSpinRounds) {
      cpu_relax();
      continue;
    }
    std::unique_lock<std::mutex> lock(mutex_);
    caller_sleeping_.store(1);
    done_cv_.wait(lock, [&] { return completed_.load() == tasks; });
    caller_sleeping_.store(0);
  }
  job_ = nullptr;
}

void WorkerPool::worker_loop() {
  std::uint32_t seen = 0;
  for (;;) {
    std::uint32_t g = published_.load();
    for (int spins = 0; g == seen; ++spins, g = published_.load()) {
      if (spins < kSpinRounds) {
        cpu_relax();
        continue;
      }
      std::unique_lock<std::mutex> lock(mutex_);
      worker_sleepers_.fetch_add(1);
      work_cv_.wait(lock, [&] { return published_.load() != seen; });
      worker_sleepers_.fetch_sub(1);
    }
    seen = g;
    if (stop_.load(std::memory_order_acquire)) return;
    // task_count_ may already belong to a later generation; then the ticket's generation differs
    // and work() returns before using it.
    work(g, task_count_.load(std::memory_order_acquire));
  }
}

}  // namespace p3p::cortex
