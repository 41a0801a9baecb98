#pragma once
// A program running in the background for the length of a test: output goes to a file (read it with
// output(); stderr too, unless it is given a file of its own), and the destructor SIGKILLs and reaps it if it is still running, so a failing test never
// leaves a process behind. Also free_tcp_port(): a port that was free a moment ago, below the kernel's
// ephemeral range (which the nodes' spike paths bind from), from a block of its own per test process.
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace p3p::test {

class BackgroundProcess {
 public:
  BackgroundProcess(const std::vector<std::string>& argv, const std::filesystem::path& output_file,
                    const std::filesystem::path& error_file = {});
  ~BackgroundProcess();
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  pid_t pid() const { return pid_; }
  bool running();
  // Sends `signal` and waits up to `timeout` for the exit; the exit code (-1 if killed by a signal or
  // still running).
  int stop(int signal, std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Waits up to `timeout` for the process to exit by itself; its exit code, or nullopt if still running.
  std::optional<int> wait_exit(std::chrono::milliseconds timeout);
  std::string output() const;

 private:
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
  std::filesystem::path output_file_;
};

int free_tcp_port();

}  // namespace p3p::test
