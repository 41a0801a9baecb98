#include "cli/local_nodes.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

namespace p3p::cli {

bool is_local_host(const std::string& host) {
  if (host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0) return true;
  char name[256] = {};
  return gethostname(name, sizeof name - 1) == 0 && host == name;
}

Expected<std::filesystem::path, std::string> find_node_binary() {
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  std::vector<std::filesystem::path> tried;
  if (!ec) {
    tried.push_back(self.parent_path() / "p3p-node");
    tried.push_back(self.parent_path().parent_path() / "nodes" / "p3p-node");
  }
  for (const auto& p : tried)
    if (access(p.c_str(), X_OK) == 0) return p;
  if (const char* path = std::getenv("PATH")) {
    std::stringstream dirs(path);
    for (std::string d; std::getline(dirs, d, ':');) {
      const auto p = std::filesystem::path(d) / "p3p-node";
      if (!d.empty() && access(p.c_str(), X_OK) == 0) return p;
    }
  }
  std::string msg = "cannot find p3p-node (looked in";
  for (const auto& p : tried) {
    msg += ' ';
    msg += p.native();
    msg += ',';
  }
  msg += " and on PATH)";
  return unexpected(msg);
}

std::optional<pid_t> live_node_pid(const std::filesystem::path& pid_file, const std::string& node) {
  std::ifstream in(pid_file);
  long pid = 0;
  if (!(in >> pid) || pid <= 1) return std::nullopt;
  return live_node_process(static_cast<pid_t>(pid), node);
}

std::optional<pid_t> live_node_process(pid_t pid, const std::string& node) {
  if (pid <= 1) return std::nullopt;
  std::ifstream cmd("/proc/" + std::to_string(pid) + "/cmdline", std::ios::binary);
  const std::string args{std::istreambuf_iterator<char>(cmd), std::istreambuf_iterator<char>()};
  std::string needle = "--node";  // argv entries are NUL-separated in cmdline
  needle.push_back('\0');
  needle.append(node);
  needle.push_back('\0');
  const bool ours = args.find("p3p-node") != std::string::npos && args.find(needle) != std::string::npos;
  if (!ours || has_exited(static_cast<pid_t>(pid))) return std::nullopt;
  return static_cast<pid_t>(pid);
}

Expected<pid_t, std::string> spawn_node(const std::filesystem::path& binary, const std::filesystem::path& topology,
                                        const std::string& node, const std::filesystem::path& log,
                                        const std::vector<std::string>& extra, bool die_with_parent) {
  const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return unexpected("cannot open " + log.string() + ": " + std::strerror(errno));
  std::vector<std::string> argv{binary.string(), "--topology", topology.string(), "--node", node,
                                "--log-file", log.string()};
  argv.insert(argv.end(), extra.begin(), extra.end());
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) {
    close(fd);
    return unexpected(std::string("fork failed: ") + std::strerror(errno));
  }
  if (pid == 0) {
    setsid();  // its own session: a Ctrl-C meant for p3pctl does not reach the nodes of `up`
    if (die_with_parent) {  // a bench's nodes never outlive it, even if it is killed
      prctl(PR_SET_PDEATHSIG, SIGTERM);
      if (getppid() != parent) _exit(1);  // it died before the line above
    }
    const int null = open("/dev/null", O_RDONLY);
    dup2(null, STDIN_FILENO);
    dup2(fd, STDOUT_FILENO);
    dup2(fd, STDERR_FILENO);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  close(fd);
  return pid;
}

bool has_exited(pid_t pid) {
  int status = 0;
  const pid_t r = waitpid(pid, &status, WNOHANG);
  if (r == pid) return true;                       // our child, now reaped
  if (kill(pid, 0) != 0 && errno == ESRCH) return true;
  // Not our child: a zombie that its parent has not reaped yet (e.g. a container's init) has exited too.
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  const std::string line{std::istreambuf_iterator<char>(stat), std::istreambuf_iterator<char>()};
  const auto paren = line.rfind(')');
  return paren != std::string::npos && paren + 2 < line.size() && line[paren + 2] == 'Z';
}

bool stop_process(pid_t pid, std::chrono::milliseconds grace) {
  if (has_exited(pid)) return false;
  kill(pid, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + grace;
  while (std::chrono::steady_clock::now() < deadline) {
    if (has_exited(pid)) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill(pid, SIGKILL);
  for (int i = 0; i < 100 && !has_exited(pid); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  return true;
}

std::string tail_of(const std::filesystem::path& file, int lines) {
  std::ifstream in(file);
  std::vector<std::string> all;
  for (std::string l; std::getline(in, l);) all.push_back(l);
  std::string out;
  for (std::size_t i = all.size() > static_cast<std::size_t>(lines) ? all.size() - static_cast<std::size_t>(lines) : 0;
       i < all.size(); ++i)
    out += "    " + all[i] + "\n";
  return out;
}

Expected<void, std::string> write_text(const std::filesystem::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::trunc);
  if (!(out << text)) return unexpected("cannot write " + file.string());
  return {};
}

ScratchDir::ScratchDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "p3p-bench-XXXXXX").string();
  if (mkdtemp(tmpl.data())) path = tmpl;
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  if (!path.empty()) std::filesystem::remove_all(path, ec);
}

StartedNodes::~StartedNodes() {
  for (const auto& [id, pid] : pids) stop_process(pid, std::chrono::seconds(5));
}

Expected<std::string, std::string> run_captured(const std::vector<std::string>& argv) {
  int fds[2];
  if (pipe(fds) != 0) return unexpected(std::string("pipe failed"));
  const pid_t pid = fork();
  if (pid < 0) return unexpected(std::string("fork failed"));
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    close(fds[1]);
    std::vector<char*> args;
    for (const auto& s : argv) args.push_back(const_cast<char*>(s.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  close(fds[1]);
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) out.append(buf, static_cast<size_t>(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return unexpected(argv[0] + " " + argv[1] + " failed (status " + std::to_string(status) + ")");
  }
  return out;
}

}  // namespace p3p::cli
