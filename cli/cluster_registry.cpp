#include "cli/cluster_registry.hpp"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include "topology/hash.hpp"

namespace p3p::cli {
namespace {

std::filesystem::path absolute_path(const std::filesystem::path& p) {
  std::error_code ec;
  const auto abs = std::filesystem::absolute(p, ec);
  return ec ? p : abs.lexically_normal();
}

// One file per topology, named by a hash of its absolute path (paths do not make good file names).
std::filesystem::path entry_file(const std::filesystem::path& topology) {
  const auto dir = registry_dir();
  if (dir.empty()) return {};
  char name[32];
  std::snprintf(name, sizeof name, "%016llx.json",
                static_cast<unsigned long long>(topology::fnv1a64(absolute_path(topology).string())));
  return dir / name;
}

std::optional<RegisteredCluster> read_entry(const std::filesystem::path& file) {
  std::ifstream in(file);
  const auto v = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (!v.is_object() || !v.contains("topology") || !v["topology"].is_string() || !v.contains("run_dir") ||
      !v["run_dir"].is_string())
    return std::nullopt;
  return RegisteredCluster{v["topology"].get<std::string>(), v["run_dir"].get<std::string>()};
}

}  // namespace

std::filesystem::path registry_dir() {
  if (const char* run = std::getenv("XDG_RUNTIME_DIR"); run && *run) return std::filesystem::path(run) / "p3p" / "clusters";
  if (const char* home = std::getenv("HOME"); home && *home) return std::filesystem::path(home) / ".p3p" / "clusters";
  return {};
}

void register_cluster(const std::filesystem::path& topology, const std::filesystem::path& run_dir) {
  const auto file = entry_file(topology);
  if (file.empty()) return;
  std::error_code ec;
  std::filesystem::create_directories(file.parent_path(), ec);
  const nlohmann::json entry = {{"topology", absolute_path(topology).string()}, {"run_dir", absolute_path(run_dir).string()}};
  const auto tmp = file.string() + ".tmp";
  if (std::ofstream(tmp) << entry.dump() << '\n') std::filesystem::rename(tmp, file, ec);  // readers never see half a file
}

void unregister_cluster(const std::filesystem::path& topology) {
  const auto file = entry_file(topology);
  std::error_code ec;
  if (!file.empty()) std::filesystem::remove(file, ec);
}

std::optional<RegisteredCluster> registered_cluster(const std::filesystem::path& topology) {
  const auto file = entry_file(topology);
  if (file.empty()) return std::nullopt;
  return read_entry(file);
}

std::optional<RegisteredCluster> last_registered_cluster() {
  const auto dir = registry_dir();
  std::optional<RegisteredCluster> newest;
  std::filesystem::file_time_type newest_time{};
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() != ".json") continue;
    const auto time = entry.last_write_time(ec);
    if (ec || (newest && time <= newest_time)) continue;
    auto cluster = read_entry(entry.path());
    if (!cluster || !std::filesystem::exists(cluster->topology, ec)) continue;
    newest = std::move(cluster), newest_time = time;
  }
  return newest;
}

}  // namespace p3p::cli
