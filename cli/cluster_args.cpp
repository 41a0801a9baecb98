#include "cli/cluster_args.hpp"

#include "topology/loader.hpp"

namespace p3p::cli {

void add_run_dir_option(CLI::App& sub, std::string& run_dir) {
  sub.add_option("--run-dir", run_dir, "where pid and log files go")->capture_default_str();
}

Expected<topology::Topology, std::string> load_topology(const std::string& file) {
  auto t = topology::load_file(file);
  if (t) return std::move(*t);
  std::string msg;
  for (const auto& e : t.error()) msg += (msg.empty() ? "" : "\n") + e.to_string();
  return unexpected(msg);
}

}  // namespace p3p::cli
