// getpid() answered from a cache, for the processes that move spikes (p3p-node, the driver's benchmarks).
//
// Why: libzmq calls getpid() every time it signals or waits on a socket's mailbox (the fork check of
// its signaler), several times per message. glibc no longer caches the pid, so each is a system call, and
// on a paravirtualised host (the kind this project runs and is tested on) a system call traps to the
// hypervisor: getpid() alone was 12% of a node's CPU in a closed-loop driver step (perf, 2026-12-02).
// Defining getpid in the executable interposes glibc's for the whole process, libzmq included: the dynamic
// linker resolves a shared library's getpid to the executable's definition first.
//
// A fork's child must not see its parent's pid: pthread_atfork clears the cache in the child, before any of
// the child's own code runs. Nothing here uses raw clone(); posix_spawn and vfork children exec at once.
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>

namespace {

std::atomic<pid_t> cached_pid{0};

void forget_pid() { cached_pid.store(0, std::memory_order_relaxed); }

const int registered = pthread_atfork(nullptr, nullptr, forget_pid);

}  // namespace

extern "C" pid_t getpid() noexcept {
  (void)registered;
  pid_t pid = cached_pid.load(std::memory_order_relaxed);
  if (pid == 0) {
    pid = static_cast<pid_t>(::syscall(SYS_getpid));
    cached_pid.store(pid, std::memory_order_relaxed);
  }
  return pid;
}
