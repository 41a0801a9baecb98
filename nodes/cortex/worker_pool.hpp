#pragma once
// A fork-join pool for the phases of one tick. run(tasks, f) calls f(task) for task = 0..tasks-1 on the
// calling thread and the workers, which take tasks from a shared counter (so a thread slowed down by
// other load on a shared machine simply does fewer), and returns when all are done. Workers spin briefly
// between phases (a tick has several phases of microseconds each, too short for a futex round trip),
// then block, so an idle engine costs no CPU. Results never depend on which thread ran a task: tasks
// own disjoint data.
#include <atomic>
#include <cstdint>
#include <functional>
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
  void drain();

  unsigned threads_count_;
  unsigned tasks_ = 0;
  std::atomic<unsigned> next_task_{0};
  std::vector<std::thread> threads_;
  const std::function<void(unsigned)>* job_ = nullptr;
  std::atomic<std::uint64_t> generation_{0};
  std::atomic<unsigned> done_{0};
  std::atomic<bool> stop_{false};
};

}  // namespace p3p::cortex
