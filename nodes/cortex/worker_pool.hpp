#pragma once
// A fork-join pool for the phases of one tick. run(tasks, f) calls f(task) for task = 0..tasks-1 on the
// calling thread and on the workers, which claim tasks from a shared ticket, and returns when every task
// has completed. Nobody waits for a worker that has not claimed a task: on a shared machine a worker
// that is not scheduled simply does less, and the caller does the rest. Workers spin briefly between
// phases (a tick has several phases of microseconds each), then block, so an idle engine costs no CPU.
// Results never depend on which thread ran a task: tasks own disjoint data.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace p3p::cortex {

class WorkerPool {
 public:
  explicit WorkerPool(unsigned threads);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  unsigned threads() const { return threads_count_; }
  void run(unsigned tasks, const std::function<void(unsigned)>& job);

 private:
  void worker_loop();
  void work(std::uint32_t generation, std::uint32_t tasks);

  unsigned threads_count_;
  std::vector<std::thread> threads_;
  const std::function<void(unsigned)>* job_ = nullptr;
  // Blocking (after the spin) uses a mutex and condition variables. The sleeper counts let the hot path
  // skip the mutex when nobody sleeps (seq_cst on both sides: either the sleeper sees the new value or
  // the waker sees the sleeper).
  void wake(std::condition_variable& cv, const std::atomic<int>& sleepers);
  std::mutex mutex_;
  std::condition_variable work_cv_, done_cv_;
  std::atomic<int> worker_sleepers_{0};
  std::atomic<int> caller_sleeping_{0};
  std::uint32_t generation_count_ = 0;           // caller-side counter
  std::atomic<std::uint32_t> published_{0};      // latest generation: what workers wait on
  std::atomic<std::uint32_t> task_count_{0};     // tasks of the latest generation
  std::atomic<std::uint64_t> ticket_{0};         // generation << 32 | next task index (never waited on)
  std::atomic<std::uint32_t> completed_{0};      // tasks of the current generation done
  std::atomic<bool> stop_{false};
};

}  // namespace p3p::cortex
