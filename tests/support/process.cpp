#include "tests/support/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

extern char** environ;

namespace p3p::test {
namespace {

struct Pipe {
  int fd[2] = {-1, -1};
  Pipe() {
    if (pipe2(fd, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
  }
  ~Pipe() { close_all(); }
  void close_end(int i) {
    if (fd[i] >= 0) close(fd[i]);
    fd[i] = -1;
  }
  void close_all() {
    close_end(0);
    close_end(1);
  }
};

[[noreturn]] void exec_child(const std::vector<std::string>& argv, const std::string& cwd,
                             const std::vector<std::string>& extra_env, Pipe& in, Pipe& out, Pipe& err) {
  dup2(in.fd[0], STDIN_FILENO);
  dup2(out.fd[1], STDOUT_FILENO);
  dup2(err.fd[1], STDERR_FILENO);
  if (!cwd.empty() && chdir(cwd.c_str()) != 0) _exit(127);
  for (const auto& kv : extra_env) putenv(const_cast<char*>(kv.c_str()));
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  execve(args[0], args.data(), environ);
  _exit(127);
}

// Reads both pipes until EOF or the deadline; returns false on timeout.
bool drain(int out_fd, int err_fd, ProcessResult& r, std::chrono::steady_clock::time_point deadline) {
  pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  std::string* sinks[2] = {&r.out, &r.err};
  int open = 2;
  char buf[65536];
  while (open > 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    int n = poll(fds, 2, static_cast<int>(left.count()));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      ssize_t got = read(fds[i].fd, buf, sizeof buf);
      if (got > 0) {
        sinks[i]->append(buf, static_cast<size_t>(got));
      } else if (got == 0 || errno != EINTR) {
        fds[i].fd = -1;
        --open;
      }
    }
  }
  return true;
}

}  // namespace

ProcessResult run_process(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
                          const std::string& cwd, const std::vector<std::string>& extra_env,
                          const std::string& stdin_data) {
  Pipe in, out, err;
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) exec_child(argv, cwd, extra_env, in, out, err);
  in.close_end(0);
  out.close_end(1);
  err.close_end(1);
  if (!stdin_data.empty()) {
    signal(SIGPIPE, SIG_IGN);
    [[maybe_unused]] ssize_t w = write(in.fd[1], stdin_data.data(), stdin_data.size());
  }
  in.close_end(1);

  ProcessResult r;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  if (!drain(out.fd[0], err.fd[0], r, deadline)) {
    r.timed_out = true;
    kill(pid, SIGKILL);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.term_signal = WTERMSIG(status);
  return r;
}

std::string built_binary(const std::string& relative) { return std::string(P3P_BINARY_DIR) + "/" + relative; }

}  // namespace p3p::test
