#pragma once
// The node processes p3pctl starts on this host: where p3p-node is, where pid and log files go, starting
// and stopping processes. Run dir layout (default ./.p3p/):
//   <cluster>.<node>.pid   the pid of a running p3p-node (written by `up`, removed by `down`)
//   <cluster>.<node>.log   its JSON-lines log
//   <cluster>.topology     the absolute path of the topology last brought up (for `status` without a file)
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/expected.hpp"

namespace p3p::cli {

struct RunDir {
  std::filesystem::path dir;
  std::filesystem::path pid_file(const std::string& cluster, const std::string& node) const {
    return dir / (cluster + "." + node + ".pid");
  }
  std::filesystem::path log_file(const std::string& cluster, const std::string& node) const {
    return dir / (cluster + "." + node + ".log");
  }
  std::filesystem::path topology_file(const std::string& cluster) const { return dir / (cluster + ".topology"); }
};

// Whether a topology host means this machine (loopback names and this host's name).
bool is_local_host(const std::string& host);

// p3p-node next to this executable, then ../nodes/ (the build tree), then on PATH.
Expected<std::filesystem::path, std::string> find_node_binary();

// The pid in `pid_file` if that process is alive and is the p3p-node of `node` (pids are reused).
std::optional<pid_t> live_node_pid(const std::filesystem::path& pid_file, const std::string& node);
// `pid` if that process is alive and is the p3p-node of `node` (e.g. the pid a node reported itself).
std::optional<pid_t> live_node_process(pid_t pid, const std::string& node);

// Starts `binary --topology T --node ID --log-file LOG [extra...]` in its own session, output to LOG.
// die_with_parent: the node gets SIGTERM when this process dies (benchmarks; `up`'s nodes outlive p3pctl).
Expected<pid_t, std::string> spawn_node(const std::filesystem::path& binary, const std::filesystem::path& topology,
                                        const std::string& node, const std::filesystem::path& log,
                                        const std::vector<std::string>& extra = {}, bool die_with_parent = false);

// Runs argv (argv[0] a program, argv[1] its subcommand) with stdout captured (stderr passes through) and
// returns what it printed, or an error when it did not exit 0.
Expected<std::string, std::string> run_captured(const std::vector<std::string>& argv);

// True once `pid` is gone (reaping it if it is our child).
bool has_exited(pid_t pid);

// SIGTERM, wait up to `grace`, then SIGKILL; returns true if SIGKILL was needed.
bool stop_process(pid_t pid, std::chrono::milliseconds grace);

// The last `lines` lines of a text file (for error messages about a node that failed to start).
std::string tail_of(const std::filesystem::path& file, int lines);

Expected<void, std::string> write_text(const std::filesystem::path& file, const std::string& text);

// A temporary directory (empty path if it could not be made), removed with everything in it at the end.
struct ScratchDir {
  std::filesystem::path path;
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
};

// Nodes a benchmark started, stopped when it ends (also on errors).
struct StartedNodes {
  std::map<std::string, pid_t> pids;
  StartedNodes() = default;
  ~StartedNodes();
  StartedNodes(const StartedNodes&) = delete;
  StartedNodes& operator=(const StartedNodes&) = delete;
};

}  // namespace p3p::cli
