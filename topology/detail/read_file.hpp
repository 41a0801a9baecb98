#pragma once
// Whole-file reads for the loader and the hash helper.
#include <filesystem>
#include <optional>
#include <string>

namespace p3p::topology::detail {

// The file's bytes, or nullopt when it cannot be opened or read.
std::optional<std::string> read_file(const std::filesystem::path& path);
// Why read_file failed, in the system's words ("No such file or directory", "Permission denied", ...).
std::string read_failure(const std::filesystem::path& path);

}  // namespace p3p::topology::detail
