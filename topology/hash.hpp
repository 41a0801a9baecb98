#pragma once
// A stable fingerprint of a topology file, stored in snapshot manifests so a snapshot is only loaded into the
// cluster it was taken from. FNV-1a 64 is enough to detect a changed file (not an adversary) and keeps this
// library free of OpenSSL.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "common/expected.hpp"
#include "topology/error.hpp"

namespace p3p::topology {

std::uint64_t fnv1a64(std::string_view bytes);
// 16 lowercase hex digits.
std::string hash_hex(std::uint64_t hash);
// FNV-1a 64 of the file's bytes; an Error (without position) when it cannot be read.
Expected<std::uint64_t, Error> hash_file(const std::filesystem::path& path);

}  // namespace p3p::topology
