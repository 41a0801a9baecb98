#pragma once
// Reading a topology file. Errors are values: every problem found is returned with its file, line and column,
// sorted by position; nothing throws, whatever the file holds.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "common/expected.hpp"
#include "topology/error.hpp"
#include "topology/topology.hpp"

namespace p3p::topology {

// The largest topology file read (64 MiB): a 200,000-column topology with a projection per column is about
// 22 MB. A bigger file is refused before it is read or parsed.
inline constexpr std::uint64_t kMaxFileBytes = std::uint64_t{64} << 20;

struct LoadOptions {
  // Report a cluster.key_file that does not exist. Off only for tools that run before the key is made.
  bool check_key_file = true;
};

// Loads and validates the file. Relative paths in it resolve against the file's directory.
Expected<Topology, Errors> load_file(const std::filesystem::path& path, const LoadOptions& options = {});

// As load_file for text already in memory: display_name is used in errors, base_dir resolves relative paths
// (made absolute against the CWD if relative).
Expected<Topology, Errors> load_string(std::string_view text, const std::string& display_name,
                                       const std::filesystem::path& base_dir, const LoadOptions& options = {});

}  // namespace p3p::topology
