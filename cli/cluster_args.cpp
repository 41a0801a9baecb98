#include "cli/cluster_args.hpp"

#include <cstdlib>
#include <fstream>

#include "cli/cluster_registry.hpp"
#include "topology/loader.hpp"

namespace p3p::cli {

void add_run_dir_option(CLI::App& sub, std::string& run_dir) {
  sub.add_option("--run-dir", run_dir, "where pid and log files go")->capture_default_str();
}

std::string resolve_topology_file(const std::string& given, const std::string& run_dir) {
  if (!given.empty()) return given;
  if (const char* env = std::getenv("P3P_TOPOLOGY"); env && *env) return env;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(run_dir, ec)) {
    if (entry.path().extension() != ".topology") continue;
    std::ifstream in(entry.path());
    std::string path;
    if (std::getline(in, path)) return path;
  }
  if (const auto last = last_registered_cluster()) return last->topology.string();
  return {};
}

Expected<topology::Topology, std::string> load_topology(const std::string& file) {
  auto t = topology::load_file(file);
  if (t) return std::move(*t);
  std::string msg;
  for (const auto& e : t.error()) msg += (msg.empty() ? "" : "\n") + e.to_string();
  return unexpected(msg);
}

}  // namespace p3p::cli
