// bus/cached_getpid.cpp: the cached getpid() is the process's getpid (libzmq's included) and is right in a
// fork's child.
#include <catch2/catch.hpp>
#include <dlfcn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

pid_t kernel_pid() { return static_cast<pid_t>(::syscall(SYS_getpid)); }

}  // namespace

TEST_CASE("the cached getpid answers the kernel's pid") {
  CHECK(getpid() == kernel_pid());
  CHECK(getpid() == kernel_pid());  // the second answer comes from the cache
}

TEST_CASE("the cached getpid is the one shared libraries resolve to") {
  // A shared library's call goes to the first definition in the global scope: this executable's, if it
  // exports it. Otherwise libzmq would keep calling glibc's and the cache would be for nothing.
  void* resolved = ::dlsym(RTLD_DEFAULT, "getpid");
  CHECK(resolved == reinterpret_cast<void*>(&getpid));
  void* glibc = ::dlsym(RTLD_NEXT, "getpid");
  CHECK(glibc != nullptr);
  CHECK(glibc != resolved);
}

TEST_CASE("a fork's child gets its own pid, not the parent's cached one") {
  const pid_t parent = getpid();
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) _exit(getpid() == kernel_pid() && getpid() != parent ? 0 : 1);
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(getpid() == parent);
}
