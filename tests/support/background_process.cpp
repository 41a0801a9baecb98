#include "tests/support/background_process.hpp"

#include "bus/free_port.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace p3p::test {

BackgroundProcess::BackgroundProcess(const std::vector<std::string>& argv, const std::filesystem::path& output_file,
                                     const std::filesystem::path& error_file)
    : output_file_(output_file) {
  const auto open_output = [](const std::filesystem::path& p) {
    const int fd = open(p.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) throw std::runtime_error("cannot open " + p.string());
    return fd;
  };
  const int fd = open_output(output_file);
  const int err_fd = error_file.empty() ? fd : open_output(error_file);
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    dup2(fd, STDOUT_FILENO);
    dup2(err_fd, STDERR_FILENO);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execve(args[0], args.data(), environ);
    _exit(127);
  }
  close(fd);
  if (err_fd != fd) close(err_fd);
}

BackgroundProcess::~BackgroundProcess() {
  if (running()) {
    kill(pid_, SIGKILL);
    wait_exit(std::chrono::seconds(5));
  }
}

std::optional<int> BackgroundProcess::wait_exit(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!exit_code_) {
    int status = 0;
    const pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      break;
    }
    if (r < 0 && errno != EINTR) {
      exit_code_ = -1;
      break;
    }
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return exit_code_;
}

bool BackgroundProcess::running() { return !wait_exit(std::chrono::milliseconds(0)).has_value(); }

int BackgroundProcess::stop(int signal, std::chrono::milliseconds timeout) {
  if (running()) kill(pid_, signal);
  return wait_exit(timeout).value_or(-1);
}

std::string BackgroundProcess::output() const {
  std::ifstream in(output_file_);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

int free_tcp_port() {
  if (const int port = bus::free_loopback_port()) return port;
  throw std::runtime_error("cannot find a free port");
}

}  // namespace p3p::test
