#pragma once
// Which clusters `up` brought up on this machine, and from which run dir: one small JSON file per topology
// in $XDG_RUNTIME_DIR/p3p/clusters (else ~/.p3p/clusters), written by `up`, removed by `down`.
// Why a registry: the run dir holds the pid files and the topology last brought up, so a cluster started
// with `--run-dir D` was invisible to `status` and `down` run without that flag. The registry tells them D.
// (`down` also asks the nodes themselves for their pids over the bus, for nodes started some other way.)
#include <filesystem>
#include <optional>
#include <string>

namespace p3p::cli {

struct RegisteredCluster {
  std::filesystem::path topology;  // absolute
  std::filesystem::path run_dir;   // absolute
};

// The registry's directory ("" when neither $XDG_RUNTIME_DIR nor $HOME is set).
std::filesystem::path registry_dir();

// Records (or refreshes) that `topology` was brought up with `run_dir`. Best effort: a registry that cannot
// be written only costs the convenience.
void register_cluster(const std::filesystem::path& topology, const std::filesystem::path& run_dir);
void unregister_cluster(const std::filesystem::path& topology);

// The entry of this topology, if any.
std::optional<RegisteredCluster> registered_cluster(const std::filesystem::path& topology);
// The cluster brought up last whose topology file still exists.
std::optional<RegisteredCluster> last_registered_cluster();

}  // namespace p3p::cli
